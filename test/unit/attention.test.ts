// The attention math against values worked out by hand (the working is in the comments).
import * as assert from 'assert';
import { aggregateHeads, attentionSteps, column, headMatrix, makeStack, maxAboveDiagonal, rowSums, softmax, topFrom, topTargets, topTo } from '../../src/shared/attention';
import { multiply, rollout, withResidual } from '../../src/shared/rollout';

const close = (actual: ArrayLike<number>, expected: number[], tol = 1e-6): void => {
  assert.strictEqual(actual.length, expected.length, 'length');
  for (let i = 0; i < expected.length; i++) {
    assert.ok(actual[i] === expected[i] || Math.abs(actual[i] - expected[i]) <= tol, `[${i}] ${actual[i]} != ${expected[i]}`);
  }
};

// One causal layer, 2 heads, 3 tokens.
const H0 = [1, 0, 0, 0.5, 0.5, 0, 0.2, 0.3, 0.5];
const H1 = [1, 0, 0, 0.1, 0.9, 0, 0.6, 0.2, 0.2];
const layer = Float32Array.from([...H0, ...H1]);

describe('head aggregation', () => {
  it('picks one head as a view', () => {
    close(headMatrix(layer, 1, 3), H1);
  });
  it('mean of heads: (H0 + H1) / 2', () => {
    close(aggregateHeads(layer, 3, [0, 1], 'mean'), [1, 0, 0, 0.3, 0.7, 0, 0.4, 0.25, 0.35]);
  });
  it('mean of one head is that head', () => {
    close(aggregateHeads(layer, 3, [0], 'mean'), H0);
  });
  it('max of heads, element by element', () => {
    close(aggregateHeads(layer, 3, [0, 1], 'max'), [1, 0, 0, 0.5, 0.9, 0, 0.6, 0.3, 0.5]);
  });
  it('refuses an empty head set', () => {
    assert.throws(() => aggregateHeads(layer, 3, [], 'mean'), /at least one head/);
  });
  it('rows of the mean still sum to 1; rows of the max need not', () => {
    close(rowSums(aggregateHeads(layer, 3, [0, 1], 'mean'), 3), [1, 1, 1]);
    close(rowSums(aggregateHeads(layer, 3, [0, 1], 'max'), 3), [1, 1.4, 1.4]);
  });
  it('causal zeros: nothing above the diagonal', () => {
    assert.strictEqual(maxAboveDiagonal(aggregateHeads(layer, 3, [0, 1], 'max'), 3), 0);
    assert.strictEqual(maxAboveDiagonal(Float32Array.from([0.5, 0.5, 0, 1]), 2), 0.5);
  });
  it('makeStack checks every layer has heads·seq·seq values', () => {
    assert.throws(() => makeStack([layer, new Float32Array(17)], 2, 3), /attentions\.1 has 17 values, expected 2×3×3/);
  });
});

describe('rollout (Abnar & Zuidema 2020)', () => {
  // mean M = [[1,0,0],[0.3,0.7,0],[0.4,0.25,0.35]]; Â = 0.5·M + 0.5·I
  //        = [[1,0,0],[0.15,0.85,0],[0.2,0.125,0.675]]
  const hat = [1, 0, 0, 0.15, 0.85, 0, 0.2, 0.125, 0.675];
  it('one layer: 0.5·mean + 0.5·I', () => {
    const r = rollout(makeStack([layer], 2, 3));
    assert.strictEqual(r.length, 1);
    close(r[0], hat);
  });
  it('two layers: Â·Â, worked by hand', () => {
    // row 1: [0.15·1 + 0.85·0.15, 0.85·0.85, 0] = [0.2775, 0.7225, 0]
    // row 2: [0.2 + 0.125·0.15 + 0.675·0.2, 0.125·0.85 + 0.675·0.125, 0.675²]
    //      = [0.35375, 0.190625, 0.455625]
    const r = rollout(makeStack([layer, layer], 2, 3));
    close(r[0], hat);
    close(r[1], [1, 0, 0, 0.2775, 0.7225, 0, 0.35375, 0.190625, 0.455625]);
    close(rowSums(r[1], 3), [1, 1, 1]);
    assert.strictEqual(maxAboveDiagonal(r[1], 3), 0);
  });
  it('renormalises rows that do not sum to 1', () => {
    // row [0.2, 0.2] with residual 0.5 → [0.6, 0.1] → /0.7
    close(withResidual(Float32Array.from([0.2, 0.2, 0, 1]), 2, 0.5), [0.6 / 0.7, 0.1 / 0.7, 0, 1]);
  });
  it('the zero-skipping product equals the plain product on a dense matrix', () => {
    const n = 5;
    const a = Float64Array.from({ length: n * n }, (_, k) => ((k * 7919) % 13) / 13);
    const b = Float64Array.from({ length: n * n }, (_, k) => (k % 3 === 0 ? 0 : ((k * 104729) % 11) / 11));
    const plain = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) plain[i * n + j] += a[i * n + k] * b[k * n + j];
    close(multiply(a, b, n), Array.from(plain), 1e-12);
  });
});

