// The tokenizer's parts on their own, against the Rust library's: normalizers (the normalized text)
// and pre-tokenizers (each word's text and source range), plus the aligned-text rules by hand.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as native from 'tokenizers';
import { bytesToByteLevel, utf8 } from '../../src/shared/offsets';
import { fromSource, sourceRange } from '../../src/tokenizers/aligned';
import { createNormalizer } from '../../src/tokenizers/normalizers';
import { createPreTokenizer } from '../../src/tokenizers/preTokenizers';
import { HARD_CASES, ROOT, randomTexts } from '../support/tokenizerFixtures';

const TEXTS = [...HARD_CASES.map(([, t]) => t), ...randomTexts(60, 7), ' lead and trail ', '', 'İstanbul ΟΔΟΣ ǅ ß', '\u0000a\u200bb\ufffdc'];

/** Code-point offsets (Rust's) as UTF-16 offsets of `text`. */
function cpToUtf16(text: string): number[] {
  const at = [0];
  let u = 0;
  for (const ch of text) at.push((u += ch.length));
  return at;
}

/** A Rust normalizer read from tokenizer.json (for kinds its JS functions do not build). */
function nativeNormalizer(cfg: unknown): native.Normalizer {
  const j = JSON.parse(fs.readFileSync(path.join(ROOT, 'models/default/tokenizer.json'), 'utf8'));
  j.normalizer = cfg;
  const n = native.Tokenizer.fromString(JSON.stringify(j)).getNormalizer();
  assert.ok(n);
  return n;
}

const range = (start: number, end: number): { start: number; end: number } => ({ start, end });

