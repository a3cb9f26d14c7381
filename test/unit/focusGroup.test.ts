// A selection of several words pinned together: its units joined into one.
import * as assert from 'assert';
import { joinUnits } from '../../src/shared/focusGroup';
import { groupWords, tokenGrouping } from '../../src/shared/words';

describe('focus group (several selected words as one unit)', () => {
  // <bos> T|om fixed the old rad|io : words 0 1 1 2 3 4 5 5
  const tokens = [true, false, false, false, false, false, false, false].map((special) => ({ special }));
  const words = groupWords(tokens, [null, 0, 0, 1, 2, 3, 4, 4]);

  it('joins the words holding the selected tokens, and only them', () => {
    const g = joinUnits(words, 5, 8); // " old" " rad" "io"
    assert.deepStrictEqual(g.units, [{ first: 0, end: 1 }, { first: 1, end: 3 }, { first: 3, end: 4 }, { first: 4, end: 5 }, { first: 5, end: 8 }]);
    assert.deepStrictEqual([...g.unitOf], [0, 1, 1, 2, 3, 4, 4, 4]);
  });

  it('a selection inside part of a word takes the whole word; one unit or an empty span changes nothing', () => {
    const g = joinUnits(words, 4, 7); // "the" … "rad" (of "radio")
    assert.deepStrictEqual(g.units.map((u) => [u.first, u.end]), [[0, 1], [1, 3], [3, 4], [4, 8]]);
    assert.strictEqual(joinUnits(words, 6, 8), words);
    assert.strictEqual(joinUnits(words, 5, 5), words);
    const t = tokenGrouping(3);
    assert.strictEqual(joinUnits(t, 0, 4), t, 'a span past the tokens changes nothing');
    assert.deepStrictEqual(joinUnits(t, 0, 2).units, [{ first: 0, end: 2 }, { first: 2, end: 3 }]);
  });
});
