// "Download model…" in the web pass: from a local Hub (test/support/hubServer.ts: the Hub and its CDN
// on two loopback ports, answering CORS as they do) that the launcher runs, since a browser worker
// cannot serve; reached through the user setting attentionLens.hubEndpoint (no environment variables
// in a browser). The model lands in the extension's global storage, read through vscode.workspace.fs,
// its Uri becomes modelPath and Explain runs it; the token set reaches the Hub, never the CDN the
// browser follows the redirect to; a second download reuses the blobs.
import * as vscode from 'vscode';
import type { Downloaded } from '../../../src/commands/target';
import type { HubRequestSeen, LocalHubInfo } from '../driverProtocol';
import { GRANTED_TOKEN } from '../../support/hubTokens';
import { check } from '../web/check';
import { ui } from '../web/fetchDriver';
import { closePanelTab, explainIt, lensApi } from './webHelpers';

const REPO = 'test-org/tiny-gpt2';
const settings = () => vscode.workspace.getConfiguration('attentionLens');
const download = (arg: { repo: string; variant: string }) => Promise.resolve(vscode.commands.executeCommand<Downloaded | undefined>('attentionLens.downloadModel', arg));
const show = (rs: HubRequestSeen[]) => rs.map((r) => `${r.server} ${r.method} ${r.url.split('?')[0]}${r.authorization ? ' (token)' : ''}`).join(', ');

describe('Download model… (web pass: into the extension\'s global storage)', () => {
  let hub: LocalHubInfo;
  let sha: string;

  before(async () => {
    hub = await ui.startLocalHub();
    sha = hub.repos.find((r) => r.id === REPO)!.sha;
    await settings().update('hubEndpoint', hub.hubUrl, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('attentionLens.setHubToken', GRANTED_TOKEN);
  });

  after(async () => {
    await vscode.commands.executeCommand('attentionLens.setHubToken', '');
    await settings().update('hubEndpoint', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('attentionLens.chooseModel', '');
    const api = await lensApi();
    if (api.stats().panels > 0) await closePanelTab();
    await ui.stopLocalHub();
  });

  it('a repo and variant: fetched with the token to the Hub only (never the CDN), its Uri becomes modelPath, and Explain runs it', async () => {
    const api = await lensApi();
    const done = await download({ repo: REPO, variant: 'q8' });
    check.ok(done, `nothing was downloaded: ${JSON.stringify(api.messages().slice(-2))}`);
    // A Uri in the global storage (not a disk path, not ~/.cache/huggingface), laid out as the Hugging Face cache.
    check.match(done.modelPath, new RegExp(`^[a-z][\\w+.-]+:/.*/hub/models--test-org--tiny-gpt2/snapshots/${sha}/onnx/model_quantized\\.onnx$`), 'the downloaded graph');
    check.equal(settings().inspect<string>('modelPath')?.globalValue, done.modelPath, 'written to the user settings');
    await ui.log(`      downloaded ${REPO} (q8, ${done.bytes} bytes) in ${done.seconds.toFixed(1)} s to ${done.modelPath}`);

    const seen = await ui.localHubRequests();
    const hubGets = seen.filter((r) => r.server === 'hub' && r.method === 'GET');
    const cdn = seen.filter((r) => r.server === 'cdn');
    check.ok(hubGets.some((r) => r.url.includes('/resolve/')) && cdn.some((r) => r.method === 'GET'), `the Hub redirected no file to its CDN: ${show(seen)}`);
    check.ok(hubGets.every((r) => r.authorization === `Bearer ${GRANTED_TOKEN}`), `a request to the Hub without the token: ${show(hubGets)}`);
    check.equal(show(cdn.filter((r) => r.authorization !== undefined || /authorization/i.test(r.preflightHeaders ?? ''))), '', 'requests to the CDN carrying (or asking to carry) the token');
    await ui.log(`      the local Hub saw: ${hubGets.length} GETs with the token (${seen.filter((r) => r.server === 'hub' && r.method === 'OPTIONS').length} preflights); its CDN: ${cdn.length} requests, none with an Authorization header`);

    const res = await explainIt(api);
    const model = api.model();
    check.ok(model && !model.bundled, `the bundled model ran instead (${api.lastError() ?? 'no error'})`);
    check.equal(model.dir, done.modelPath.replace(/\/onnx\/model_quantized\.onnx$/, ''), 'the snapshot folder');
    check.equal(api.lastRun()?.runId, res.runId);
    const header = (await ui.waitWebview('header h1')) ?? '';
    check.match(header, /test-org\/tiny-gpt2/, 'the panel\'s title');
    check.match((await ui.webviewText('header')).join(' '), /model_quantized\.onnx/, 'the graph that runs, in the header');
    await ui.log(`      the panel's title: ${header}`);
  });

  it('a second download reuses the blobs: the fp32 graph has the q8 graph\'s bytes, so nothing is asked of the CDN', async () => {
    await ui.clearLocalHub();
    const api = await lensApi();
    const done = await download({ repo: REPO, variant: 'fp32' });
    check.ok(done, `nothing was downloaded: ${JSON.stringify(api.messages().slice(-2))}`);
    check.match(done.modelPath, new RegExp(`/snapshots/${sha}/onnx/model\\.onnx$`), 'the fp32 graph');
    const seen = await ui.localHubRequests();
    check.equal(show(seen.filter((r) => r.server === 'cdn' || r.url.includes('/resolve/'))), '', 'files fetched again');
  });

  it('Choose model… lists the downloaded model under "In the Hugging Face cache", and picking it makes it the model', async () => {
    const api = await lensApi();
    const picked = Promise.resolve(vscode.commands.executeCommand<{ modelPath: string } | undefined>('attentionLens.chooseModel'));
    // The cached model's row is "test-org/tiny-gpt2 (q8)" (a Recent row would name the file only); the driver fails if none shows.
    await ui.pickQuickItem(`${REPO} (q8)`);
    const chosen = await picked;
    check.ok(chosen, `Choose model… wrote nothing (${api.lastError() ?? 'no error'})`);
    check.match(chosen.modelPath, new RegExp(`/snapshots/${sha}/onnx/model_quantized\\.onnx$`), 'the cached graph');
    check.equal(settings().inspect<string>('modelPath')?.globalValue, chosen.modelPath);
  });
});
