// Issue 19 in the real VS Code: "Download model…" against a local Hub (test/support/hubServer.ts,
// started in this extension host and reached through HF_ENDPOINT, so no request leaves 127.0.0.1;
// 9-no-network checks that). A repo id typed, Enter, Enter downloads the recommended variant into
// the Hugging Face cache (HF_HUB_CACHE, a temporary folder), the model becomes attentionLens.modelPath
// and Explain runs on it; a 133 MB repo is timed; a second download reuses blobs; Cancel keeps what
// arrived for the next download, which fetches only what is missing; HF_HUB_OFFLINE uses the cache; a gated repo says where to accept its terms.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../../src/api';
import type { Downloaded } from '../../../src/commands/target';
import type { ResultMessage, ToHost } from '../../../src/shared/protocol';
import { HubServer } from '../../support/hubServer';
import { testRepos, type TestRepos } from '../../support/hubRepos';
import { ui } from '../driverClient';
import { lensApi, nextMessage, testPass, until } from './helpers';

const PASS = testPass();
const settings = () => vscode.workspace.getConfiguration('attentionLens');

async function explainOnIt(api: AttentionLensApi, name: string): Promise<ResultMessage> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  const file = path.join(folder.uri.fsPath, name);
  const text = "The animal didn't cross the street because it was too tired.\n";
  fs.writeFileSync(file, text);
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { viewColumn: vscode.ViewColumn.One, preview: false });
  const pos = editor.document.positionAt(text.indexOf(' it ') + 2);
  editor.selection = new vscode.Selection(pos, pos);
  const result = nextMessage(api, `a result from ${name}`, (m: ToHost): m is ResultMessage => m.type === 'result');
  await vscode.commands.executeCommand('attentionLens.explainHere');
  return result;
}

