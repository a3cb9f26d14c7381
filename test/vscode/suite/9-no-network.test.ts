// Issue 6, "no network access at all": runs last, after every other suite of the pass has driven
// the extension (commands, panel, model loads, fallbacks, exports of settings). index.ts wrapped
// the extension host's network entry points before the first test; here nothing beyond loopback
// may have been attempted. The webview's side is checked in test/browser (every request the page
// makes is recorded by Chromium and must stay on the page's own origin).
import * as assert from 'assert';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as path from 'path';
import * as tls from 'tls';
import * as vscode from 'vscode';
import { netMonitorInstalledAt, networkAttempts } from '../netMonitor';
import { EXTENSION_ID, lensApi, until } from './helpers';

/** TEST-NET-1 (RFC 5737): reserved for documentation, so nothing real ever uses it. */
const PROBE_HOST = '192.0.2.1';

describe(`No network from the extension host (${process.env.ATTENTION_LENS_TEST_PASS} pass)`, () => {
  it('the extension made no connection beyond loopback during the whole pass', async () => {
    assert.ok(netMonitorInstalledAt() !== null, 'the network monitor was not installed by index.ts');
    const api = await lensApi();
    // The pass really drove the extension: runs happened while the monitor was on.
    assert.ok(api.stats().runsStarted > 0, 'no run happened in this pass');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const attempts = networkAttempts().filter((a) => !a.target.includes(PROBE_HOST));
    const bundle = path.join(ext.extensionPath, 'dist');
    const fromExtension = attempts.filter((a) => a.stack.includes(bundle));
    assert.deepStrictEqual(fromExtension.map((a) => `${a.api} ${a.target}\n${a.stack}`), [], 'the extension tried to reach the network');
    // Nothing else in this extension host did either (built-in extensions included): on a
    // machine with no network, an attempt here would be a hang or an error somewhere.
    assert.deepStrictEqual(attempts.map((a) => `${a.api} ${a.target}\n${a.stack}`), [], 'something in the extension host tried to reach the network');
  });

  it('the monitor sees each kind of attempt (so the test above can fail)', async () => {
    const seen = (api: string) => networkAttempts().some((a) => a.api === api && a.target.includes(PROBE_HOST));
    // Each probe is stopped before it can get anywhere; only the attempt is recorded.
    const socket = new net.Socket();
    socket.on('error', () => undefined);
    socket.connect(9, PROBE_HOST);
    socket.destroy();
    assert.ok(seen('net.Socket.connect'), 'a raw TCP connect was not seen');

    const t = tls.connect({ host: PROBE_HOST, port: 9 });
    t.on('error', () => undefined);
    t.destroy();
    assert.ok(seen('tls.connect'), 'a TLS connect was not seen');

    for (const [name, mod] of [['http.request', http], ['https.request', https]] as const) {
      const req = mod.request({ host: PROBE_HOST, port: 9, path: '/' });
      req.on('error', () => undefined);
      req.destroy();
      assert.ok(seen(name), `${name} was not seen`);
    }
    const g = https.get(`https://${PROBE_HOST}:9/model.onnx`);
    g.on('error', () => undefined);
    g.destroy();
    assert.ok(seen('https.get'), 'https.get was not seen');

    // fetch: seen when called, and its socket underneath too.
    const before = networkAttempts().filter((a) => a.api === 'net.Socket.connect').length;
    const abort = new AbortController();
    const fetching = fetch(`http://${PROBE_HOST}:9/`, { signal: abort.signal }).catch(() => undefined);
    assert.ok(seen('fetch'), 'fetch was not seen');
    await until('fetch\'s socket connect', () => networkAttempts().filter((a) => a.api === 'net.Socket.connect').length > before, 5000);
    abort.abort();
    await fetching;
  });
});
