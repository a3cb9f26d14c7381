// The Hub client against a local server that answers as the Hub does: the endpoint and repo ids,
// the listing pinned to one commit and paginated, the errors in the user's terms, the rate limit,
// and the token going to the Hub's host only.
import * as assert from 'assert';
import * as fs from 'fs';
import { chooseEndpoint, parseRepoId, resolveUrl } from '../../src/hub/endpoint';
import { HubError } from '../../src/hub/errors';
import { hubGet, rateLimitWait } from '../../src/hub/http';
import { fetchListing, nextLink, safeRepoPath } from '../../src/hub/listing';
import { describeProgress, ProgressMeter } from '../../src/hub/progress';
import { formatBytes, variantsOf } from '../../src/hub/variants';
import { GRANTED_TOKEN, HubServer, PLAIN_TOKEN } from '../support/hubServer';
import { client } from '../support/hubClient';
import { testRepos, type TestRepos } from '../support/hubRepos';


async function hubError(p: Promise<unknown>): Promise<HubError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HubError) return e;
    throw e;
  }
  throw new Error('expected a HubError');
}

describe('Hub client: endpoint, repo ids, variants', () => {
  it('takes HF_ENDPOINT over the setting, https only, plain http only to this machine', () => {
    assert.strictEqual(chooseEndpoint(undefined, undefined).href, 'https://huggingface.co/');
    assert.strictEqual(chooseEndpoint('http://127.0.0.1:8080/', 'https://mirror.example').origin, 'http://127.0.0.1:8080');
    assert.strictEqual(chooseEndpoint('', 'https://mirror.example/').origin, 'https://mirror.example');
    assert.throws(() => chooseEndpoint('http://mirror.example', undefined), /must use https/);
    assert.throws(() => chooseEndpoint(undefined, 'not a url'), /not a URL/);
  });

  it('reads org/name and Hub URLs, and refuses anything else', () => {
    assert.strictEqual(parseRepoId(' Xenova/gpt2 '), 'Xenova/gpt2');
    assert.strictEqual(parseRepoId('https://huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/tree/main/onnx'), 'onnx-community/Qwen2.5-0.5B-Instruct');
    assert.strictEqual(parseRepoId('https://hf.co/Xenova/distilgpt2'), 'Xenova/distilgpt2');
    for (const bad of ['gpt2', 'a/b/c', '../etc', 'a/..', 'org/.hidden', 'https://example.com/a/b', '']) assert.strictEqual(parseRepoId(bad), undefined, bad);
    assert.strictEqual(resolveUrl(new URL('https://huggingface.co'), 'a/b', 'refs/pr/1', 'onnx/model 1.onnx'), 'https://huggingface.co/a/b/resolve/refs%2Fpr%2F1/onnx/model%201.onnx');
  });

  it('offers each runnable graph with its files and size, q8 first where there is one, else fp32', () => {
    const f = (p: string, size: number): { path: string; size: number } => ({ path: p, size });
    const files = [f('config.json', 1), f('tokenizer.json', 10), f('LICENSE', 2), f('.gitattributes', 3), f('onnx/model.onnx', 1000),
      f('onnx/model.onnx_data', 5000), f('onnx/model.onnx_data_1', 7), f('onnx/model_quantized.onnx', 300), f('onnx/model_fp16.onnx', 500),
      f('onnx/decoder_model_merged.onnx', 900), f('onnx/decoder_with_past_model.onnx', 900), f('onnx/model_q4.onnx', 200)];
    const v = variantsOf(files);
    assert.deepStrictEqual(v.map((x) => x.dtype), ['q8', 'fp32', 'fp16', 'q4']);
    assert.ok(v[0]!.recommended && !v[1]!.recommended);
    assert.deepStrictEqual(v[1]!.files.map((x) => x.path), ['onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model.onnx_data_1', 'config.json', 'tokenizer.json', 'LICENSE']);
    assert.strictEqual(v[1]!.bytes, 1000 + 5000 + 7 + 13);
    assert.deepStrictEqual(variantsOf(files.filter((x) => x.path !== 'onnx/model_quantized.onnx'))[0]!.dtype, 'fp32');
    assert.deepStrictEqual(variantsOf([f('onnx/decoder_model_merged.onnx', 1)]), []);
  });

  it('measures speed over the last seconds and says time left; a resumed download counts only new bytes', () => {
    let t = 0;
    const m = new ProgressMeter(100e6, 40e6, () => t);
    assert.strictEqual(m.add(0, 'a').speed, 0);
    t = 1000;
    const p = m.add(10e6, 'a');
    assert.strictEqual(p.done, 50e6);
    assert.strictEqual(p.speed, 10e6);
    assert.strictEqual(p.secondsLeft, 5);
    assert.strictEqual(describeProgress(p), '50.0 MB of 100 MB — 10.0 MB/s, 5 s left');
    t = 8000; // a stall: the old samples leave the window, the speed falls
    assert.ok(m.add(1e6, 'a').speed < 1e6);
    assert.strictEqual(formatBytes(1_234_567_890), '1.2 GB');
    assert.strictEqual(formatBytes(540_000_000), '540 MB');
  });

  it('parses Link and RateLimit headers, and refuses paths that climb out', () => {
    assert.strictEqual(nextLink('<https://huggingface.co/api/models/a/b/tree/main?cursor=x>; rel="next"'), 'https://huggingface.co/api/models/a/b/tree/main?cursor=x');
    assert.strictEqual(nextLink(null), undefined);
    assert.strictEqual(rateLimitWait(new Headers({ ratelimit: '"resolvers";r=0;t=42' })), 42);
    for (const bad of ['/etc/passwd', '../x', 'onnx/../../x', 'a//b', 'C:/x', 'a\\b', '.']) assert.ok(!safeRepoPath(bad), bad);
    assert.ok(safeRepoPath('onnx/model.onnx'));
  });
});

