// What the webview page's browser suites share: the bundled model, the texts, the run message, the
// JSON export read back, and the view the page should compute from onnxruntime-node's attention.
import * as assert from 'assert';
import * as path from 'path';
import { AttentionStack, aggregateHeads, headMatrix } from '../../src/shared/attention';
import { rollout } from '../../src/shared/rollout';
import { ModelConfig } from '../../src/shared/modelConfig';
import { RunMessage, TokenInfo } from '../../src/shared/protocol';
import { loadTokenizer } from '../../src/models/loadTokenizer';
import { tokenizeForModel } from '../../src/tokenizers/tokenize';
import { Panel, REPO_ROOT, is } from './harness';

export const MODEL_DIR = path.join(REPO_ROOT, 'models', 'default');
export const PROSE = "The animal didn't cross the street because it was too tired.";
export const CODE = 'function area(r: number): number {\n\tconst pi = 3.14159;\n  return pi * r * r; // 🍕 面積\r\n}\n';

export interface ExportedJson {
  tokens: { text: string; special: boolean }[];
  attentions: number[][][][];
  view: { mode: string; layer: number; head: number; heads: number[]; direction: 'from' | 'to'; matrix: number[][] };
  backend: { used: string; reason: string | null };
}

export async function tokensFor(text: string, config: ModelConfig, focusOffset: number | null): Promise<{ tokens: TokenInfo[]; focus: number | null }> {
  const tok = await loadTokenizer(path.join(MODEL_DIR, 'tokenizer.json'));
  const input = tokenizeForModel(tok, text, config, config.max_tokens, focusOffset);
  return { tokens: input.tokens, focus: input.focus };
}

export function runMessage(runId: number, tokens: TokenInfo[], focus: number | null, explainIt: boolean, fileName = 'story.txt'): RunMessage {
  return { type: 'run', runId, source: { fileName, languageId: 'plaintext' }, tokens, truncation: null, focus, explain: explainIt };
}

/** The view's matrix from the native attentions, as the page should compute it. */
export function expectedView(stack: AttentionStack, v: ExportedJson['view']): Float32Array {
  const layer = stack.layers[v.layer];
  switch (v.mode) {
    case 'head': return headMatrix(layer, v.head, stack.seq);
    case 'max': return aggregateHeads(layer, stack.seq, v.heads, 'max');
    case 'rollout': return rollout(stack)[v.layer];
    default: return aggregateHeads(layer, stack.seq, v.heads, 'mean');
  }
}

/** Largest |page − native| over every layer, head and weight of the JSON export. */
export function maxDiff(json: ExportedJson, stack: AttentionStack): number {
  const S = stack.seq;
  let worst = 0;
  json.attentions.forEach((heads, l) => heads.forEach((rows, h) => {
    const m = headMatrix(stack.layers[l], h, S);
    for (let i = 0; i < S; i++) {
      for (let j = 0; j < S; j++) worst = Math.max(worst, Math.abs((rows[i][j] ?? 0) - m[i * S + j]));
    }
  }));
  return worst;
}

export function percents(line: string): number[] {
  return [...line.matchAll(/(\d+)%/g)].map((m) => Number(m[1]));
}

export async function exportJson(panel: Panel): Promise<ExportedJson> {
  const from = await panel.count();
  await panel.page.click('vscode-button[data-export="json"]');
  const save = await panel.waitFor(is.save, { from });
  assert.strictEqual(save.format, 'json');
  assert.strictEqual(save.encoding, 'utf8');
  return JSON.parse(save.data) as ExportedJson;
}

/** SwiftShader is a software adapter, which auto does not use (test/browser/backendAuto.test.ts): WebGPU is asked for by name. */
export const PREFERENCE = { wasm: 'auto', webgpu: 'webgpu' } as const;
