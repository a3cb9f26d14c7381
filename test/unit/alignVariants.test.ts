// Token alignment across two versions of a text: hand-made tokens for the exact rules, and the real
// models/default tokenizer for what BPE actually does at an edit (words of several tokens, merges).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  AlignToken, alignTokens, commonPrefix, commonSuffix, editBetween, followChange, replaceSpan, wordAround,
} from '../../src/shared/alignVariants';
import { TextTokenizer } from '../../src/tokenizers/tokenize';

const ROOT = path.resolve(__dirname, '../../..');
const tokenizer = new TextTokenizer(JSON.parse(fs.readFileSync(path.join(ROOT, 'models/default/tokenizer.json'), 'utf8')));

/** Tokens from pieces that spell the text; ids from a shared table so equal pieces get equal ids. */
const ids = new Map<string, number>();
function toks(...pieces: string[]): AlignToken[] {
  let at = 0;
  return pieces.map((p) => {
    if (!ids.has(p)) ids.set(p, ids.size + 1);
    const t = { id: ids.get(p) as number, start: at, end: at + p.length };
    at += p.length;
    return t;
  });
}
const BOS: AlignToken = { id: 0, start: 0, end: 0 };
const withBos = (ts: AlignToken[]): AlignToken[] => [BOS, ...ts];

/** Token texts of the edited spans, for readable assertions. */
function spans(a: string, at: AlignToken[], b: string, bt: AlignToken[]): { base: string[]; variant: string[] } {
  const al = alignTokens(a, at, b, bt);
  return {
    base: at.slice(al.baseSpan.from, al.baseSpan.to).map((t) => a.slice(t.start, t.end)),
    variant: bt.slice(al.variantSpan.from, al.variantSpan.to).map((t) => b.slice(t.start, t.end)),
  };
}

describe('alignVariants: the edit between two texts', () => {
  it('finds the changed span; null for equal texts', () => {
    assert.deepStrictEqual(editBetween('too tired.', 'too wide.'), { start: 4, baseEnd: 9, variantEnd: 8 });
    assert.strictEqual(editBetween('same', 'same'), null);
    assert.deepStrictEqual(editBetween('ab', 'xab'), { start: 0, baseEnd: 0, variantEnd: 1 });
    assert.deepStrictEqual(editBetween('ab', 'abx'), { start: 2, baseEnd: 2, variantEnd: 3 });
    assert.deepStrictEqual(editBetween('abc', 'ac'), { start: 1, baseEnd: 2, variantEnd: 1 });
    // an insertion into a repeat: the prefix wins, the suffix does not overlap it
    assert.deepStrictEqual(editBetween('aa', 'aaa'), { start: 2, baseEnd: 2, variantEnd: 3 });
  });

  it('never splits a surrogate pair', () => {
    // 😀 = D83D DE00, 😃 = D83D DE03: same high surrogate
    assert.strictEqual(commonPrefix('x😀', 'x😃'), 1);
    assert.strictEqual(commonSuffix('😀y', '🙀y'), 1);
    assert.strictEqual(commonSuffix('\uD83C\uDE00y', '\uD83D\uDE00y'), 1); // same low surrogate, different high
    assert.deepStrictEqual(editBetween('a😀b', 'a😃b'), { start: 1, baseEnd: 3, variantEnd: 3 });
  });

  it('replaceSpan replaces inside the text and refuses a span outside it', () => {
    assert.strictEqual(replaceSpan('too tired.', 4, 9, 'wide'), 'too wide.');
    assert.strictEqual(replaceSpan('ab', 1, 1, 'X'), 'aXb');
    assert.throws(() => replaceSpan('ab', 1, 3, 'X'), /not inside a text of 2/);
    assert.throws(() => replaceSpan('ab', 2, 1, 'X'), RangeError);
  });
});

