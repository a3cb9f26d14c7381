// Random attention for the pure tests: softmax rows drawn from a seeded generator, so a failure names
// a reproducible case. Causal rows put exactly 0 on later tokens.

/** A deterministic generator (a linear congruential one): the same numbers for the same seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** heads × [seq, seq] softmax rows with random logits; causal rows put exactly 0 on later tokens. */
export function randomLayer(heads: number, seq: number, causal: boolean, next: () => number): Float32Array {
  const out = new Float32Array(heads * seq * seq);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < seq; i++) {
      const last = causal ? i : seq - 1;
      const at = (h * seq + i) * seq;
      let sum = 0;
      for (let j = 0; j <= last; j++) {
        out[at + j] = Math.exp(4 * next());
        sum += out[at + j];
      }
      for (let j = 0; j <= last; j++) out[at + j] /= sum;
    }
  }
  return out;
}
