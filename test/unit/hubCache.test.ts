// Downloads into the standard Hugging Face cache from a local Hub: the layout other clients read,
// only the chosen variant fetched, resume within a download (dropped connection) and across windows
// (.incomplete), a 200 to a Range starting again, damaged bytes refused, and the cache read back.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cachedModels, envToken, hubCacheDir, isOffline } from '../../src/hub/cache';
import { downloadFiles, type DownloadJob } from '../../src/hub/download';
import { HubError } from '../../src/hub/errors';
import { fetchListing } from '../../src/hub/listing';
import type { DownloadProgress } from '../../src/hub/progress';
import { variantsOf } from '../../src/hub/variants';
import { nodeFiles } from '../../src/env/node/nodeFiles';
import { loadModelFolder } from '../../src/models/modelFolder';
import { HubServer } from '../support/hubServer';
import { testRepos, type TestRepos } from '../support/hubRepos';
import { client } from '../support/hubClient';

const env = (vars: Record<string, string>, home = '/home/u'): { get: (n: string) => string | undefined; home: string } => ({ get: (n) => vars[n], home });

describe('Hugging Face cache: where it is', () => {
  it('is $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub; offline and the token file as huggingface_hub reads them', async () => {
    assert.strictEqual(hubCacheDir(env({ HF_HUB_CACHE: '/c', HF_HOME: '/h' })), '/c');
    assert.strictEqual(hubCacheDir(env({ HF_HOME: '/h' })), '/h/hub');
    assert.strictEqual(hubCacheDir(env({})), '/home/u/.cache/huggingface/hub');
    assert.strictEqual(hubCacheDir(env({ XDG_CACHE_HOME: '/x' })), '/x/huggingface/hub');
    assert.ok(isOffline(env({ HF_HUB_OFFLINE: '1' })) && !isOffline(env({ HF_HUB_OFFLINE: '0' })) && !isOffline(env({})));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-hfhome-'));
    fs.writeFileSync(path.join(home, 'token'), 'hf_fromfile\n');
    assert.strictEqual(await envToken(env({ HF_HOME: home }), nodeFiles), 'hf_fromfile');
    assert.strictEqual(await envToken(env({ HF_HOME: home, HF_TOKEN: 'hf_env' }), nodeFiles), 'hf_env');
    assert.strictEqual(await envToken(env({ HF_HOME: path.join(home, 'none') }), nodeFiles), undefined);
    fs.rmSync(home, { recursive: true });
  });
});

