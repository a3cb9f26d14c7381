// SYNTHETIC attention of a model's shape, used only where the model cannot run: rendering and
// hover at more tokens than its context (the hover target is set at 1024 tokens; the
// bundled model takes 512). Every figure measured on it is labelled as synthetic. Pure.
//
// Each row is a causal softmax over earlier tokens of seeded noise plus the patterns real heads
// show (a sink on token 0, a previous-token head, a diagonal head), so the renderer meets the same
// kind of numbers — mostly small, a few large, zeros above the diagonal.

import { seededRandom } from '../../src/shared/seededRandom';

/** One [heads, seq, seq] Float32Array per layer; causal rows that sum to 1. */
export function syntheticAttention(layers: number, heads: number, seq: number, seed = 1): Float32Array[] {
  const rand = seededRandom(seed);
  const out: Float32Array[] = [];
  const scores = new Float64Array(seq);
  for (let l = 0; l < layers; l++) {
    const layer = new Float32Array(heads * seq * seq);
    for (let h = 0; h < heads; h++) {
      const pattern = (l * heads + h) % 3; // 0: sink, 1: previous token, 2: self
      for (let i = 0; i < seq; i++) {
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          let s = 2.5 * rand();
          if (pattern === 0 && j === 0) s += 4;
          if (pattern === 1 && j === i - 1) s += 5;
          if (pattern === 2 && j === i) s += 4;
          scores[j] = s;
          if (s > max) max = s;
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) {
          scores[j] = Math.exp(scores[j] - max);
          sum += scores[j];
        }
        const base = (h * seq + i) * seq;
        for (let j = 0; j <= i; j++) layer[base + j] = scores[j] / sum;
      }
    }
    out.push(layer);
  }
  return out;
}