describe('tokenizer parts: normalizers give the Rust library\'s normalized text', () => {
  const cases: [string, unknown, native.Normalizer][] = [
    ['BertNormalizer (uncased)', { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true }, native.bertNormalizer({ lowercase: true })],
    ['BertNormalizer (cased)', { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: false }, native.bertNormalizer({ lowercase: false, stripAccents: false })],
    ['NFC', { type: 'NFC' }, native.nfcNormalizer()],
    ['NFD', { type: 'NFD' }, native.nfdNormalizer()],
    ['NFKC', { type: 'NFKC' }, native.nfkcNormalizer()],
    ['NFKD', { type: 'NFKD' }, native.nfkdNormalizer()],
    ['Lowercase', { type: 'Lowercase' }, native.lowercase()],
    ['NFD + StripAccents', { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }] }, native.sequenceNormalizer([native.nfdNormalizer(), native.stripAccentsNormalizer()])],
    ['Prepend + Replace (Llama 2)', { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
      native.sequenceNormalizer([native.prependNormalizer('▁'), native.replace(' ', '▁')])],
    ['Replace to a longer string', { type: 'Replace', pattern: { String: '\t' }, content: '    ' }, native.replace('\t', '    ')],
    ['Strip', { type: 'Strip', strip_left: true, strip_right: true }, native.stripNormalizer(true, true)],
    ['Nmt', { type: 'Nmt' }, native.nmt()],
    ['Replace with a regex (T5/ALBERT)', { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }, nativeNormalizer({ type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' })],
  ];
  for (const [name, cfg, reference] of cases) {
    it(name, () => {
      const ours = createNormalizer(cfg);
      assert.ok(ours);
      for (const text of TEXTS) {
        assert.strictEqual(ours(fromSource(text)).text, reference.normalizeString(text), `normalizing ${JSON.stringify(text)}`);
      }
    });
  }

  it('maps normalized units back to their source characters (hand-checked)', () => {
    const bert = createNormalizer({ type: 'BertNormalizer', lowercase: true });
    assert.ok(bert);
    const a = bert(fromSource('Cafe\u0301 猫'));
    assert.strictEqual(a.text, 'cafe  猫 ');
    // "e" carries the deleted accent; the spaces around 猫 are inserted (no source).
    assert.deepStrictEqual(sourceRange(a, [3], 3), range(3, 5));
    assert.deepStrictEqual(sourceRange(a, [5], 5), range(6, 6));
    assert.deepStrictEqual(sourceRange(a, [6], 6), range(6, 7));
    assert.deepStrictEqual(sourceRange(a, [7], 7), range(7, 7));
    const lig = createNormalizer({ type: 'NFKC' });
    assert.ok(lig);
    const b = lig(fromSource('ﬁx'));
    assert.strictEqual(b.text, 'fix');
    assert.deepStrictEqual([sourceRange(b, [0], 0), sourceRange(b, [1], 1)], [range(0, 1), range(1, 1)], 'the ligature goes to the unit holding its first letter');
  });
});

describe('tokenizer parts: pre-tokenizers give the Rust library\'s words and ranges', () => {
  const cases: [string, unknown, native.PreTokenizer, boolean?][] = [
    ['ByteLevel', { type: 'ByteLevel', add_prefix_space: false, use_regex: true }, native.byteLevelPreTokenizer(false, true), true],
    ['ByteLevel, add_prefix_space', { type: 'ByteLevel', add_prefix_space: true, use_regex: true }, native.byteLevelPreTokenizer(true, true), true],
    ['BertPreTokenizer', { type: 'BertPreTokenizer' }, native.bertPreTokenizer()],
    ['Whitespace', { type: 'Whitespace' }, native.whitespacePreTokenizer()],
    ['WhitespaceSplit', { type: 'WhitespaceSplit' }, native.whitespaceSplitPreTokenizer()],
    ['Metaspace (always, split)', { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true }, native.metaspacePreTokenizer('▁', 'always', true)],
    ['Metaspace (first, no split)', { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false }, native.metaspacePreTokenizer('▁', 'first', false)],
    ['Metaspace (never)', { type: 'Metaspace', replacement: '▁', prepend_scheme: 'never', split: true }, native.metaspacePreTokenizer('▁', 'never', true)],
    ['Punctuation (isolated)', { type: 'Punctuation', behavior: 'Isolated' }, native.punctuationPreTokenizer('isolated')],
    ['Punctuation (contiguous)', { type: 'Punctuation', behavior: 'Contiguous' }, native.punctuationPreTokenizer('contiguous')],
    ['Digits', { type: 'Digits', individual_digits: false }, native.digitsPreTokenizer(false)],
    ['Digits (individual)', { type: 'Digits', individual_digits: true }, native.digitsPreTokenizer(true)],
    ['CharDelimiterSplit', { type: 'CharDelimiterSplit', delimiter: 'e' }, native.charDelimiterSplit('e')],
  ];
  for (const behavior of ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous']) {
    for (const invert of [false, true]) {
      const jsName = behavior[0].toLowerCase() + behavior.slice(1);
      cases.push([`Split " " ${behavior}${invert ? ' inverted' : ''}`, { type: 'Split', pattern: { String: ' ' }, behavior, invert }, native.splitPreTokenizer(' ', jsName, invert)]);
    }
  }
  for (const [name, cfg, reference, byteLevel] of cases) {
    it(name, () => {
      const ours = createPreTokenizer(cfg);
      for (const text of TEXTS) {
        const at = cpToUtf16(text);
        const theirs = reference.preTokenizeString(text).map(([w, [s, e]]) => ({ w, ...range(at[s], at[e]) }));
        const words = ours.run([fromSource(text)]).map((w) => ({
          w: byteLevel ? bytesToByteLevel(utf8(w.text)) : w.text,
          ...sourceRange(w, w.text.split('').map((_, i) => i), 0),
        }));
        // A word that is only an inserted prefix ("Ġ" before a tab) has no source here; Rust lends
        // it the first character, which the next word holds too.
        const lent = words.map((w, i) => (w.start === w.end && theirs[i] && theirs[i].start === w.start ? { ...w, end: theirs[i].end } : w));
        assert.deepStrictEqual(lent, theirs, `words of ${JSON.stringify(text)}`);
      }
    });
  }
});
