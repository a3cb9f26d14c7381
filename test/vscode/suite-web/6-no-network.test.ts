// "No network access at all", in the web pass: runs last, after the other web suites drove the
// extension in the browser (worker host, panel, model loads, Choose model…, Compare). The launcher
// started Chromium with the UI driver as its proxy; Chromium sends loopback past any proxy, so what
// reaches the driver is what would have left 127.0.0.1, from any page, frame or worker (the Node
// pass watches its extension host's sockets instead: suite/9-no-network).
import type { ProxiedRequest } from '../driverProtocol';
import { check } from '../web/check';
import { ui } from '../web/fetchDriver';
import { lensApi, until } from './webHelpers';

/** TEST-NET-1 (RFC 5737): reserved for documentation, so nothing real ever uses it. */
const PROBE_HOST = '192.0.2.1';
/**
 * Chromium's own services (component updates, accounts, autofill) call Google from the browser
 * process whatever the page does, past --disable-background-networking; they are not the page's.
 */
const CHROMIUM_OWN = /^(CONNECT |\w+ https?:\/\/)?([\w-]+\.)*(google\.com|googleapis\.com|gstatic\.com|gvt1\.com)([:/]|$)/;

const show = (rs: readonly ProxiedRequest[]) => rs.map((r) => `${r.method} ${r.target}`).join(', ');
const isProbe = (r: ProxiedRequest) => r.target.includes(PROBE_HOST);

describe('No network from the browser (web pass)', () => {
  it('nothing the workbench, the extension\'s worker or its panel did during the pass left 127.0.0.1', async () => {
    const api = await lensApi();
    // The pass really drove the extension here: runs happened while the proxy was on.
    check.ok(api.stats().runsStarted > 0, 'no run happened in this pass');
    const left = (await ui.leftLoopback()).filter((r) => !isProbe(r) && !CHROMIUM_OWN.test(`${r.method} ${r.target}`));
    check.equal(show(left), '', 'requests beyond loopback');
  });

  it('the proxy sees what would leave, from the extension\'s worker (so the test above can fail)', async () => {
    // The kinds the worker's CSP lets out (https:, wss:; plain http and ws are refused before the
    // network); each is refused by the driver, only the attempt matters.
    const tls = fetch(`https://${PROBE_HOST}/config.json`).catch(() => undefined);
    const socket = new WebSocket(`wss://${PROBE_HOST}/`);
    socket.onerror = () => undefined;
    await tls;
    const seen = await until('both probes at the proxy', async () => {
      const probes = (await ui.leftLoopback()).filter(isProbe);
      return probes.length >= 2 ? probes : null;
    }, 10_000).catch(async () => (await ui.leftLoopback()).filter(isProbe));
    socket.close();
    check.equal(show(seen), `CONNECT ${PROBE_HOST}:443, CONNECT ${PROBE_HOST}:443`, 'the https fetch and the WebSocket');
    check.ok(!CHROMIUM_OWN.test(`CONNECT ${PROBE_HOST}:443`) && CHROMIUM_OWN.test('CONNECT update.googleapis.com:443'), 'the Chromium filter is too wide');
  });
});