describe('top-k and row sums', () => {
  const m = Float32Array.from([1, 0, 0, 0.3, 0.7, 0, 0.4, 0.25, 0.35]);
  it('top targets of a row (from), largest first', () => {
    assert.deepStrictEqual(topFrom(m, 3, 2, { k: 2 }).map((t) => t.index), [0, 2]);
    assert.ok(Math.abs(topFrom(m, 3, 2, { k: 2 })[1].weight - 0.35) < 1e-7);
  });
  it('top of a column (to): who attends to token 0', () => {
    close(column(m, 3, 0), [1, 0.3, 0.4]);
    assert.deepStrictEqual(topTo(m, 3, 0, { k: 3 }).map((t) => t.index), [0, 2, 1]);
  });
  it('zeros are never targets; minWeight cuts, atLeast keeps a floor', () => {
    assert.deepStrictEqual(topFrom(m, 3, 0, { k: 3 }).map((t) => t.index), [0]);
    assert.deepStrictEqual(topTargets([0.05, 0.02, 0.005], { k: 8, minWeight: 0.01 }).map((t) => t.index), [0, 1]);
    assert.deepStrictEqual(topTargets([0.005, 0.002, 0.001], { k: 8, minWeight: 0.01, atLeast: 2 }).map((t) => t.index), [0, 1]);
  });
  it('ties keep the earlier token first; exclude leaves tokens out', () => {
    assert.deepStrictEqual(topTargets([0.2, 0.4, 0.4], { k: 3 }).map((t) => t.index), [1, 2, 0]);
    assert.deepStrictEqual(topTargets([0.5, 0.3, 0.2], { k: 3, exclude: (i) => i === 0 }).map((t) => t.index), [1, 2]);
  });
});

describe('softmax(QKᵀ/√d_k) for one token, by hand', () => {
  // d_k = 4, so √d_k = 2. q₁ = [1, 2, 0, 1].
  // k₀ = [2, 0, 1, 0] → q·k = 2;  k₁ = [0, 1, 0, 2] → 2 + 2 = 4;  k₂ = [1, 1, 1, 1] → 4.
  // Causal (token 1 cannot see token 2): scaled = [1, 2, −∞];
  //   softmax = [e/(e+e²), e²/(e+e²), 0] = [1/(1+e), e/(1+e), 0] = [0.268941, 0.731059, 0].
  // Bidirectional: scaled = [1, 2, 2]; softmax = [1/(1+2e), e/(1+2e), e/(1+2e)] = [0.155362, 0.422319, 0.422319].
  const dk = 4;
  const seq = 3;
  const q = [0, 0, 0, 0, 1, 2, 0, 1, 0, 0, 0, 0]; // tokens 0 and 2 do not matter here
  const k = [2, 0, 1, 0, 0, 1, 0, 2, 1, 1, 1, 1];
  // two heads: head 1 is head 0's numbers, to check the head offset
  const Q = Float32Array.from([...q.map(() => 9), ...q]);
  const K = Float32Array.from([...k.map(() => 9), ...k]);
  it('causal: Q·K, ÷√d_k, softmax', () => {
    const s = attentionSteps(Q, K, 1, seq, dk, 1, true);
    close(s.dots, [2, 4, -Infinity]);
    close(s.scaled, [1, 2, -Infinity]);
    close(s.weights, [1 / (1 + Math.E), Math.E / (1 + Math.E), 0]);
    close(s.weights, [0.268941, 0.731059, 0]);
  });
  it('bidirectional: every key counts', () => {
    const s = attentionSteps(Q, K, 1, seq, dk, 1, false);
    close(s.scaled, [1, 2, 2]);
    close(s.weights, [0.155362, 0.422319, 0.422319]);
  });
  it('softmax is shift-invariant and sums to 1', () => {
    close(softmax([1000, 1001]), [1 / (1 + Math.E), Math.E / (1 + Math.E)]);
    close(softmax([-Infinity, 0]), [0, 1]);
    close(softmax([-Infinity]), [0]);
  });
});