describe('alignVariants: tokens', () => {
  it('a one-token replacement: the rest keeps its identity, shifted after the edit', () => {
    const a = 'it was too tired.';
    const b = 'it was too wide.';
    const at = withBos(toks('it', ' was', ' too', ' tired', '.'));
    const bt = withBos(toks('it', ' was', ' too', ' wide', '.'));
    const al = alignTokens(a, at, b, bt);
    assert.deepStrictEqual(al.toVariant, [0, 1, 2, 3, null, 5]);
    assert.deepStrictEqual(al.toBase, [0, 1, 2, 3, null, 5]);
    assert.deepStrictEqual(al.baseSpan, { from: 4, to: 5 });
    assert.deepStrictEqual(al.variantSpan, { from: 4, to: 5 });
    assert.deepStrictEqual(al.edit, { start: 11, baseEnd: 16, variantEnd: 15 });
  });

  it('one word to several tokens and back', () => {
    const a = 'so tired now';
    const b = 'so exhausted now';
    const at = toks('so', ' tired', ' now');
    const bt = toks('so', ' exh', 'aus', 'ted', ' now');
    assert.deepStrictEqual(spans(a, at, b, bt), { base: [' tired'], variant: [' exh', 'aus', 'ted'] });
    const back = alignTokens(b, bt, a, at);
    assert.deepStrictEqual(back.toVariant, [0, null, null, null, 2]);
    assert.deepStrictEqual(back.toBase, [0, null, 4]);
  });

  it('a pure insertion: nothing of the base is edited, the new tokens are', () => {
    const a = 'the street';
    const b = 'the big street';
    const at = toks('the', ' street');
    const bt = toks('the', ' big', ' street');
    const al = alignTokens(a, at, b, bt);
    assert.deepStrictEqual(al.toVariant, [0, 2]);
    assert.deepStrictEqual(al.baseSpan, { from: 1, to: 1 });
    assert.deepStrictEqual(al.variantSpan, { from: 1, to: 2 });
  });

  it('a pure deletion: the deleted tokens map to nothing', () => {
    const al = alignTokens('the big street', toks('the', ' big', ' street'), 'the street', toks('the', ' street'));
    assert.deepStrictEqual(al.toVariant, [0, null, 1]);
    assert.deepStrictEqual(al.baseSpan, { from: 1, to: 2 });
    assert.deepStrictEqual(al.variantSpan, { from: 1, to: 1 });
  });

  it('edits at the edges: the first word, the last word, the whole text; bos stays', () => {
    const at = withBos(toks('The', ' cat', ' sat'));
    assert.deepStrictEqual(spans('The cat sat', at, 'A cat sat', withBos(toks('A', ' cat', ' sat'))), { base: ['The'], variant: ['A'] });
    assert.deepStrictEqual(alignTokens('The cat sat', at, 'A cat sat', withBos(toks('A', ' cat', ' sat'))).toVariant, [0, null, 2, 3]);
    assert.deepStrictEqual(spans('The cat sat', at, 'The cat ran', withBos(toks('The', ' cat', ' ran'))), { base: [' sat'], variant: [' ran'] });
    const whole = alignTokens('The cat sat', at, 'Dogs', withBos(toks('Dogs')));
    assert.deepStrictEqual(whole.toVariant, [0, null, null, null]);
    assert.deepStrictEqual(whole.variantSpan, { from: 1, to: 2 });
    // text appended at the very end, and prepended at the very start
    assert.deepStrictEqual(spans('The cat sat', at, 'The cat sat down', withBos(toks('The', ' cat', ' sat', ' down'))), { base: [], variant: [' down'] });
    assert.deepStrictEqual(spans('The cat sat', at, 'So The cat sat', withBos(toks('So', ' The', ' cat', ' sat'))), { base: ['The'], variant: ['So', ' The'] });
  });

  it('a token the edit touches only at its edge (a merge across it) joins the edited span', () => {
    // "tired." is one token in the base; after the edit "." stands alone: the old token is edited
    const al = alignTokens('so tired.', toks('so', ' tired.'), 'so wide.', toks('so', ' wide', '.'));
    assert.deepStrictEqual(al.toVariant, [0, null]);
    assert.deepStrictEqual(al.variantSpan, { from: 1, to: 3 });
  });

  it('a token after an insertion keeps its identity at its shifted place; different words do not', () => {
    const al = alignTokens('x a y', toks('x', ' a', ' y'), 'x b a y', toks('x', ' b', ' a', ' y'));
    assert.deepStrictEqual(al.toVariant, [0, 2, 3]);
    const al2 = alignTokens('a b', toks('a', ' b'), 'c d', toks('c', ' d'));
    assert.deepStrictEqual(al2.toVariant, [null, null]);
  });

  it('equal texts align token for token', () => {
    const at = withBos(toks('a', ' b'));
    const al = alignTokens('a b', at, 'a b', at);
    assert.deepStrictEqual(al.toVariant, [0, 1, 2]);
    assert.deepStrictEqual(al.baseSpan, { from: 3, to: 3 });
    assert.strictEqual(al.edit, null);
  });

  it('refuses tokens outside their text', () => {
    assert.throws(() => alignTokens('ab', [{ id: 1, start: 0, end: 3 }], 'ab', []), /base token 0 \(0–3\) is not inside its text of 2/);
  });

  it('the real tokenizer: the seeds\' pair, and a word that becomes several tokens', () => {
    const a = "The animal didn't cross the street because it was too tired.";
    const b = "The animal didn't cross the street because it was too wide.";
    const at = tokenizer.encode(a);
    const bt = tokenizer.encode(b);
    const al = alignTokens(a, at, b, bt);
    const text = (s: string, ts: AlignToken[], span: { from: number; to: number }): string =>
      ts.slice(span.from, span.to).map((t) => s.slice(t.start, t.end)).join('');
    assert.strictEqual(text(a, at, al.baseSpan).trim(), 'tired');
    assert.strictEqual(text(b, bt, al.variantSpan).trim(), 'wide');
    const itA = at.findIndex((t) => a.slice(t.start, t.end) === ' it');
    const itB = al.toVariant[itA];
    assert.ok(itB !== null && b.slice(bt[itB].start, bt[itB].end) === ' it');
    // the "." after the edit keeps its identity
    assert.strictEqual(al.toVariant[at.length - 1], bt.length - 1);

    const c = "The animal didn't cross the street because it was too antidisestablishmentarian.";
    const ct = tokenizer.encode(c);
    const al2 = alignTokens(a, at, c, ct);
    assert.ok(al2.variantSpan.to - al2.variantSpan.from > 1, 'a rare long word is several tokens');
    assert.strictEqual(text(c, ct, al2.variantSpan).trim(), 'antidisestablishmentarian');
    // every token outside the spans maps, both ways, to a token with the same text
    at.forEach((t, i) => {
      const j = al2.toVariant[i];
      if (i < al2.baseSpan.from || i >= al2.baseSpan.to) {
        assert.ok(j !== null);
        assert.strictEqual(c.slice(ct[j].start, ct[j].end), a.slice(t.start, t.end));
        assert.strictEqual(al2.toBase[j], i);
      } else {
        assert.strictEqual(j, null);
      }
    });
  });
});

