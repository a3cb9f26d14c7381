// Folder layouts as users have them (model.onnx at the top; graphs under onnx/; a path naming one
// .onnx file), the folder read once per change, and the attention memory budget.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ModelFolderError, folderReads, loadModelFolder, loadModelFolderCached, loadWithFallback } from '../../src/models/modelFolder';
import { attentionBytes, tokenLimit, tokensWithin } from '../../src/models/budget';
import { FolderCache } from '../../src/models/folderCache';
import { findModelFiles, rankGraphs } from '../../src/models/layout';

const BUNDLED = path.resolve(__dirname, '../../../models/default');

describe('model folder layouts', () => {
  let dir: string;
  const at = (...p: string[]): string => path.join(dir, ...p);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-layout-'));
    for (const f of ['config.json', 'tokenizer.json']) fs.copyFileSync(path.join(BUNDLED, f), at(f));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const graph = (...p: string[]): void => {
    fs.mkdirSync(path.dirname(at(...p)), { recursive: true });
    fs.symlinkSync(path.join(BUNDLED, 'model.onnx'), at(...p));
  };

  it('ranks graphs as transformers.js picks: fp32, then quantized, q4, fp16; model before decoder_model_merged; never a graph that needs a past cache', () => {
    assert.deepStrictEqual(
      rankGraphs(['model_fp16.onnx', 'model_quantized.onnx', 'decoder_with_past_model.onnx', 'decoder_model_merged.onnx', 'model.onnx', 'model_q4.onnx', 'notes.txt']),
      ['model.onnx', 'decoder_model_merged.onnx', 'model_quantized.onnx', 'model_q4.onnx', 'model_fp16.onnx'],
    );
    assert.deepStrictEqual(rankGraphs(['decoder_model_merged_quantized.onnx', 'decoder_model_merged.onnx']), ['decoder_model_merged.onnx', 'decoder_model_merged_quantized.onnx']);
    assert.deepStrictEqual(rankGraphs(['decoder_model_quantized.onnx', 'decoder_model.onnx']), ['decoder_model.onnx', 'decoder_model_quantized.onnx']);
  });

  it('model.onnx at the top', async () => {
    graph('model.onnx');
    const f = await findModelFiles(dir);
    assert.strictEqual(f.model, at('model.onnx'));
    assert.strictEqual(f.config, at('config.json'));
    assert.strictEqual(f.tokenizerConfig, undefined);
  });

  it('graphs under onnx/ with the tokenizer files at the top', async () => {
    graph('onnx', 'model_quantized.onnx');
    graph('onnx', 'model_fp16.onnx');
    graph('onnx', 'model.onnx');
    fs.writeFileSync(at('tokenizer_config.json'), '{}');
    fs.writeFileSync(at('special_tokens_map.json'), '{}');
    const f = await findModelFiles(dir);
    assert.strictEqual(f.model, at('onnx', 'model.onnx'));
    assert.deepStrictEqual(f.variants.map((v) => path.relative(dir, v)), ['onnx/model.onnx', 'onnx/model_quantized.onnx', 'onnx/model_fp16.onnx']);
    assert.strictEqual(f.tokenizerConfig, at('tokenizer_config.json'));
    assert.strictEqual(f.specialTokensMap, at('special_tokens_map.json'));
    const m = await loadModelFolder(dir, false);
    assert.strictEqual(m.modelFile, at('onnx', 'model.onnx'));
    assert.strictEqual(m.dir, dir);
  });

  it('modelPath naming one .onnx file picks that variant, the rest of the folder one level up', async () => {
    graph('onnx', 'model.onnx');
    graph('onnx', 'model_quantized.onnx');
    const m = await loadModelFolder(at('onnx', 'model_quantized.onnx'), false);
    assert.strictEqual(m.modelFile, at('onnx', 'model_quantized.onnx'));
    assert.strictEqual(m.dir, dir);
    assert.strictEqual(m.files.config, at('config.json'));
    graph('mine.onnx');
    assert.strictEqual((await loadModelFolder(at('mine.onnx'), false)).modelFile, at('mine.onnx'));
  });

  it('a folder with only graphs that need a past cache, or with none, says so', async () => {
    graph('onnx', 'decoder_with_past_model.onnx');
    await assert.rejects(loadModelFolder(dir, false), (e: Error) => e instanceof ModelFolderError
      && /model\.onnx is missing, and decoder_with_past_model\.onnx needs a key\/value cache from another graph/.test(e.message));
    fs.rmSync(at('onnx'), { recursive: true });
    await assert.rejects(loadModelFolder(dir, false), /model\.onnx is missing \(looked at the top and in onnx\/\)/);
    fs.writeFileSync(at('x.bin'), 'x');
    await assert.rejects(loadModelFolder(at('x.bin'), false), /x\.bin is not a folder or an \.onnx file/);
  });

  it('a graph over the size the page can hold is refused with the limit and why', async () => {
    graph('model.onnx');
    await assert.rejects(loadModelFolder(dir, false, 1024 * 1024), /model\.onnx is \d+ MB; Attention Lens loads models of at most 1 MB \(the panel's WebAssembly memory is 4 GB/);
  });

  it('a folder is read once, and again when one of its files changes', async () => {
    graph('model.onnx');
    const before = folderReads();
    const a = await loadModelFolderCached(dir, false);
    const b = await loadModelFolderCached(dir, false);
    assert.strictEqual(a, b);
    assert.strictEqual(folderReads() - before, 1);
    const c = JSON.parse(fs.readFileSync(at('config.json'), 'utf8'));
    c.name = 'renamed';
    fs.writeFileSync(at('config.json'), JSON.stringify(c));
    const d = await loadModelFolderCached(dir, false);
    assert.strictEqual(d.config.name, 'renamed');
    assert.strictEqual(folderReads() - before, 2);
  });

  it('a broken folder falls back to the bundled model, and is read again once fixed', async () => {
    graph('model.onnx');
    const good = fs.readFileSync(at('config.json'), 'utf8');
    fs.writeFileSync(at('config.json'), '{"model_type": "gpt2"}');
    const bad = await loadWithFallback({ dir, bundled: false, notice: null }, BUNDLED);
    assert.strictEqual(bad.model.bundled, true);
    assert.match(bad.warning ?? '', /config\.json gives no number of layers.*Using the bundled model instead/);
    fs.writeFileSync(at('config.json'), good);
    const fixed = await loadWithFallback({ dir, bundled: false, notice: null }, BUNDLED);
    assert.strictEqual(fixed.warning, null);
    assert.strictEqual(fixed.model.dir, dir);
  });
});

describe('folder cache', () => {
  it('keeps the newest few, drops a failed load', async () => {
    const cache = new FolderCache<number>(2);
    let n = 0;
    const load = async (): Promise<number> => ++n;
    assert.strictEqual(await cache.get('a', 's', load), 1);
    assert.strictEqual(await cache.get('a', 's', load), 1);
    assert.strictEqual(await cache.get('a', 't', load), 2);
    await cache.get('b', 's', load);
    await cache.get('c', 's', load);
    assert.strictEqual(await cache.get('a', 't', load), 5, 'a was evicted');
    await assert.rejects(cache.get('x', 's', () => Promise.reject(new Error('bad'))));
    await new Promise((r) => setImmediate(r));
    assert.strictEqual(await cache.get('x', 's', load), 6);
  });
});

describe('attention memory budget', () => {
  it('GPT-2 small at 512 tokens is 151 MB and fits the default 256 MB; 1024 tokens does not', () => {
    assert.strictEqual(Math.round(attentionBytes(12, 12, 512) / 1e6), 151);
    assert.strictEqual(tokensWithin(256, 12, 12), 682);
    assert.deepStrictEqual(tokenLimit({ setting: 512, model: 1024, layers: 12, heads: 12, budgetMB: 256 }), { tokens: 512, by: 'setting', reason: null });
    const l = tokenLimit({ setting: 1024, model: 1024, layers: 12, heads: 12, budgetMB: 256 });
    assert.strictEqual(l.tokens, 682);
    assert.strictEqual(l.by, 'memory');
    assert.match(l.reason ?? '', /1024 tokens of 12 layers × 12 heads would need 576 MB of attention, more than the attentionLens\.attentionMemoryMB budget \(256 MB\); the window is 682 tokens/);
    assert.ok(attentionBytes(12, 12, l.tokens) <= 256 * 1024 * 1024);
    assert.ok(attentionBytes(12, 12, l.tokens + 1) > 256 * 1024 * 1024);
  });

  it('the model context or the setting limits first when smaller', () => {
    assert.deepStrictEqual(tokenLimit({ setting: 8192, model: 512, layers: 4, heads: 6, budgetMB: 256 }), { tokens: 512, by: 'model', reason: null });
    assert.strictEqual(tokenLimit({ setting: 8192, model: 8192, layers: 22, heads: 32, budgetMB: 16 }).tokens, 77);
    assert.strictEqual(tokenLimit({ setting: 8192, model: 8192, layers: 1000, heads: 1000, budgetMB: 1 }).tokens, 2);
  });
});
