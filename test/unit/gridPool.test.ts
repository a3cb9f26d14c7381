// The heads grid's matrix thumbnail: each pixel is the largest weight of the cells it covers.
// Checked against the plain per-cell definition on shrinking, equal and growing sizes.
import * as assert from 'assert';
import { maxPool } from '../../webview/grid';

/** The definition, cell by cell: cell (i, j) covers [⌊k·s⌋, max(⌊k·s⌋+1, ⌊(k+1)·s⌋)) on each axis. */
function reference(m: Float32Array, seq: number, px: number): Float32Array {
  const best = new Float32Array(px * px);
  const s = px / seq;
  for (let i = 0; i < seq; i++) {
    for (let j = 0; j < seq; j++) {
      const w = m[i * seq + j];
      const y0 = Math.floor(i * s);
      const x0 = Math.floor(j * s);
      for (let y = y0; y < Math.max(y0 + 1, Math.floor((i + 1) * s)) && y < px; y++) {
        for (let x = x0; x < Math.max(x0 + 1, Math.floor((j + 1) * s)) && x < px; x++) best[y * px + x] = Math.max(best[y * px + x], w);
      }
    }
  }
  return best;
}

function causalRandom(seq: number, seed: number): Float32Array {
  let a = seed;
  const rand = (): number => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
  const m = new Float32Array(seq * seq);
  for (let i = 0; i < seq; i++) for (let j = 0; j <= i; j++) m[i * seq + j] = rand() ** 3;
  return m;
}

describe('heads grid thumbnail (maxPool)', () => {
  for (const [seq, px] of [[5, 72], [72, 72], [100, 72], [513, 72], [7, 3]]) {
    it(`${seq} tokens on ${px}×${px} pixels equals the per-cell definition`, () => {
      const m = causalRandom(seq, seq * 31 + px);
      assert.deepStrictEqual(maxPool(m, seq, px), reference(m, seq, px));
    });
  }

  it('a single large weight lands on the pixel of its cell', () => {
    const seq = 10;
    const m = new Float32Array(seq * seq);
    m[9 * seq + 0] = 0.8; // last token → first token
    const p = maxPool(m, seq, 5);
    assert.strictEqual(p[4 * 5 + 0], Math.fround(0.8));
    assert.strictEqual(p.filter((v) => v > 0).length, 1);
  });
});