describe('Hub client against a local Hub', function () {
  this.timeout(60000);
  let server: HubServer;
  let repos: TestRepos;
  before(async () => {
    repos = testRepos();
    server = await HubServer.start([repos.gpt2, repos.bert, repos.gated, repos.priv]);
  });
  after(async () => {
    await server.close();
    fs.rmSync(repos.dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('pins the commit from model info and reads every page of the tree at it', async () => {
    const l = await fetchListing(client(server), 'test-org/tiny-gpt2');
    assert.strictEqual(l.sha, repos.gpt2.sha);
    assert.strictEqual(l.license, 'mit');
    assert.deepStrictEqual(l.files.map((f) => f.path).sort(), repos.gpt2.files.map((f) => f.path).sort());
    const tree = server.requests.filter((r) => r.url.includes('/tree/'));
    assert.ok(tree.length >= 5, `${tree.length} pages`);
    assert.ok(tree.every((r) => r.url.includes(`/tree/${repos.gpt2.sha}`)), 'every page at the pinned commit');
    const graph = l.files.find((f) => f.path === 'onnx/model.onnx')!;
    assert.strictEqual(graph.lfsSha256, repos.gpt2.files.find((f) => f.path === 'onnx/model.onnx')!.sha256);
  });

  it('refuses a listing with an absolute path, a climbing path or two sizes for one file', async () => {
    const bad = [
      { type: 'file', path: '/etc/passwd', size: 1, oid: 'a'.repeat(40) },
      { type: 'file', path: 'onnx/../../../.bashrc', size: 1, oid: 'a'.repeat(40) },
      { type: 'file', path: 'onnx/x.onnx', size: 10, oid: 'a'.repeat(40), lfs: { oid: 'b'.repeat(64), size: 11 } },
    ];
    for (const entry of bad) {
      repos.bert.extraEntries = [entry];
      const e = await hubError(fetchListing(client(server), 'test-org/tiny-bert'));
      assert.strictEqual(e.kind, 'badListing');
      assert.match(e.message, /refused/);
    }
    repos.bert.extraEntries = undefined;
  });

  it('says what to do for each error the Hub gives', async () => {
    const none = await hubError(fetchListing(client(server), 'test-org/no-such'));
    assert.strictEqual(none.kind, 'signIn');
    assert.match(none.message, /sign in: set a token/);
    assert.strictEqual((await hubError(fetchListing(client(server, PLAIN_TOKEN), 'test-org/no-such'))).kind, 'noRepo');
    assert.strictEqual((await hubError(fetchListing(client(server), 'test-org/private-gpt2'))).kind, 'signIn');
    const gated = await hubError(hubGet(client(server, PLAIN_TOKEN), resolveUrl(new URL(server.hubUrl), 'test-org/gated-gpt2', 'main', 'config.json'), { repo: 'test-org/gated-gpt2' }));
    assert.strictEqual(gated.kind, 'gated');
    assert.match(gated.message, /accept the terms at https:\/\/huggingface\.co\/test-org\/gated-gpt2/);
    assert.strictEqual(gated.openUrl, 'https://huggingface.co/test-org/gated-gpt2');
    const noFile = await hubError(hubGet(client(server), resolveUrl(new URL(server.hubUrl), 'test-org/tiny-gpt2', 'main', 'nope.json'), { repo: 'test-org/tiny-gpt2', file: 'nope.json' }));
    assert.strictEqual(noFile.kind, 'noFile');
    assert.match(noFile.message, /no file nope\.json/);
  });

  it('waits as RateLimit says, and says so', async () => {
    server.rateLimit = { count: 1, seconds: 1 };
    const waits: number[] = [];
    const t0 = Date.now();
    const l = await fetchListing(client(server, undefined, { onWait: (s) => waits.push(s) }), 'test-org/tiny-bert');
    assert.strictEqual(l.sha, repos.bert.sha);
    assert.deepStrictEqual(waits, [1]);
    assert.ok(Date.now() - t0 >= 950);
    server.rateLimit = { count: 9, seconds: 1 };
    assert.strictEqual((await hubError(fetchListing(client(server, undefined, { maxWaits: 0 }), 'test-org/tiny-bert'))).kind, 'rateLimited');
    server.rateLimit.count = 0;
  });

  it('sends the token to the Hub only, never to the CDN it redirects to, and only the User-Agent besides', async () => {
    const h = client(server, GRANTED_TOKEN);
    const { response } = await hubGet(h, resolveUrl(h.endpoint, 'test-org/gated-gpt2', 'main', 'onnx/model.onnx'), { repo: 'test-org/gated-gpt2' });
    assert.strictEqual(response.status, 200);
    await response.arrayBuffer();
    const hub = server.requests.filter((r) => r.server === 'hub');
    const cdn = server.requests.filter((r) => r.server === 'cdn');
    assert.ok(hub.length === 1 && cdn.length === 1);
    assert.strictEqual(hub[0]!.headers.authorization, `Bearer ${GRANTED_TOKEN}`);
    assert.strictEqual(cdn[0]!.headers.authorization, undefined);
    for (const r of [...hub, ...cdn]) {
      assert.strictEqual(r.headers['user-agent'], 'attention-lens/0.1.0');
      assert.ok(!Object.keys(r.headers).some((k) => k.startsWith('x-') || k === 'cookie'), Object.keys(r.headers).join());
    }
  });
});