describe('alignVariants: following a range through document edits', () => {
  const r = { start: 10, end: 20 };
  it('shifts for a change before it, keeps it for one after it', () => {
    assert.deepStrictEqual(followChange(r, { offset: 0, length: 2, text: 'abcde' }), { start: 13, end: 23 });
    assert.deepStrictEqual(followChange(r, { offset: 8, length: 2, text: '' }), { start: 8, end: 18 });
    assert.deepStrictEqual(followChange(r, { offset: 25, length: 1, text: 'xyz' }), r);
    assert.deepStrictEqual(followChange(r, { offset: 20, length: 3, text: '' }), r);
  });
  it('grows or shrinks for a change inside it, typing at its edges included', () => {
    assert.deepStrictEqual(followChange(r, { offset: 12, length: 5, text: 'xy' }), { start: 10, end: 17 });
    assert.deepStrictEqual(followChange(r, { offset: 10, length: 0, text: 'New ' }), { start: 10, end: 24 });
    assert.deepStrictEqual(followChange(r, { offset: 20, length: 0, text: '!' }), { start: 10, end: 21 });
    assert.deepStrictEqual(followChange(r, { offset: 5, length: 10, text: 'a' }), { start: 5, end: 11 });
    assert.deepStrictEqual(followChange(r, { offset: 15, length: 10, text: '' }), { start: 10, end: 15 });
  });
});

describe('alignVariants: the word to replace', () => {
  const text = "it was too tired, wasn't it? snake_case x-ray";
  const word = (s: number, e: number): string | null => {
    const w = wordAround(text, s, e);
    return w ? text.slice(w.start, w.end) : null;
  };
  it('grows a token or a cursor to its whole word', () => {
    const at = text.indexOf('tired');
    assert.strictEqual(word(at - 1, at + 3), 'tired'); // " tir" (a token with its space)
    assert.strictEqual(word(at + 2, at + 2), 'tired'); // the cursor inside
    assert.strictEqual(word(at + 5, at + 5), 'tired'); // the cursor right after it
    assert.strictEqual(word(text.indexOf('wasn'), text.indexOf('wasn') + 3), "wasn't");
    assert.strictEqual(word(text.indexOf('case'), text.indexOf('case') + 1), 'snake_case');
    assert.strictEqual(word(text.indexOf('ray'), text.indexOf('ray')), 'x-ray');
  });
  it('punctuation stays itself; whitespace is no word', () => {
    assert.strictEqual(word(text.indexOf(','), text.indexOf(',') + 1), ',');
    assert.strictEqual(word(text.indexOf('?') + 1, text.indexOf('?') + 2), null);
  });
});
