// Maps byte-level BPE tokens back to exact UTF-16 ranges of the text they came from.
//
// @huggingface/tokenizers returns token strings but no offsets. A byte-level token string spells
// bytes through GPT-2's byte↔unicode table, and (with no normalizer) the tokens' bytes, in order,
// are exactly the UTF-8 of the input. So each token covers a byte range, and byte ranges map to
// UTF-16 ranges.
//
// The rule for a character whose UTF-8 bytes are split across tokens (an emoji cut in two): the
// character belongs to the token holding its FIRST byte. A token that holds no first byte of any
// character gets an empty range placed right after the character it sits inside. With this rule
// the ranges are in order, never overlap, and together cover the whole text.

export interface Span {
  start: number;
  end: number;
}

export class AlignmentError extends Error {}

// GPT-2's table: printable bytes stand for themselves, the other 68 bytes are shifted to 256+.
function buildByteTable(): { charToByte: Map<number, number>; byteToChar: string[] } {
  const printable = (b: number): boolean =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const charToByte = new Map<number, number>();
  const byteToChar: string[] = new Array(256);
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    const cp = printable(b) ? b : 256 + shifted++;
    charToByte.set(cp, b);
    byteToChar[b] = String.fromCodePoint(cp);
  }
  return { charToByte, byteToChar };
}

const TABLE = buildByteTable();

/** The bytes a byte-level token string stands for; throws when a character is not in the table. */
export function byteLevelToBytes(piece: string): Uint8Array {
  const out = new Uint8Array(piece.length);
  let n = 0;
  for (const ch of piece) {
    const b = TABLE.charToByte.get(ch.codePointAt(0) as number);
    if (b === undefined) {
      throw new AlignmentError(`token ${JSON.stringify(piece)} is not byte-level: ${JSON.stringify(ch)} has no byte`);
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/** The byte-level spelling of bytes (the inverse of byteLevelToBytes). */
export function bytesToByteLevel(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += TABLE.byteToChar[b];
  return s;
}

/** UTF-8 of a string as TextEncoder writes it (a lone surrogate becomes U+FFFD). */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * For every byte offset 0..N of the UTF-8 of `text`, the UTF-16 offset of the first character
 * that starts at or after it. A byte inside a character maps to that character's end.
 */
export function utf16AtByteCeil(text: string): Int32Array {
  const total = utf8(text).length;
  const at = new Int32Array(total + 1);
  let byte = 0;
  let u = 0;
  while (u < text.length) {
    const cp = text.codePointAt(u) as number;
    const isPair = cp > 0xffff;
    const units = isPair ? 2 : 1;
    // A lone surrogate is encoded as U+FFFD (3 bytes), like TextEncoder does.
    const lone = !isPair && cp >= 0xd800 && cp <= 0xdfff;
    const len = lone ? 3 : cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    at[byte] = u;
    for (let k = 1; k < len; k++) at[byte + k] = u + units;
    byte += len;
    u += units;
  }
  at[total] = text.length;
  return at;
}

/**
 * The UTF-16 range of each token, given each token's bytes in order. Throws AlignmentError when
 * the tokens' bytes are not exactly the UTF-8 of `text` (for example when a normalizer changed it).
 */
export function alignTokenBytes(text: string, pieces: readonly Uint8Array[]): Span[] {
  const bytes = utf8(text);
  const at = utf16AtByteCeil(text);
  const spans: Span[] = [];
  let pos = 0;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    if (pos + p.length > bytes.length) {
      throw new AlignmentError(`token ${i} runs past the end of the text (byte ${pos + p.length} of ${bytes.length})`);
    }
    for (let k = 0; k < p.length; k++) {
      if (p[k] !== bytes[pos + k]) {
        throw new AlignmentError(`token ${i} does not match the text at byte ${pos + k}`);
      }
    }
    spans.push({ start: at[pos], end: at[pos + p.length] });
    pos += p.length;
  }
  if (pos !== bytes.length) {
    throw new AlignmentError(`tokens cover ${pos} of the text's ${bytes.length} bytes`);
  }
  return spans;
}

/**
 * A map from a normalized text back to the text it came from: `origin[i]` is the source range of
 * normalized UTF-16 unit i. Built one whitespace-delimited word at a time: inside a word, one
 * grapheme at a time when that reproduces the word's normalization (true for NFC/NFKC/NFD,
 * lowercase, accent stripping), else the whole word is the unit (a rule that looks at context,
 * such as a final sigma). Null when even that does not reproduce the whole text's normalization.
 */
export interface NormalizedMap {
  normalized: string;
  origin: Span[];
}

export function mapNormalization(text: string, normalize: (s: string) => string): NormalizedMap | null {
  const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let normalized = '';
  const origin: Span[] = [];
  const push = (n: string, span: Span): void => {
    normalized += n;
    for (let k = 0; k < n.length; k++) origin.push(span);
  };
  for (const m of text.matchAll(/\s+|\S+/g)) {
    const wordStart = m.index as number;
    const word = m[0];
    const whole = normalize(word);
    const parts = [...graphemes.segment(word)].map((g) => ({
      n: normalize(g.segment),
      span: { start: wordStart + g.index, end: wordStart + g.index + g.segment.length },
    }));
    if (parts.map((p) => p.n).join('') === whole) {
      for (const p of parts) push(p.n, p.span);
    } else {
      push(whole, { start: wordStart, end: wordStart + word.length });
    }
  }
  return normalized === normalize(text) ? { normalized, origin } : null;
}

/**
 * Moves spans over a normalized text back onto the source text. A source unit that normalized into
 * several units belongs to the span holding the first of them (the same rule as for bytes); a span
 * that owns no source unit gets an empty range after the unit it sits inside.
 */
export function spansThroughNormalization(spans: readonly Span[], map: NormalizedMap, sourceLength: number): Span[] {
  const { origin } = map;
  const owns = (i: number): boolean => i === 0 || origin[i - 1].start !== origin[i].start;
  return spans.map((s) => {
    if (s.start >= origin.length) return { start: sourceLength, end: sourceLength };
    for (let i = s.start; i < s.end; i++) {
      if (owns(i)) return { start: origin[i].start, end: origin[s.end - 1].end };
    }
    const p = owns(s.start) ? origin[s.start].start : origin[s.start].end;
    return { start: p, end: p };
  });
}
