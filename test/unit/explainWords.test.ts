// The explanation in words, with the heads it cites named by role: worked out by hand.
import * as assert from 'assert';
import { makeStack } from '../../src/shared/attention';
import { rolloutRow } from '../../src/shared/rollout';
import { explain } from '../../src/shared/explain';
import type { TokenInfo } from '../../src/shared/protocol';
import { groupRow, groupStack, groupTokens, groupWords } from '../../src/shared/words';

// <s> The an imal it — one layer, one head.
const tokens: TokenInfo[] = [
  { id: 0, text: '', start: 0, end: 0, special: true },
  { id: 1, text: 'The', start: 0, end: 3, special: false },
  { id: 2, text: ' an', start: 3, end: 6, special: false },
  { id: 3, text: 'imal', start: 6, end: 10, special: false },
  { id: 4, text: ' it', start: 10, end: 13, special: false },
];
const m = Float32Array.from([
  1, 0, 0, 0, 0,
  0.6, 0.4, 0, 0, 0,
  0.5, 0.2, 0.3, 0, 0,
  0.1, 0.1, 0.4, 0.4, 0,
  0.2, 0.1, 0.3, 0.3, 0.1,
]);
const stack = makeStack([m], 1, 5);
const g = groupWords(tokens, [0, 1, 2, 2, 3]);

describe('explanation in words', () => {
  it('"it → it 55%, animal 30%": rollout on tokens, grouped; heads cited with their role', () => {
    const asked: number[] = [];
    const e = explain({
      tokens: groupTokens(tokens, g), stack: groupStack(stack, g), config: {}, focus: 3, unit: 'word',
      // token row "it" of 0.5·A + 0.5·I = [0.1, 0.05, 0.15, 0.15, 0.55] → words [0.1, 0.05, 0.3, 0.55]
      rolloutRow: (u) => {
        asked.push(u);
        return groupRow((i) => rolloutRow(stack, i), g, u);
      },
      headRole: (l, h) => (l === 0 && h === 0 ? 'previous-token' : ''),
    });
    assert.deepStrictEqual(asked, [3]);
    assert.strictEqual(e.summary, 'it → animal 30%, The 5% (itself 55%, <bos> 10%)');
    assert.match(e.lines[0], /In words: attention to a word is the sum over its tokens, from a word the mean over its tokens\.$/);
    // word row of "it" in the one head: <s> 0.2, The 0.1, animal 0.3 + 0.3, it 0.1
    assert.strictEqual(e.lines[1], 'Layer 1, mean of 1 heads: it → animal 60%, The 10% (itself 10%, <bos> 20%)');
    assert.strictEqual(e.lines[3], 'Heads with the most weight on "animal": layer 1 head 1, previous-token: 60%');
    assert.strictEqual(e.topTarget, 2);
  });

  it('a word focus: "animal" attends with the mean of its tokens\' rows', () => {
    const e = explain({ tokens: groupTokens(tokens, g), stack: groupStack(stack, g), config: {}, focus: 2, unit: 'word' });
    // rows "an" and "imal" by word: <s> (0.5 + 0.1)/2, The (0.2 + 0.1)/2, animal (0.3 + 0.8)/2
    assert.strictEqual(e.lines[1], 'Layer 1, mean of 1 heads: animal → The 15% (itself 55%, <bos> 30%)');
  });
});
