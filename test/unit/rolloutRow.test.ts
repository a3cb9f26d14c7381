// One row of the rollout, computed as vector × matrices, equals that row of the full rollout.
import * as assert from 'assert';
import { AttentionStack, aggregateHeads, allHeads, makeStack, row } from '../../src/shared/attention';
import { rollout, rolloutRow } from '../../src/shared/rollout';
import { explain } from '../../src/shared/explain';

/** Random attention rows (softmax-like, summing to 1); causal rows are zero after the diagonal. */
function randomStack(layers: number, heads: number, seq: number, causal: boolean, seed: number): AttentionStack {
  let a = seed;
  const rand = (): number => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
  const out: Float32Array[] = [];
  for (let l = 0; l < layers; l++) {
    const m = new Float32Array(heads * seq * seq);
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < seq; i++) {
        const end = causal ? i + 1 : seq;
        let sum = 0;
        for (let j = 0; j < end; j++) sum += m[(h * seq + i) * seq + j] = rand() ** 4;
        for (let j = 0; j < end; j++) m[(h * seq + i) * seq + j] /= sum;
      }
    }
    out.push(m);
  }
  return makeStack(out, heads, seq);
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.strictEqual(actual.length, expected.length, what);
  for (let j = 0; j < actual.length; j++) assert.ok(Math.abs(actual[j] - expected[j]) <= tol, `${what}[${j}]: ${actual[j]} vs ${expected[j]}`);
}

describe('rolloutRow', () => {
  for (const causal of [true, false]) {
    it(`equals every row of the full rollout's last layer (${causal ? 'causal' : 'bidirectional'})`, () => {
      const stack = randomStack(4, 3, 23, causal, causal ? 7 : 11);
      const full = rollout(stack);
      const last = full[full.length - 1];
      for (let i = 0; i < stack.seq; i++) assertClose(rolloutRow(stack, i), row(last, stack.seq, i), 1e-6, `row ${i}`);
    });
  }

  it('follows the residual weight, and a single layer is that layer\'s Â row', () => {
    const stack = randomStack(3, 2, 9, true, 3);
    const full = rollout(stack, 0.3);
    assertClose(rolloutRow(stack, 8, 0.3), row(full[2], 9, 8), 1e-6, 'residual 0.3');
    const one = makeStack([stack.layers[0]], 2, 9);
    assertClose(rolloutRow(one, 5), row(rollout(one)[0], 9, 5), 1e-7, 'one layer');
  });

  it('uses the caller\'s layer means when given', () => {
    const stack = randomStack(2, 4, 12, true, 5);
    const asked: number[] = [];
    const mean = (l: number): Float32Array => {
      asked.push(l);
      return aggregateHeads(stack.layers[l], 12, allHeads(4), 'mean');
    };
    assertClose(rolloutRow(stack, 11, undefined, mean), rolloutRow(stack, 11), 0, 'same numbers');
    assert.deepStrictEqual(asked.sort(), [0, 1]);
  });

  it('gives explain the same rollout line as the full matrices do', () => {
    const stack = randomStack(4, 3, 15, true, 9);
    const tokens = Array.from({ length: 15 }, (_, i) => ({ text: i === 0 ? '' : ` w${i}`, special: i === 0 }));
    const config = { heads: {} };
    for (const focus of [1, 7, 14]) {
      const fast = explain({ tokens, stack, config, focus });
      const full = explain({ tokens, stack, config, focus, rollout: rollout(stack) });
      assert.deepStrictEqual(fast.lines, full.lines);
      assert.deepStrictEqual(fast.topHeads, full.topHeads);
    }
  });
});
