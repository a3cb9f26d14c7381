// The rollout row of several tokens taken as one unit (a word, or a selection explained as one):
// one pass through the layers gives the mean of the tokens' own rollout rows, and grouped into
// words it equals groupRow over every token's row (the definition the page used before).
import * as assert from 'assert';
import { makeStack } from '../../src/shared/attention';
import { rolloutRow, rolloutSpanRow } from '../../src/shared/rollout';
import { joinUnits } from '../../src/shared/focusGroup';
import { groupColumns, groupRow, groupWords } from '../../src/shared/words';
import type { TokenInfo } from '../../src/shared/protocol';
import { randomLayer, rng } from '../support/randomAttention';

const stackOf = (layers: number, heads: number, seq: number, causal: boolean, seed: number) => {
  const next = rng(seed);
  return makeStack(Array.from({ length: layers }, () => randomLayer(heads, seq, causal, next)), heads, seq);
};

describe('rolloutSpanRow', () => {
  for (const causal of [true, false]) {
    it(`is the mean of the tokens' rollout rows (${causal ? 'causal' : 'bidirectional'})`, () => {
      const seq = 23;
      const stack = stackOf(3, 4, seq, causal, causal ? 7 : 8);
      for (const [first, end] of [[0, 1], [5, 6], [3, 9], [1, seq], [0, seq]]) {
        const got = rolloutSpanRow(stack, first, end);
        const want = new Float64Array(seq);
        for (let i = first; i < end; i++) rolloutRow(stack, i).forEach((w, j) => { want[j] += w / (end - first); });
        for (let j = 0; j < seq; j++) assert.ok(Math.abs(got[j] - want[j]) < 1e-6, `[${first}, ${end}) → ${j}: ${got[j]} vs ${want[j]}`);
        assert.ok(Math.abs(got.reduce((a, b) => a + b, 0) - 1) < 1e-5);
      }
    });
  }

  it('one token: exactly rolloutRow', () => {
    const stack = stackOf(2, 3, 9, true, 3);
    for (let i = 0; i < 9; i++) assert.deepStrictEqual(rolloutSpanRow(stack, i, i + 1), rolloutRow(stack, i));
  });

  it('refuses an empty or out-of-range span', () => {
    const stack = stackOf(1, 1, 4, true, 1);
    assert.throws(() => rolloutSpanRow(stack, 2, 2), /\[2, 2\) are outside 0…4/);
    assert.throws(() => rolloutSpanRow(stack, 0, 5), /outside/);
  });

  it('grouped into words (a selection joined into one unit too), equals groupRow over every token', () => {
    const texts = ['', 'The', ' ele', 'ph', 'ant', ' said', ' it', ' was', ' tir', 'ed', '.'];
    const wordIds = [-1, 0, 1, 1, 1, 2, 3, 4, 5, 5, 6];
    let at = 0;
    const tokens: TokenInfo[] = texts.map((t, i) => {
      const tok = { id: i, text: t, start: at, end: at + t.length, special: i === 0 };
      at += t.length;
      return tok;
    });
    const seq = tokens.length;
    const stack = stackOf(3, 2, seq, true, 11);
    const words = groupWords(tokens, wordIds);
    for (const g of [words, joinUnits(words, 2, 9)]) {
      for (let u = 0; u < g.units.length; u++) {
        const { first, end } = g.units[u];
        const fast = groupColumns(rolloutSpanRow(stack, first, end), g);
        const slow = groupRow((i) => rolloutRow(stack, i), g, u);
        for (let b = 0; b < g.units.length; b++) assert.ok(Math.abs(fast[b] - slow[b]) < 1e-6, `unit ${u} → ${b}: ${fast[b]} vs ${slow[b]}`);
      }
    }
  });
});
