// Issue 18 in the real VS Code: the Hub's ONNX forms (test/fixtures/make_hub_forms.py and
// make_fused.py, built by the runner before the passes) set as attentionLens.modelPath as they come.
// Explain runs on each; the panel's header names the graph file and its dtype; and the attention the
// panel exports (JSON, through the save dialog) equals a reference on the same token ids:
// onnxruntime-node on the form's graph with its Softmax outputs added (the plain and quantized forms),
// or numpy's softmax(QKᵀ·scale + mask) from the fused graph's own weights (fused attention has no
// Softmax node to expose). WASM pass only: the browser tests cover WebGPU.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../../src/api';
import { readDescription } from '../../../src/models/describe';
import { findModelFiles } from '../../../src/models/layout';
import type { ResultMessage, ToHost } from '../../../src/shared/protocol';
import { ensureFixtures } from '../../fixtures/build';
import { FUSED_KINDS, ensureFusedModels, numpyAttention } from '../../fixtures/fusedModels';
import { HubForm, ensureHubForms, hubForm } from '../../fixtures/hubForms';
import { hubReference, maxAbsDiff } from '../../support/hubReference';
import { llama2JsonCapped } from '../../support/tokenizerFixtures';
import { ui } from '../driverClient';
import { Recorder, closePanelTab, lensApi, nextMessage, testPass, until } from './helpers';

const PASS = testPass();
const SENTENCE = "The animal didn't cross the street because it was too tired.";
const TOLERANCE = 1e-4;
const settings = () => vscode.workspace.getConfiguration('attentionLens');

interface Form {
  title: string;
  /** What modelPath is set to, from the forms' folder. */
  modelPath: (hub: string, fused: Record<string, string>) => string;
  /** The end of the header's facts line: the graph file and its dtype. */
  header: RegExp;
  reference: (hub: string, fused: Record<string, string>, ids: number[]) => Promise<Float32Array[]>;
  /** Max |panel − reference|: TOLERANCE, or a few float16 steps at 1.0 (2^-10 each) for an fp16 graph. */
  tolerance?: number;
}

async function onnxReference(hub: string, form: HubForm, graph: string | undefined, ids: number[]): Promise<Float32Array[]> {
  const f = hubForm(hub, form, graph);
  const config = await readDescription(await findModelFiles(f.dir));
  const hf = JSON.parse(fs.readFileSync(path.join(f.dir, 'config.json'), 'utf8')) as Record<string, number>;
  const hidden = hf.hidden_size ?? hf.n_embd;
  return hubReference(f.referenceFile as string, ids, config.num_kv_heads ?? config.num_heads, hidden / config.num_heads);
}

function numpyReference(dir: string, ids: number[]): Promise<Float32Array[]> {
  // [layer][head][query][key] (a row may stop at its last key) → [layer] heads·S·S, as onnxruntime-node gives it.
  const S = ids.length;
  return Promise.resolve(numpyAttention(dir, ids).map((heads) => {
    const flat = new Float32Array(heads.length * S * S);
    heads.forEach((rows, h) => rows.forEach((r, i) => r.forEach((v, j) => { flat[(h * S + i) * S + j] = v; })));
    return flat;
  }));
}

const hubCase = (title: string, form: HubForm, graph: string | undefined, header: RegExp): Form => ({
  title, header,
  modelPath: (hub) => (graph ? path.join(hub, form, graph) : path.join(hub, form)),
  reference: (hub, _f, ids) => onnxReference(hub, form, graph, ids),
});

