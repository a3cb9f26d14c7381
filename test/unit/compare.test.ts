// Compare's difference math and words against numbers worked out by hand (see the comments).
import * as assert from 'assert';
import { AlignToken, alignTokens } from '../../src/shared/alignVariants';
import { makeStack } from '../../src/shared/attention';
import {
  CompareVariant, cannotCompare, compare, compareRows, flipList, meanRow, moved, rowWeights, splitReplacements,
} from '../../src/shared/compare';

interface T extends AlignToken { text: string; special: boolean }
/** Tokens spelling a text from pieces ('' = bos), with ids from a shared table. */
const table = new Map<string, number>();
function spell(...pieces: string[]): { text: string; tokens: T[] } {
  let at = 0;
  const tokens = pieces.map((p) => {
    if (!table.has(p)) table.set(p, table.size);
    const t = { id: table.get(p) as number, start: at, end: at + p.length, text: p, special: p === '' };
    at += p.length;
    return t;
  });
  return { text: pieces.join(''), tokens };
}

/** A one-layer stack whose rows are uniform except token `focus`'s row in each head. */
function stack(seq: number, focus: number, focusRows: number[][]) {
  const heads = focusRows.length;
  const layer = new Float32Array(heads * seq * seq);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < seq; i++) {
      for (let j = 0; j < seq; j++) layer[(h * seq + i) * seq + j] = i === focus ? focusRows[h][j] : 1 / seq;
    }
  }
  return makeStack([layer], heads, seq);
}

const base = spell('', 'animal', ' street', ' it', ' tired');
const wide = spell('', 'animal', ' street', ' it', ' wi', 'de'); // one word → two tokens
// head 1: "it" → animal 50% in the base, street 60% with "wide" (edited span 5% + 5% = 10%)
// head 2: the same 20% everywhere (the edited span 10% + 10% = 20%): nothing moves
const baseStack = stack(5, 3, [[0.1, 0.5, 0.2, 0.1, 0.1], [0.2, 0.2, 0.2, 0.2, 0.2]]);
const wideStack = stack(6, 3, [[0.1, 0.1, 0.6, 0.1, 0.05, 0.05], [0.2, 0.2, 0.2, 0.2, 0.1, 0.1]]);
const variant = (v: { text: string; tokens: T[] }, s: ReturnType<typeof stack>, label: string): CompareVariant => ({
  label, tokens: v.tokens, stack: s, alignment: alignTokens(base.text, base.tokens, v.text, v.tokens),
});

describe('compare: rows across variants', () => {
  it('kept tokens one per row, the edited span one row with each version\'s tokens', () => {
    const rows = compareRows(5, [alignTokens(base.text, base.tokens, wide.text, wide.tokens)]);
    assert.deepStrictEqual(rows.map((r) => [r.kind, r.base, r.variants]), [
      ['same', [0], [[0]]], ['same', [1], [[1]]], ['same', [2], [[2]]], ['same', [3], [[3]]], ['edited', [4], [[4, 5]]],
    ]);
  });

  it('several variants: the edited row spans the union of their edits; an insertion has no base tokens', () => {
    const gone = spell('', 'animal', ' it', ' tired'); // " street" deleted
    const both = [wide, gone].map((v) => alignTokens(base.text, base.tokens, v.text, v.tokens));
    const rows = compareRows(5, both);
    // union of base spans [4,5) and [2,3) is [2,5): street, it, tired in one row
    assert.deepStrictEqual(rows.map((r) => [r.kind, r.base, r.variants]), [
      ['same', [0], [[0], [0]]], ['same', [1], [[1], [1]]], ['edited', [2, 3, 4], [[2, 3, 4, 5], [2, 3]]],
    ]);
    const big = spell('', 'animal', ' big', ' street', ' it', ' tired');
    const ins = compareRows(5, [alignTokens(base.text, base.tokens, big.text, big.tokens)]);
    assert.deepStrictEqual(ins.map((r) => [r.kind, r.base, r.variants]), [
      ['same', [0], [[0]]], ['same', [1], [[1]]], ['edited', [], [[2]]], ['same', [2], [[3]]], ['same', [3], [[4]]], ['same', [4], [[5]]],
    ]);
  });

  it('row weights are sums; moved is half the L1 distance', () => {
    const rows = compareRows(5, [alignTokens(base.text, base.tokens, wide.text, wide.tokens)]);
    const w = rowWeights(rows, [0.1, 0.5, 0.2, 0.1, 0.1], [[0.1, 0.1, 0.6, 0.1, 0.05, 0.05]]);
    assert.deepStrictEqual(w.map((r) => r.map((x) => Math.round(x * 100) / 100)), [[0.1, 0.1], [0.5, 0.1], [0.2, 0.6], [0.1, 0.1], [0.1, 0.1]]);
    assert.ok(Math.abs(moved(w, 1) - 0.4) < 1e-6);
  });
});

