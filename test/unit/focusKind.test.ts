import * as assert from 'assert';
import { cardHead, focusKind } from '../../src/shared/focusKind';

describe('the card head for the token being explained', () => {
  it('a pronoun in prose asks for the pronoun head, whatever its case or spacing', () => {
    for (const t of ['it', ' it', 'It', ' they', 'her', ' themselves']) assert.strictEqual(focusKind(t, false), 'pronoun', t);
  });
  it('an identifier in code asks for the code head; keywords, numbers and punctuation ask for none', () => {
    for (const t of ['distance', ' area', '_x', '$el', 'Point2D']) assert.strictEqual(focusKind(t, true), 'code', t);
    for (const t of [' const', 'return', '42', '+=', '(', ' self']) assert.strictEqual(focusKind(t, true), null, t);
  });
  it('other prose words ask for none', () => {
    for (const t of [' street', ' the', ' tired', '.', ' that']) assert.strictEqual(focusKind(t, false), null, t);
  });
  it('the head is the one the config names for that kind, or none', () => {
    const config = { heads: { pronoun: [3, 5] as [number, number], code: [2, 1] as [number, number] } };
    assert.deepStrictEqual(cardHead(config, 'pronoun'), [3, 5]);
    assert.deepStrictEqual(cardHead(config, 'code'), [2, 1]);
    assert.strictEqual(cardHead({ heads: { pronoun: [3, 5] } }, 'code'), null);
    assert.strictEqual(cardHead(config, null), null);
    assert.strictEqual(cardHead({}, 'pronoun'), null);
  });
});
