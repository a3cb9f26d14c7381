// The page's model cache (issue 20): the host names each model file by its SHA-256, read once per
// unchanged file; init carries it, checked on arrival; the page keeps the most recently used models
// within a byte budget.
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ToWebview, parseToHost, parseToWebview } from '../../src/shared/protocol';
import { parseModelConfig } from '../../src/shared/modelConfig';
import { contentSha256, rememberHashesIn } from '../../src/models/contentKey';
import { loadModelFolder } from '../../src/models/modelFolder';
import { modelFs } from '../../src/env/node/modelFs';
import type { OpenFile } from '../../src/models/modelFs';
import { MODEL_CACHE_MAX_BYTES, cacheBudget, planStore } from '../../webview/cachePlan';

const REPO = path.resolve(__dirname, '..', '..', '..');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

/** An open file over `bytes` that counts its reads. */
function counted(bytes: Uint8Array): OpenFile & { reads: number } {
  const f = { size: bytes.length, reads: 0, read: async (pos: number, len: number) => { f.reads++; return bytes.subarray(pos, pos + len); }, close: async () => undefined };
  return f;
}

describe('model files named by content', () => {
  it('the bundled model folder carries the SHA-256 of its graph', async () => {
    const dir = path.join(REPO, 'models', 'default');
    const folder = await loadModelFolder(dir, true);
    assert.strictEqual(folder.sha256, sha(fs.readFileSync(path.join(dir, 'model.onnx'))));
  });

  it('an unchanged file is hashed once; a changed modification time, or none known, reads it again', async () => {
    const bytes = new TextEncoder().encode(`graph ${Math.random()}`);
    const f = counted(bytes);
    const loc = `/models/${Math.random()}/model.onnx`;
    assert.strictEqual(await contentSha256(loc, f, 1000), sha(bytes));
    assert.strictEqual(await contentSha256(loc, f, 1000), sha(bytes));
    assert.strictEqual(f.reads, 1);
    await contentSha256(loc, f, 2000);
    assert.strictEqual(f.reads, 2);
    await contentSha256(loc, f, 0);
    await contentSha256(loc, f, 0);
    assert.strictEqual(f.reads, 4);
  });

  it('hashes outlive the host: a later window takes them from globalState without reading the file', async () => {
    const bytes = new TextEncoder().encode(`later ${Math.random()}`);
    const loc = `/models/${Math.random()}/model.onnx`;
    const saved = new Map<string, unknown>([['attentionLens.modelHashes', [[`${bytes.length}:5000:${loc}`, 'c'.repeat(64)], ['bad', 'not a hash']]]]);
    const state = { get: <T>(k: string) => saved.get(k) as T | undefined, update: async (k: string, v: unknown) => { saved.set(k, v); } };
    rememberHashesIn(state);
    const f = counted(bytes);
    assert.strictEqual(await contentSha256(loc, f, 5000), 'c'.repeat(64));
    assert.strictEqual(f.reads, 0);
    // A new file is hashed and written back with the rest.
    assert.strictEqual(await contentSha256(loc, f, 6000), sha(bytes));
    const held = new Map(saved.get('attentionLens.modelHashes') as [string, string][]);
    assert.strictEqual(held.get(`${bytes.length}:6000:${loc}`), sha(bytes));
    assert.ok(!held.has('bad'));
  });

  it('a file over one read is hashed whole, in order', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'al-hash-'));
    const file = path.join(tmp, 'big.bin');
    const bytes = new Uint8Array(40 * MiB).map((_, i) => (i * 7919) & 255);
    fs.writeFileSync(file, bytes);
    const open = await modelFs.open(file);
    try {
      assert.strictEqual(await contentSha256(file, open, 0), sha(bytes));
    } finally {
      await open.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('init carries a graph\'s and its external files\' SHA-256, and a malformed one is refused', () => {
    const config = parseModelConfig(fs.readFileSync(path.join(REPO, 'models', 'default', 'config.json'), 'utf8'));
    const good = '0123456789abcdef'.repeat(4);
    const init = (sha256: string, ext = good): ToWebview => ({
      type: 'init', wasmBase: 'x/', backend: 'auto',
      model: { name: 'm', config, modelUri: 'u', sizeBytes: 3, sha256, externalData: [{ location: 'm.data', uri: 'd', sizeBytes: 9, sha256: ext }] },
    });
    assert.deepStrictEqual(parseToWebview(init(good)), init(good));
    assert.throws(() => parseToWebview(init('ABC')), /SHA-256/);
    assert.throws(() => parseToWebview(init(good, 'not-hex')), /SHA-256/);
  });

  it('a result says where the model came from: the page\'s cache or the host', () => {
    const r = (from: unknown) => ({ type: 'result', runId: 1, backend: 'wasm', backendReason: null, loadMs: 1, inferenceMs: 1, phases: { model_from: from } });
    assert.strictEqual((parseToHost(r('cache')) as { phases?: { model_from?: string } }).phases?.model_from, 'cache');
    assert.throws(() => parseToHost(r('disk')));
  });
});

describe('which models the page keeps', () => {
  const e = (sha256: string, bytes: number, usedAt: number) => ({ sha256, bytes, usedAt });

  it('stores a model that fits without dropping anything', () => {
    assert.deepStrictEqual(planStore([e('a', 100, 1)], { sha256: 'b', bytes: 100 }, 300), { store: true, evict: [] });
  });

  it('drops the least recently used models first, only as many as needed', () => {
    const held = [e('new', 100, 30), e('old', 100, 10), e('mid', 100, 20)];
    assert.deepStrictEqual(planStore(held, { sha256: 'x', bytes: 150 }, 300), { store: true, evict: ['old', 'mid'] });
    assert.deepStrictEqual(planStore(held, { sha256: 'x', bytes: 50 }, 300), { store: true, evict: ['old'] });
  });

  it('never stores a model over the whole budget, nor one already there', () => {
    assert.deepStrictEqual(planStore([e('a', 10, 1)], { sha256: 'b', bytes: 301 }, 300), { store: false, evict: [] });
    assert.deepStrictEqual(planStore([e('a', 10, 1)], { sha256: 'a', bytes: 10 }, 300), { store: false, evict: [] });
  });

  it('the budget is 2 GiB, or half of what the browser allows the page when that is less', () => {
    assert.strictEqual(cacheBudget(undefined), MODEL_CACHE_MAX_BYTES);
    assert.strictEqual(cacheBudget(100 * 1024 ** 3), MODEL_CACHE_MAX_BYTES);
    assert.strictEqual(cacheBudget(1000 * MiB), 500 * MiB);
    assert.strictEqual(cacheBudget(Number.NaN), MODEL_CACHE_MAX_BYTES);
  });
});