const FORMS: Form[] = [
  hubCase('merged decoder (GPT-2, If on use_cache_branch)', 'gpt2-merged', undefined, /onnx\/model\.onnx \(fp32\)$/),
  hubCase('merged Llama-like decoder with external data', 'llama-merged-external', undefined, /onnx\/decoder_model_merged\.onnx \(fp32\)$/),
  hubCase('external data in model.onnx_data + _1', 'llama-external', undefined, /onnx\/model\.onnx \(fp32\)$/),
  hubCase('external data in model.onnx.data', 'gpt2-external', undefined, /· model\.onnx \(fp32\)$/),
  hubCase('a folder with several graphs: the pick is model', 'gpt2-variants', undefined, /onnx\/model\.onnx \(fp32\)$/),
  hubCase('q8 (DynamicQuantizeLinear + MatMulInteger), the file as modelPath', 'gpt2-variants', 'onnx/model_quantized.onnx', /onnx\/model_quantized\.onnx \(q8\)$/),
  hubCase('q4 (MatMulNBits), the file as modelPath', 'gpt2-variants', 'onnx/model_q4.onnx', /onnx\/model_q4\.onnx \(q4\)$/),
  { ...hubCase('fp16 (float16 weights and kernels), the file as modelPath', 'gpt2-variants', 'onnx/model_fp16.onnx', /onnx\/model_fp16\.onnx \(fp16\)$/), tolerance: 2e-3 },
  ...FUSED_KINDS.map((kind): Form => ({
    title: `fused attention: ${{ 'gqa-rotary': 'GroupQueryAttention with do_rotary', 'gqa-rope': 'GroupQueryAttention with separate RotaryEmbedding', mha: 'MultiHeadAttention', 'ms-attention': 'com.microsoft Attention', 'onnx-attention': 'ONNX Attention' }[kind]}`,
    header: /model\.onnx \(fp32\)$/,
    modelPath: (_h, fused) => fused[kind],
    reference: (_h, fused, ids) => numpyReference(fused[kind], ids),
  })),
];

async function exportedAttention(name: string): Promise<number[][][][]> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder);
  const file = vscode.Uri.joinPath(folder.uri, `hub-form-${name}.json`);
  // Prose opens in the words view on a tokenizer that splits words: the reference is per token.
  await ui.webviewEval('.unit-switch', `(() => { const b = document.querySelector('.unit-switch'); if (b.checked) { b.checked = false; b.dispatchEvent(new Event('change')); } return true; })()`);
  await ui.webviewEval('vscode-button[data-export="json"]', `(document.querySelector('vscode-button[data-export="json"]').click(), true)`);
  await ui.typeInput(file.fsPath);
  const bytes = await until('the export on disk', async () => {
    try {
      return await vscode.workspace.fs.readFile(file);
    } catch {
      return undefined;
    }
  });
  const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as { unit: string; attentions: number[][][][] };
  assert.strictEqual(json.unit, 'token');
  return json.attentions;
}

async function closePanel(api: AttentionLensApi): Promise<void> {
  if (api.stats().panels === 0) return;
  await closePanelTab();
  await until('the panel to close', () => api.stats().panels === 0);
}

