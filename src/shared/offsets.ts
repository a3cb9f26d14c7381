// Byte-level spelling of tokens and UTF-8, the ground for exact token ranges (src/tokenizers/).
//
// @huggingface/tokenizers returns token strings but no offsets. A byte-level token string spells
// bytes through GPT-2's byte↔unicode table; a byte-fallback token <0xNN> is one byte; other tokens
// are their UTF-8. Laid over a word's UTF-8 in order, each token covers a byte range.
//
// The rule for a character whose UTF-8 bytes are split across tokens (an emoji cut in two): the
// character belongs to the token holding its FIRST byte. A token that holds no first byte of any
// character gets an empty range placed right after the character it sits inside. With this rule
// the ranges are in order and never overlap.

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