describe('compare: what the focus attends to, in numbers and words', () => {
  const view = (h: number) => ({
    description: `layer 1, head ${h + 1}`,
    weights: [baseStack.layers[0].subarray((h * 5 + 3) * 5, (h * 5 + 4) * 5), wideStack.layers[0].subarray((h * 6 + 3) * 6, (h * 6 + 4) * 6)],
  });

  it('the seeds\' example in words: targets before → after, the head that flips', () => {
    const c = compare({ base: { tokens: base.tokens, stack: baseStack }, variants: [variant(wide, wideStack, 'tired → wide')], focus: 3, causal: false, view: view(0) });
    assert.deepStrictEqual(c.focusIn, [3]);
    assert.deepStrictEqual(c.labels, ['<bos>', 'animal', 'street', 'it', 'tired→wide']);
    assert.deepStrictEqual(c.summaries, ['it: animal 50% → 10%, street 20% → 60%; layer 1 head 1 flips']);
    assert.strictEqual(c.beforeEdit, false);
    // head 1: 40% moved, top target animal → street; head 2: nothing moved
    assert.deepStrictEqual(c.heads.map((x) => [x.layer, x.head, Math.round(x.moved[0] * 100), x.flips[0], x.top]), [
      [0, 0, 40, true, [1, 2]], [0, 1, 0, false, [1, 1]],
    ]);
    // mean of the two heads: animal (0.5+0.2)/2 = 35% → (0.1+0.2)/2 = 15%, street 20% → 40%
    assert.ok(c.lines.includes('Layer 1, mean of 2 heads: it: animal 35% → 15%, street 20% → 40%'), c.lines.join('\n'));
    assert.ok(c.lines.some((l) => l.startsWith('Rollout over layers 1–1: it: ')));
    assert.ok(c.lines.includes('layer 1, head 1: it: animal 50% → 10%, street 20% → 60%'));
    assert.ok(c.lines.some((l) => /^Heads that changed most: layer 1 head 1 \(40% of its attention moved; top target animal → street\)/.test(l)));
    assert.ok(c.lines.includes('Flips: layer 1 head 1 flips'));
  });

  it('a head whose weights do not move does not flip; its line names no change', () => {
    const c = compare({ base: { tokens: base.tokens, stack: baseStack }, variants: [variant(wide, wideStack, 'tired → wide')], focus: 3, causal: false, view: view(1) });
    assert.deepStrictEqual(c.summaries, ['it: animal 20% → 20%; layer 1 head 1 flips']);
  });

  it('a causal model: a focus before the edit is said to be unchanged by it, with the reason', () => {
    const c = compare({ base: { tokens: base.tokens, stack: baseStack }, variants: [variant(wide, wideStack, 'tired → wide')], focus: 3, causal: true, view: view(0) });
    assert.strictEqual(c.beforeEdit, true);
    assert.ok(c.lines.some((l) => /comes before the edit, and this model is causal/.test(l)));
    // the focus after the edit: "it" before "tired" in a reordered text is not before the edit
    const late = spell('', 'tired', ' animal', ' it');
    const lateV = spell('', 'wide', ' animal', ' it');
    const s = stack(4, 3, [[0.25, 0.25, 0.25, 0.25]]);
    const c2 = compare({
      base: { tokens: late.tokens, stack: s },
      variants: [{ label: 'tired → wide', tokens: lateV.tokens, stack: s, alignment: alignTokens(late.text, late.tokens, lateV.text, lateV.tokens) }],
      focus: 3, causal: true, view: { description: 'v', weights: [[0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]] },
    });
    assert.strictEqual(c2.beforeEdit, false);
    assert.deepStrictEqual(c2.summaries, ['it: tired→wide 25% → 25%; no head flips']);
  });

  it('refuses a focus inside the edit, and no variants', () => {
    const input = { base: { tokens: base.tokens, stack: baseStack }, variants: [variant(wide, wideStack, 'tired → wide')], focus: 4 };
    assert.match(cannotCompare(input) ?? '', /"tired" is part of the edit/);
    assert.throws(() => compare({ ...input, causal: false, view: view(0) }), /part of the edit/);
    assert.match(cannotCompare({ ...input, focus: 1, variants: [] }) ?? '', /no variant/);
    assert.match(cannotCompare({ ...input, focus: 9 }) ?? '', /outside 0\.\.4/);
  });

  it('several variants: one summary each', () => {
    const narrow = spell('', 'animal', ' street', ' it', ' narrow');
    const nStack = stack(5, 3, [[0.1, 0.3, 0.4, 0.1, 0.1], [0.2, 0.2, 0.2, 0.2, 0.2]]);
    const c = compare({
      base: { tokens: base.tokens, stack: baseStack },
      variants: [variant(wide, wideStack, 'tired → wide'), variant(narrow, nStack, 'tired → narrow')],
      focus: 3, causal: false,
      view: { description: 'layer 1, head 1', weights: [view(0).weights[0], view(0).weights[1], nStack.layers[0].subarray(15, 20)] },
    });
    assert.deepStrictEqual(c.labels[4], 'tired→wide|narrow');
    // narrow: animal 50% → 30%, street 20% → 40%: 20% moved, top animal → street: flips (≥ 10%)
    assert.deepStrictEqual(c.summaries, [
      'it: animal 50% → 10%, street 20% → 60%; layer 1 head 1 flips',
      'it: animal 50% → 30%, street 20% → 40%; layer 1 head 1 flips',
    ]);
    assert.deepStrictEqual(c.weights[2].map((x) => Math.round(x * 100)), [20, 60, 40]);
  });

  it('meanRow averages one row over heads; flipList in words', () => {
    assert.deepStrictEqual(Array.from(meanRow(baseStack, 0, 3)).map((x) => Math.round(x * 100)), [15, 35, 20, 15, 15]);
    assert.strictEqual(flipList([]), 'no head flips');
    assert.strictEqual(flipList([{ layer: 3, head: 1 }]), 'layer 4 head 2 flips');
    assert.strictEqual(flipList([{ layer: 3, head: 1 }, { layer: 0, head: 0 }]), 'layer 4 head 2 and layer 1 head 1 flip');
    assert.strictEqual(flipList([0, 1, 2, 3, 4].map((h) => ({ layer: 0, head: h }))), 'layer 1 head 1, layer 1 head 2, layer 1 head 3 and 2 more flip');
  });
});

describe('compare: the typed replacements', () => {
  it('splits on |, trims, drops empties, repeats and the word itself', () => {
    assert.deepStrictEqual(splitReplacements('wide', 'tired'), ['wide']);
    assert.deepStrictEqual(splitReplacements(' wide | narrow ||wide| tired ', 'tired'), ['wide', 'narrow']);
    assert.deepStrictEqual(splitReplacements('  |  ', 'tired'), []);
    assert.deepStrictEqual(splitReplacements('very tired', 'tired'), ['very tired']);
  });
});