if (PASS === 'wasm') describe('Download model… from a local Hub (wasm pass)', function () {
  this.timeout(300_000);
  let api: AttentionLensApi;
  let server: HubServer;
  let repos: TestRepos;
  let cache: string;
  const saved = { endpoint: process.env.HF_ENDPOINT, cache: process.env.HF_HUB_CACHE };

  before(async () => {
    api = await lensApi();
    repos = testRepos(true);
    server = await HubServer.start([repos.gpt2, repos.bert, repos.gated, repos.big!]);
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-vscode-hubcache-'));
    // Read by the extension when the command runs: this is the extension host's own environment.
    process.env.HF_ENDPOINT = server.hubUrl;
    process.env.HF_HUB_CACHE = cache;
  });

  after(async () => {
    process.env.HF_ENDPOINT = saved.endpoint;
    process.env.HF_HUB_CACHE = saved.cache;
    if (saved.endpoint === undefined) delete process.env.HF_ENDPOINT;
    if (saved.cache === undefined) delete process.env.HF_HUB_CACHE;
    await settings().update('modelPath', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
    fs.rmSync(cache, { recursive: true, force: true });
    fs.rmSync(repos.dir, { recursive: true, force: true });
  });

  it('a repo id typed, Enter, Enter: the recommended variant is downloaded, becomes modelPath, and Explain runs on it', async () => {
    await ui.runCommand('Attention Lens: Download model…');
    await ui.typeInput('test-org/tiny-gpt2');
    await ui.typeInput(''); // the variants: Enter takes the first, the recommended q8
    const expected = path.join(cache, 'models--test-org--tiny-gpt2', 'snapshots', repos.gpt2.sha, 'onnx', 'model_quantized.onnx').replace(/\\/g, '/');
    await until('modelPath to be the downloaded graph', () => (settings().get<string>('modelPath') ?? '') === expected, 60_000);
    assert.strictEqual(settings().inspect<string>('modelPath')?.globalValue, expected, 'written to the user settings');
    assert.ok(fs.lstatSync(expected).isSymbolicLink());
    // Shown just after the setting is written.
    await until('the notification that offers Explain', () => api.messages().some((m) => m.text === 'Attention Lens: test-org/tiny-gpt2 (q8) is the model in use now.'));
    const resolved = server.requests.filter((r) => r.url.includes('/resolve/')).map((r) => r.url);
    assert.ok(!resolved.some((u) => u.includes('model_fp16') || u.includes('onnx/model.onnx')), 'only the chosen variant');
    const res = await explainOnIt(api, 'download-small.md');
    const model = api.model();
    assert.ok(model && !model.bundled, `the bundled model ran instead (${api.lastError() ?? 'no error'})`);
    assert.ok(model.dir.startsWith(cache), model.dir);
    assert.strictEqual(api.lastRun()?.runId, res.runId);
  });

  it('a 133 MB repo (69 MB graph and 64 MB external data) downloads with its progress and is timed', async () => {
    const done = await vscode.commands.executeCommand<Downloaded | undefined>('attentionLens.downloadModel', { repo: 'test-org/big-gpt2', variant: 'fp32' });
    assert.ok(done, `nothing was downloaded: ${JSON.stringify(api.messages().slice(-2))}`);
    assert.ok(done.bytes > 130e6, `${done.bytes} bytes`);
    await ui.log(`      downloaded test-org/big-gpt2 (${(done.bytes / 1e6).toFixed(0)} MB) from the local Hub in ${done.seconds.toFixed(1)} s (${(done.bytes / 1e6 / done.seconds).toFixed(0)} MB/s)`);
    assert.strictEqual(settings().get<string>('modelPath'), done.modelPath);
    const res = await explainOnIt(api, 'download-big.md');
    assert.ok(api.model()?.dir.startsWith(cache), api.model()?.dir);
    assert.strictEqual(api.lastRun()?.runId, res.runId);
  });

  it('a second download of the same repo reuses its blobs: here its fp32 graph has the q8 graph\'s bytes, so nothing is fetched', async () => {
    server.requests.length = 0;
    const done = await vscode.commands.executeCommand<Downloaded | undefined>('attentionLens.downloadModel', { repo: 'test-org/tiny-gpt2', variant: 'fp32' });
    assert.ok(done, `nothing was downloaded: ${JSON.stringify(api.messages().slice(-2))}`);
    assert.ok(done.modelPath.endsWith(`snapshots/${repos.gpt2.sha}/onnx/model.onnx`), done.modelPath);
    assert.deepStrictEqual(server.requests.filter((r) => r.url.includes('/resolve/') || r.server === 'cdn').map((r) => r.url), []);
  });

  it('Cancel on the progress notification leaves nothing half-written linked; the next download resumes with Range and fetches only what is missing', async () => {
    const before = settings().get<string>('modelPath');
    const dir = path.join(cache, 'models--test-org--tiny-bert');
    const blobOf = (f: (typeof repos.bert.files)[number]): string => path.join(dir, 'blobs', f.lfs ? f.sha256 : f.gitSha1);
    const graph = repos.bert.files.find((f) => f.path === 'onnx/model.onnx')!;
    const linked = path.join(dir, 'snapshots', repos.bert.sha, 'onnx', 'model.onnx');
    server.throttle = Math.max(50_000, Math.floor(graph.size / 20)); // about 20 s for the graph: time to click
    const run = vscode.commands.executeCommand<Downloaded | undefined>('attentionLens.downloadModel', { repo: 'test-org/tiny-bert', variant: 'fp32' });
    // Bytes are written in batches of 1 MB (or when the download stops), so the file may stay empty until Cancel.
    await until('the graph to start arriving', () => fs.existsSync(`${blobOf(graph)}.incomplete`), 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    await ui.clickToastButton('Downloading test-org/tiny-bert (fp32)', 'Cancel');
    assert.strictEqual(await run, undefined);
    server.throttle = 0;
    await until('the cancel message', () => api.messages().some((m) => /download cancelled; what arrived is kept/.test(m.text)));
    const kept = fs.statSync(`${blobOf(graph)}.incomplete`).size;
    assert.ok(kept > 0 && kept < graph.size, `${kept} of ${graph.size} bytes kept`);
    assert.ok(!fs.existsSync(blobOf(graph)) && !fs.existsSync(linked), 'nothing half-written is linked');
    assert.strictEqual(settings().get<string>('modelPath'), before, 'the model in use stays');
    const whole = repos.bert.files.filter((f) => fs.existsSync(blobOf(f))).map((f) => f.path);

    server.requests.length = 0;
    const done = await vscode.commands.executeCommand<Downloaded | undefined>('attentionLens.downloadModel', { repo: 'test-org/tiny-bert', variant: 'fp32' });
    assert.ok(done, `nothing was downloaded: ${JSON.stringify(api.messages().slice(-2))}`);
    const resolved = server.requests.filter((r) => r.server === 'hub' && r.url.includes('/resolve/')).map((r) => decodeURIComponent(r.url.split('/resolve/')[1]!.split('/').slice(1).join('/')));
    assert.ok(resolved.includes('onnx/model.onnx') && !resolved.some((p) => whole.includes(p)), `fetched ${resolved.join(', ')}; whole before: ${whole.join(', ')}`);
    assert.ok(server.requests.some((r) => r.server === 'cdn' && r.headers.range === `bytes=${kept}-`), 'the graph resumed where Cancel stopped it');
    assert.strictEqual(fs.statSync(blobOf(graph)).size, graph.size);
    assert.strictEqual(done.modelPath, linked.replace(/\\/g, '/'));
  });

  it('HF_HUB_OFFLINE=1: a cached repo is used with no request and Explain runs on it; one not cached says so', async () => {
    process.env.HF_HUB_OFFLINE = '1';
    try {
      server.requests.length = 0;
      const done = await vscode.commands.executeCommand<Downloaded | undefined>('attentionLens.downloadModel', { repo: 'test-org/tiny-gpt2', variant: 'q8' });
      assert.ok(done, `the cache was not used: ${JSON.stringify(api.messages().slice(-2))}`);
      assert.ok(done.modelPath.endsWith('onnx/model_quantized.onnx'), done.modelPath);
      assert.strictEqual(settings().get<string>('modelPath'), done.modelPath);
      await explainOnIt(api, 'download-offline.md');
      assert.ok(api.model()?.dir.startsWith(cache), api.model()?.dir);
      assert.deepStrictEqual(server.requests.map((r) => r.url), [], 'offline: nothing asked of the Hub');
      const missing = await vscode.commands.executeCommand<Downloaded | undefined>('attentionLens.downloadModel', { repo: 'test-org/gated-gpt2', variant: 'q8' });
      assert.strictEqual(missing, undefined);
      assert.ok(api.messages().some((m) => /HF_HUB_OFFLINE is set and test-org\/gated-gpt2 is not in the cache .*: unset it to download/.test(m.text)), JSON.stringify(api.messages().slice(-2)));
    } finally {
      delete process.env.HF_HUB_OFFLINE;
    }
  });

  it('a gated repo without access says where to accept its terms, and the model in use stays', async () => {
    const before = settings().get<string>('modelPath');
    const done = await vscode.commands.executeCommand<Downloaded | undefined>('attentionLens.downloadModel', { repo: 'test-org/gated-gpt2', variant: 'q8' });
    assert.strictEqual(done, undefined);
    const shown = api.messages().map((m) => m.text).join('\n');
    assert.match(shown, /test-org\/gated-gpt2 is gated: sign in: set a token .* accept the terms at https:\/\/huggingface\.co\/test-org\/gated-gpt2/);
    assert.strictEqual(settings().get<string>('modelPath'), before);
  });
});
