// The explanation text against numbers worked out by hand (see the comments).
import * as assert from 'assert';
import { makeStack } from '../../src/shared/attention';
import { explain, headsOnTarget, percent, tokenLabel } from '../../src/shared/explain';

const tokens = [
  { text: '', special: true },
  { text: 'A', special: false },
  { text: ' dog', special: false },
  { text: ' it', special: false },
];
const rows012 = [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.2, 0.3, 0.5, 0];
// Layer 1: head 1 row 3 = [0.4, 0.1, 0.3, 0.2], head 2 row 3 = [0.2, 0.2, 0.5, 0.1]
//   mean row 3 = [0.3, 0.15, 0.4, 0.15]
// Layer 2: head 1 row 3 = [0.1, 0.6, 0.2, 0.1], head 2 row 3 = [0.5, 0.2, 0.2, 0.1]
//   mean row 3 = [0.3, 0.4, 0.2, 0.1]
const l0 = Float32Array.from([...rows012, 0.4, 0.1, 0.3, 0.2, ...rows012, 0.2, 0.2, 0.5, 0.1]);
const l1 = Float32Array.from([...rows012, 0.1, 0.6, 0.2, 0.1, ...rows012, 0.5, 0.2, 0.2, 0.1]);
const stack = makeStack([l0, l1], 2, 4);
// Rollout row 3: Â₂ row 3 = 0.5·[0.3, 0.4, 0.2, 0.1] + 0.5·e₃ = [0.15, 0.2, 0.1, 0.55];
//   Â₁ rows: [1,0,0,0], [0.25,0.75,0,0], [0.1,0.15,0.75,0], [0.15,0.075,0.2,0.575]
//   (Â₂·Â₁) row 3 = [0.15 + 0.05 + 0.01 + 0.0825, 0.15 + 0.015 + 0.04125, 0.075 + 0.11, 0.55·0.575]
//                  = [0.2925, 0.20625, 0.185, 0.31625]
// Top target other than "it" itself: A (0.20625). Weight on A from "it" per head:
//   L1H1 0.1, L1H2 0.2, L2H1 0.6, L2H2 0.2 → layer 2 head 1, layer 1 head 2, layer 2 head 2.

describe('explanation text', () => {
  it('mean per layer, rollout, top heads — 1-based, rounded, led by the targets other than itself, its own and <bos>\'s share beside', () => {
    const e = explain({ tokens, stack, config: {}, focus: 3 });
    assert.strictEqual(e.summary, 'it → A 21%, dog 19% (itself 32%, <bos> 29%)');
    assert.deepStrictEqual(e.lines, [
      'What "it" attends to. Layers and heads are numbered from 1; percentages are attention weights, rounded.',
      'Layer 1, mean of 2 heads: it → dog 40%, A 15% (itself 15%, <bos> 30%)',
      'Layer 2, mean of 2 heads: it → A 40%, dog 20% (itself 10%, <bos> 30%)',
      'Rollout over layers 1–2 (Abnar & Zuidema 2020, each layer 0.5·A + 0.5·I): it → A 21%, dog 19% (itself 32%, <bos> 29%)',
      'Heads with the most weight on "A": layer 2 head 1: 60%; layer 1 head 2: 20%; layer 2 head 2: 20%',
    ]);
    assert.strictEqual(e.topTarget, 1);
    assert.deepStrictEqual(e.topHeads.map((h) => [h.layer, h.head]), [[1, 0], [0, 1], [1, 1]]);
  });
  it('cites the heads the model card names', () => {
    const e = explain({ tokens, stack, config: { heads: { pronoun: [1, 0] } }, focus: 3 });
    assert.strictEqual(e.lines[4], 'Heads with the most weight on "A": layer 2 head 1, pronoun head: 60%; layer 1 head 2: 20%; layer 2 head 2: 20%');
    assert.strictEqual(e.lines[5], 'The model card\'s pronoun head, layer 2 head 1: it → A 60%, dog 20% (itself 10%, <bos> 10%)');
  });
  it('the headline cites the model card\'s head for the kind of token, with what that head attends to', () => {
    const e = explain({ tokens, stack, config: { heads: { pronoun: [1, 0] } }, focus: 3, cite: { layer: 1, head: 0, label: 'pronoun head, trained' } });
    assert.strictEqual(e.summary, 'it → A 21%, dog 19% (itself 32%, <bos> 29%); layer 2 head 1, pronoun head, trained: A 60%');
    // The rollout line itself stays as it was.
    assert.strictEqual(e.lines[3], 'Rollout over layers 1–2 (Abnar & Zuidema 2020, each layer 0.5·A + 0.5·I): it → A 21%, dog 19% (itself 32%, <bos> 29%)');
  });
  it('a token with nothing before it but <bos>', () => {
    const e = explain({ tokens, stack, config: {}, focus: 1 });
    // row 1 is [0.5, 0.5] in every head: rollout = [0.4375, 0.5625] (0.25 + 0.75·0.25, 0.75²)
    assert.strictEqual(e.summary, 'A → itself 56%, <bos> 44%');
    assert.strictEqual(e.topTarget, null);
    assert.strictEqual(e.lines[4], 'No token before "A" other than <bos> to rank heads by.');
  });
  it('rejects a focus outside the tokens and a token/attention mismatch', () => {
    assert.throws(() => explain({ tokens, stack, config: {}, focus: 4 }), /outside 0..3/);
    assert.throws(() => explain({ tokens: tokens.slice(1), stack, config: {}, focus: 1 }), /3 tokens but attention for 4/);
  });
  it('headsOnTarget ranks every head', () => {
    assert.deepStrictEqual(headsOnTarget(stack, 3, 2).map((h) => h.weight.toFixed(2)), ['0.50', '0.30', '0.20', '0.20']);
  });
  it('labels and percents', () => {
    assert.strictEqual(tokenLabel({ text: ' animal', special: false }, 4), 'animal');
    assert.strictEqual(tokenLabel({ text: '\n\t', special: false }, 4), '↵⇥');
    assert.strictEqual(tokenLabel({ text: '  ', special: false }, 4), '␣␣');
    assert.strictEqual(tokenLabel({ text: '', special: true }, 0), '<bos>');
    assert.strictEqual(percent(0.505), '51%');
    assert.strictEqual(percent(0.004), '<1%');
    assert.strictEqual(percent(0), '0%');
  });
});