if (PASS === 'wasm') describe(`The Hub's ONNX forms as modelPath (${PASS} pass)`, function () {
  this.timeout(180_000);
  let api: AttentionLensApi;
  let hub: string;
  let fused: Record<string, string>;
  const lines: string[] = [];

  before(async () => {
    api = await lensApi();
    // Built by the runner before the passes; here they are only found in the cache.
    hub = ensureHubForms();
    fused = ensureFusedModels();
  });
  after(async () => {
    await settings().update('modelPath', undefined, vscode.ConfigurationTarget.Global);
    for (const l of lines) await ui.log(`      ${l}`);
  });

  FORMS.forEach((form, n) => {
    const tolerance = form.tolerance ?? TOLERANCE;
    it(`${form.title}: Explain runs, the header names the file and dtype, the exported attention equals the reference within ${tolerance}`, async () => {
      await closePanel(api);
      const modelPath = form.modelPath(hub, fused);
      await settings().update('modelPath', modelPath, vscode.ConfigurationTarget.Global);
      await until('modelPath to apply', () => settings().get<string>('modelPath') === modelPath);
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder);
      const file = path.join(folder.uri.fsPath, `hub-form-${n}.md`);
      fs.writeFileSync(file, `${SENTENCE}\n`);
      const doc = await vscode.workspace.openTextDocument(file);
      const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
      const at = doc.positionAt(SENTENCE.indexOf(' it ') + 2);
      editor.selection = new vscode.Selection(at, at);
      const result = nextMessage(api, `a result from ${form.title}`, (m: ToHost): m is ResultMessage => m.type === 'result');
      await vscode.commands.executeCommand('attentionLens.explainHere');
      const res = await result;
      const model = api.model();
      assert.ok(model && !model.bundled, `the bundled model ran instead (${api.lastError() ?? 'no error'})`);
      const header = await until('the header to name the graph', async () => {
        const t = ((await ui.webviewText('.model-facts'))[0] ?? '').trim();
        return form.header.test(t) ? t : null;
      });
      const run = api.lastRun();
      assert.ok(run && run.runId === res.runId);
      const ids = run.message.tokens.map((t) => t.id);
      const want = await form.reference(hub, fused, ids);
      const exported = await exportedAttention(`${n}`);
      const worst = maxAbsDiff(exported, want, ids.length);
      if (worst > tolerance) await ui.log(`      ids ${ids.join(',')}; exported L0H0 rows 0-2 ${JSON.stringify(exported[0][0].slice(0, 3))}; reference ${JSON.stringify(Array.from(want[0].slice(0, 3 * ids.length)))}`);
      lines.push(`${form.title}: "${header}"; ${ids.length} tokens; max |panel − reference| = ${worst.toExponential(2)}; load ${res.loadMs.toFixed(0)} ms, inference ${res.inferenceMs.toFixed(1)} ms`);
      assert.ok(worst <= tolerance, `max diff ${worst}`);
    });
  });

  // Issue 18's report: on a tokenizer with no pre-tokenizer and a ▁ normalizer (Llama 2, TinyLlama,
  // Mistral) the words view made the whole paragraph one "word".
  it('words on a Llama-2-style tokenizer (pre_tokenizer null, ▁ normalizer): the cursor on "She" gives word-level targets, not the paragraph', async () => {
    const story = 'One day, Lily went to the park with her mom. She lost the ball, and her mom helped her find it under a tree.';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-llama2-words-'));
    try {
      fs.cpSync(ensureFixtures().llama.dir, dir, { recursive: true });
      const vocab = (JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { vocab_size: number }).vocab_size;
      const tokenizer = llama2JsonCapped(vocab);
      assert.strictEqual((JSON.parse(tokenizer) as { pre_tokenizer: unknown }).pre_tokenizer, null);
      fs.writeFileSync(path.join(dir, 'tokenizer.json'), tokenizer);
      await closePanel(api);
      await settings().update('modelPath', dir, vscode.ConfigurationTarget.Global);
      await until('modelPath to apply', () => settings().get<string>('modelPath') === dir);
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder);
      const file = path.join(folder.uri.fsPath, 'hub-form-words.md');
      fs.writeFileSync(file, `${story}\n`);
      const doc = await vscode.workspace.openTextDocument(file);
      const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
      const at = doc.positionAt(story.indexOf('She') + 1);
      editor.selection = new vscode.Selection(at, at);
      const rec = new Recorder(api);
      let summary: string;
      try {
        await vscode.commands.executeCommand('attentionLens.explainHere');
        summary = await until('the explanation', () => {
          const run = api.lastRun();
          return run && run.documentUri === doc.uri.toString() ? rec.of('explanation', run.runId)[0]?.summary : undefined;
        }, 120_000);
      } finally {
        rec.dispose();
      }
      assert.ok(api.model() && !api.model()?.bundled, api.lastError());
      // "She → mom 20%, Lily 9% (itself 8%, <bos> 30%)": the focus and every target are single words.
      const m = /^She → (.+?)(?: \((?:itself|<bos>) [^)]*\))?(?:; layer \d+ head \d+, [^:]+: .+)?$/.exec(summary);
      assert.ok(m, `the headline does not start from the word "She": ${summary}`);
      const names = m[1].split(', ').map((x) => x.replace(/ (<1|\d+)%$/, ''));
      for (const n of names) assert.ok(!/\s/.test(n.trim()) && n.length < 12, `"${n}" in "${summary}" is not a word`);
      const shown = await ui.webviewText('.tokens .tok');
      assert.ok(shown.length >= story.split(' ').length, `the words view shows ${shown.length} units: ${shown.join(' | ')}`);
      lines.push(`Llama-2-style tokenizer, words view: ${summary}`);
    } finally {
      await settings().update('modelPath', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
