// The JSON export: every layer and head of the run (not only the view), plus the view on screen.
//
// Shape ("format": "attention-lens/1"); every index is a 0-based array index:
//   model, backend, source, unit ('token' | 'word'), tokens[{text, start, end, special}] (in the words
//     view: words, a word's range the union of its tokens'; attention to a word summed, from a word averaged),
//   attentions[layer][head][i] = token i's weights on tokens 0..k (row i cut after its last non-zero
//     weight, so a causal model's row i has at most i + 1 numbers; the missing ones are 0),
//   view {mode, layer, head, heads, direction, pinned, description, matrix[i]} = the matrix on
//     screen (the same cut rows).
// Weights are rounded to 6 decimals (the model's float32 values to within 5e-7).
import type { RunData } from './runData';
import { ViewState, describeView } from './viewState';

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** Rows of a [seq, seq] matrix, each cut after its last non-zero weight. */
export function trimmedRows(m: Float32Array, seq: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < seq; i++) {
    let end = seq;
    while (end > 0 && round6(m[i * seq + end - 1]) === 0) end--;
    const r = new Array<number>(end);
    for (let j = 0; j < end; j++) r[j] = round6(m[i * seq + j]);
    rows.push(r);
  }
  return rows;
}

export function exportJson(run: RunData, view: ViewState, matrix: Float32Array, pinned: number | null, unit: 'token' | 'word' = 'token'): string {
  const { seq, heads } = run.stack;
  const doc = {
    format: 'attention-lens/1',
    note: 'indices are 0-based; each row is cut after its last non-zero weight (missing weights are 0); weights rounded to 6 decimals',
    model: { name: run.modelName, architecture: run.config.architecture, num_layers: run.config.num_layers, num_heads: heads },
    backend: { used: run.backend, reason: run.backendReason, inferenceMs: round6(run.inferenceMs) },
    source: run.message.source,
    unit,
    truncation: run.message.truncation,
    tokens: run.tokens.map((t) => ({ text: t.text, start: t.start, end: t.end, special: t.special })),
    attentions: run.stack.layers.map((layer) =>
      Array.from({ length: heads }, (_, h) => trimmedRows(layer.subarray(h * seq * seq, (h + 1) * seq * seq), seq))),
    view: {
      mode: view.mode,
      layer: view.layer,
      head: view.head,
      heads: view.heads,
      direction: view.direction,
      pinned,
      description: describeView(view, heads),
      matrix: trimmedRows(matrix, seq),
    },
  };
  return JSON.stringify(doc);
}