describe('Hugging Face cache: downloads from a local Hub', function () {
  this.timeout(60000);
  let server: HubServer;
  let repos: TestRepos;
  let cache: string;
  before(async () => {
    repos = testRepos();
    server = await HubServer.start([repos.gpt2, repos.bert]);
  });
  after(async () => {
    await server.close();
    fs.rmSync(repos.dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.requests.length = 0;
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-hubcache-'));
  });
  afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

  async function job(repo: string, dtype?: string): Promise<DownloadJob & { graph: string }> {
    const l = await fetchListing(client(server), repo);
    const v = variantsOf(l.files).find((x) => dtype === undefined || x.dtype === dtype)!;
    return { repo, sha: l.sha, files: v.files, cache, graph: v.graph };
  }
  const resolved = (): string[] => server.requests.filter((r) => r.server === 'hub' && r.url.includes('/resolve/')).map((r) => decodeURIComponent(r.url.split('/resolve/')[1]!.split('/').slice(1).join('/')));
  const blob = (sha256: string): string => path.join(cache, 'models--test-org--tiny-gpt2', 'blobs', sha256);
  const graphSha = (p: string): string => repos.gpt2.files.find((f) => f.path === p)!.sha256;

  it('fetches the recommended variant only, into blobs/ with relative snapshot links and refs/main, and the folder loads', async () => {
    const j = await job('test-org/tiny-gpt2');
    assert.strictEqual(j.graph, 'onnx/model_quantized.onnx');
    const seen: DownloadProgress[] = [];
    const snap = await downloadFiles(client(server), nodeFiles, j, (p) => seen.push(p));
    const dir = path.join(cache, 'models--test-org--tiny-gpt2');
    assert.strictEqual(snap, `${dir}/snapshots/${repos.gpt2.sha}`);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'refs', 'main'), 'utf8'), repos.gpt2.sha);
    const link = path.join(snap, 'onnx', 'model_quantized.onnx');
    assert.strictEqual(fs.readlinkSync(link), `../../../blobs/${graphSha('onnx/model_quantized.onnx')}`);
    assert.ok(fs.readlinkSync(path.join(snap, 'config.json')).startsWith('../../blobs/'));
    assert.deepStrictEqual(resolved().sort(), j.files.map((f) => f.path).sort());
    assert.ok(!resolved().includes('onnx/model_fp16.onnx') && !resolved().includes('onnx/decoder_with_past_model.onnx'));
    assert.ok(fs.readdirSync(path.join(dir, 'blobs')).every((n) => !n.endsWith('.incomplete')));
    const last = seen[seen.length - 1]!;
    assert.strictEqual(last.done, last.total);
    assert.strictEqual(last.total, j.files.reduce((s, f) => s + f.size, 0));
    const m = await loadModelFolder(link, false);
    assert.strictEqual(m.config.architecture, 'causal');
    const listed = await cachedModels(nodeFiles, cache);
    assert.deepStrictEqual(listed.map((c) => [c.repo, c.sha, c.graphs.map((g) => g.dtype)]), [['test-org/tiny-gpt2', repos.gpt2.sha, ['q8']]]);
    server.requests.length = 0;
    await downloadFiles(client(server), nodeFiles, j, () => undefined);
    assert.deepStrictEqual(resolved(), [], 'a second download fetches nothing');
  });

  it('resumes with Range where a dropped connection stopped', async () => {
    const j = await job('test-org/tiny-gpt2', 'fp32');
    server.drop.set('onnx/model.onnx', 300_000);
    await downloadFiles(client(server), nodeFiles, j, () => undefined);
    const ranges = server.requests.filter((r) => r.server === 'cdn').map((r) => r.headers.range);
    assert.deepStrictEqual(ranges, [undefined, 'bytes=300000-']);
    assert.ok(fs.statSync(blob(graphSha('onnx/model.onnx'))).isFile());
  });

  it('resumes across windows from the .incomplete file, and starts again when the server answers a Range with 200', async () => {
    const j = await job('test-org/tiny-gpt2', 'fp32');
    const stop = new AbortController();
    const first = downloadFiles(client(server, undefined, { signal: stop.signal }), nodeFiles, j, (p) => {
      if (p.done > 200_000) stop.abort();
    });
    await assert.rejects(first, (e: unknown) => e instanceof HubError && e.kind === 'cancelled');
    const partial = `${blob(graphSha('onnx/model.onnx'))}.incomplete`;
    const kept = fs.statSync(partial).size;
    assert.ok(kept > 0 && !fs.existsSync(blob(graphSha('onnx/model.onnx'))));
    assert.ok(!fs.existsSync(path.join(cache, 'models--test-org--tiny-gpt2', 'snapshots')), 'nothing linked before it is whole');
    server.requests.length = 0;
    await downloadFiles(client(server), nodeFiles, j, () => undefined);
    assert.strictEqual(server.requests.find((r) => r.server === 'cdn')!.headers.range, `bytes=${kept}-`);
    assert.ok(!fs.existsSync(partial));
    // Again with a server that ignores Range: the partial file is thrown away, the whole file verified.
    fs.rmSync(cache, { recursive: true });
    await assert.rejects(downloadFiles(client(server, undefined, { signal: AbortSignal.abort() }), nodeFiles, j, () => undefined));
    fs.mkdirSync(path.dirname(partial), { recursive: true });
    fs.writeFileSync(partial, Buffer.alloc(1000, 7));
    server.ignoreRange.add('onnx/model.onnx');
    await downloadFiles(client(server), nodeFiles, j, () => undefined);
    assert.strictEqual(fs.statSync(blob(graphSha('onnx/model.onnx'))).size, repos.gpt2.files.find((f) => f.path === 'onnx/model.onnx')!.size);
  });

  it('checks free room before fetching: too little gets a message in MB and no request, no file', async () => {
    const j = await job('test-org/tiny-gpt2', 'fp32');
    // The disk is the one thing a test cannot shrink: the real file access, with a small disk's answer.
    const smallDisk = { ...nodeFiles, freeBytes: async () => 20e6 };
    await assert.rejects(downloadFiles(client(server), smallDisk, j, () => undefined),
      (e: unknown) => e instanceof HubError && e.kind === 'disk' && /^test-org\/tiny-gpt2 needs \d+ MB more in .*, and only 20 MB are free$/.test(e.message));
    assert.deepStrictEqual(resolved(), []);
    assert.ok(!fs.existsSync(path.join(cache, 'models--test-org--tiny-gpt2')));
  });

  it('refuses damaged bytes: no blob, no partial file, nothing linked', async () => {
    const j = await job('test-org/tiny-gpt2', 'fp32');
    server.damage.add('onnx/model.onnx');
    await assert.rejects(downloadFiles(client(server), nodeFiles, j, () => undefined), (e: unknown) => e instanceof HubError && e.kind === 'integrity' && /arrived damaged/.test(e.message));
    const sha = graphSha('onnx/model.onnx');
    assert.ok(!fs.existsSync(blob(sha)) && !fs.existsSync(`${blob(sha)}.incomplete`));
    assert.ok(!fs.existsSync(path.join(cache, 'models--test-org--tiny-gpt2', 'snapshots')));
    assert.deepStrictEqual(await cachedModels(nodeFiles, cache), []);
  });
});
