import * as assert from 'assert';
import {
  AlignmentError, alignTokenBytes, byteLevelToBytes, bytesToByteLevel, mapNormalization, spansThroughNormalization,
  utf16AtByteCeil, utf8,
} from '../../src/shared/offsets';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('offsets: the byte-level table', () => {
  it('maps all 256 bytes to distinct characters and back', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const spelled = bytesToByteLevel(all);
    assert.strictEqual(new Set(spelled).size, 256);
    assert.deepStrictEqual([...byteLevelToBytes(spelled)], [...all]);
  });

  it('spells whitespace the way GPT-2 tokenizers do', () => {
    assert.deepStrictEqual([...byteLevelToBytes('Ġ')], [0x20]);
    assert.deepStrictEqual([...byteLevelToBytes('Ċ')], [0x0a]);
    assert.deepStrictEqual([...byteLevelToBytes('ĉ')], [0x09]);
    assert.deepStrictEqual([...byteLevelToBytes('č')], [0x0d]);
    assert.deepStrictEqual([...byteLevelToBytes('Ġthe')], [0x20, 0x74, 0x68, 0x65]);
  });

  it('rejects a character outside the table', () => {
    assert.throws(() => byteLevelToBytes('猫'), AlignmentError);
  });
});

describe('offsets: bytes to UTF-16', () => {
  it('maps each byte offset to the next character boundary (hand-computed)', () => {
    // a: 1 byte, 1 unit; 😀: 4 bytes, 2 units; é: 2 bytes, 1 unit
    assert.deepStrictEqual([...utf16AtByteCeil('a😀é')], [0, 1, 3, 3, 3, 3, 4, 4]);
  });

  it('counts a lone surrogate as U+FFFD (3 bytes), as TextEncoder does', () => {
    const s = 'x\ud800y';
    assert.strictEqual(utf8(s).length, 5);
    assert.deepStrictEqual([...utf16AtByteCeil(s)], [0, 1, 2, 2, 2, 3]);
  });
});

describe('offsets: aligning tokens', () => {
  it('gives each whole-character token its exact range', () => {
    const text = 'it was';
    const spans = alignTokenBytes(text, [utf8('it'), utf8(' was')]);
    assert.deepStrictEqual(spans, [{ start: 0, end: 2 }, { start: 2, end: 6 }]);
  });

  it('gives a split emoji to the token holding its first byte, the rest an empty range after it', () => {
    const text = 'a😀b';
    // 😀 is F0 9F 98 80
    const spans = alignTokenBytes(text, [bytes(0x61, 0xf0, 0x9f), bytes(0x98), bytes(0x80, 0x62)]);
    assert.deepStrictEqual(spans, [{ start: 0, end: 3 }, { start: 3, end: 3 }, { start: 3, end: 4 }]);
  });

  it('handles a token that ends one character and starts the next', () => {
    const text = 'éé'; // C3 A9 C3 A9
    const spans = alignTokenBytes(text, [bytes(0xc3), bytes(0xa9, 0xc3), bytes(0xa9)]);
    assert.deepStrictEqual(spans, [{ start: 0, end: 1 }, { start: 1, end: 2 }, { start: 2, end: 2 }]);
  });

  it('refuses tokens that are not the text', () => {
    assert.throws(() => alignTokenBytes('abc', [utf8('ab'), utf8('d')]), /token 1 does not match the text at byte 2/);
    assert.throws(() => alignTokenBytes('abc', [utf8('ab')]), /cover 2 of the text's 3 bytes/);
    assert.throws(() => alignTokenBytes('ab', [utf8('abc')]), /runs past the end/);
  });
});

describe('offsets: through a normalizer', () => {
  const nfkcLower = (s: string): string => s.normalize('NFKC').toLowerCase();

  it('maps each normalized unit to the grapheme it came from', () => {
    const text = 'Aﬁx'; // ﬁ (U+FB01) → "fi"
    const map = mapNormalization(text, nfkcLower);
    assert.ok(map);
    assert.strictEqual(map.normalized, 'afix');
    assert.deepStrictEqual(map.origin, [{ start: 0, end: 1 }, { start: 1, end: 2 }, { start: 1, end: 2 }, { start: 2, end: 3 }]);
  });

  it('gives a ligature split across tokens to the token holding its first unit', () => {
    const text = 'Aﬁx';
    const map = mapNormalization(text, nfkcLower);
    assert.ok(map);
    // tokens over "afix": "af" | "ix"
    const spans = spansThroughNormalization([{ start: 0, end: 2 }, { start: 2, end: 4 }], map, text.length);
    assert.deepStrictEqual(spans, [{ start: 0, end: 2 }, { start: 2, end: 3 }]);
    // tokens over "afix": "a" | "f" | "i" | "x": "i" owns nothing and sits after ﬁ
    const fine = spansThroughNormalization(
      [{ start: 0, end: 1 }, { start: 1, end: 2 }, { start: 2, end: 3 }, { start: 3, end: 4 }], map, text.length);
    assert.deepStrictEqual(fine, [{ start: 0, end: 1 }, { start: 1, end: 2 }, { start: 2, end: 2 }, { start: 2, end: 3 }]);
  });

  it('keeps a base letter and its combining mark together (one grapheme)', () => {
    const text = 'Cafe\u0301!'; // NFC makes é one unit
    const map = mapNormalization(text, (s) => s.normalize('NFC'));
    assert.ok(map);
    assert.strictEqual(map.normalized, 'Café!');
    assert.deepStrictEqual(map.origin[3], { start: 3, end: 5 });
  });

  it('falls back to the whole word where a rule looks at context (final sigma)', () => {
    const text = 'ΟΔΟΣ Σ';
    const map = mapNormalization(text, (s) => s.toLowerCase());
    assert.ok(map);
    assert.strictEqual(map.normalized, 'οδος σ');
    assert.deepStrictEqual(map.origin.slice(0, 4), Array(4).fill({ start: 0, end: 4 }));
    assert.deepStrictEqual(map.origin[5], { start: 5, end: 6 });
  });

  it('returns null when even whole words do not reproduce the whole text', () => {
    // A normalizer that looks across words: joins everything with no spaces.
    assert.strictEqual(mapNormalization('a b', (s) => (s.includes(' ') ? 'AB' : s)), null);
  });
});
