// Which tokens of two versions of a text are "the same token": pure alignment for Compare.
//
// A variant is the base text with one span changed (a typed replacement, or the document edited
// since the last run). A token keeps its identity across the two when it has the same id and
// lies, at the same place, in text that did not change: before the edit (same offsets) or after it
// (offsets shifted by the length difference). Everything between those two runs of tokens is the
// edited span: its base tokens map to its new tokens as a group, whatever their counts (one word
// to several tokens, a deletion to none). A token the edit touched only at its edge (a BPE merge
// across the boundary) falls into the edited span too, so the span always covers whole tokens.
//
// Offsets are UTF-16 code units into each version's text, as TokenInfo.start/end are.

import type { TokenInfo } from './protocol/common';

export type AlignToken = Pick<TokenInfo, 'id' | 'start' | 'end'>;

/** The changed span: base text [start, baseEnd) became variant text [start, variantEnd). */
export interface TextEdit {
  start: number;
  baseEnd: number;
  variantEnd: number;
}

/** A half-open range of token indices. */
export interface IndexSpan {
  from: number;
  to: number;
}

export interface TokenAlignment {
  /** The text edit (null when the texts are equal). */
  edit: TextEdit | null;
  /** For each base token, the variant token that is the same token, or null (it was edited). */
  toVariant: (number | null)[];
  /** For each variant token, the base token that is the same token, or null (it is new). */
  toBase: (number | null)[];
  /** The edited base tokens and the variant tokens they became (both may be empty). */
  baseSpan: IndexSpan;
  variantSpan: IndexSpan;
}

/** Length of the longest common prefix, never splitting a surrogate pair. */
export function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let p = 0;
  while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  // "😀" vs "😃" share the high surrogate: the character differs, so the prefix stops before it.
  if (p > 0 && p < n && isHigh(a.charCodeAt(p - 1))) p--;
  return p;
}

/** Length of the longest common suffix, never splitting a surrogate pair. */
export function commonSuffix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  while (s < n && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  if (s > 0 && s < n && isLow(a.charCodeAt(a.length - s))) s--;
  return s;
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/**
 * The one span that differs between two texts, or null when they are equal. The prefix is taken
 * first and the suffix may not overlap it, so an insertion into a repeat ("aa" → "aaa") is placed
 * at the end of the repeat.
 */
export function editBetween(base: string, variant: string): TextEdit | null {
  if (base === variant) return null;
  const p = commonPrefix(base, variant);
  const s = Math.min(commonSuffix(base, variant), base.length - p, variant.length - p);
  return { start: p, baseEnd: base.length - s, variantEnd: variant.length - s };
}

/** The text with [start, end) replaced; throws a RangeError when the span is not inside it. */
export function replaceSpan(text: string, start: number, end: number, replacement: string): string {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > text.length) {
    throw new RangeError(`span ${start}–${end} is not inside a text of ${text.length} characters`);
  }
  return text.slice(0, start) + replacement + text.slice(end);
}

/**
 * Aligns the tokens of two versions of a text. A token in the prefix must end inside the common
 * prefix of the texts, a token in the suffix must start inside the common suffix (measured from
 * each end independently, so an insertion that could sit on either side of a repeated character
 * still keeps the tokens on both sides), and the two runs may not overlap.
 */
export function alignTokens(
  baseText: string, base: readonly AlignToken[], variantText: string, variant: readonly AlignToken[],
): TokenAlignment {
  checkTokens(baseText, base, 'base');
  checkTokens(variantText, variant, 'variant');
  const cp = commonPrefix(baseText, variantText);
  const cs = commonSuffix(baseText, variantText);
  const delta = variantText.length - baseText.length;
  const n = Math.min(base.length, variant.length);

  let pre = 0;
  while (pre < n) {
    const a = base[pre];
    const b = variant[pre];
    if (a.id !== b.id || a.start !== b.start || a.end !== b.end || a.end > cp) break;
    pre++;
  }
  let suf = 0;
  while (pre + suf < n) {
    const a = base[base.length - 1 - suf];
    const b = variant[variant.length - 1 - suf];
    if (a.id !== b.id || b.start !== a.start + delta || b.end !== a.end + delta || baseText.length - a.start > cs) break;
    suf++;
  }
  const toVariant: (number | null)[] = base.map(() => null);
  const toBase: (number | null)[] = variant.map(() => null);
  for (let i = 0; i < pre; i++) {
    toVariant[i] = i;
    toBase[i] = i;
  }
  for (let k = 1; k <= suf; k++) {
    toVariant[base.length - k] = variant.length - k;
    toBase[variant.length - k] = base.length - k;
  }
  return {
    edit: editBetween(baseText, variantText),
    toVariant,
    toBase,
    baseSpan: { from: pre, to: base.length - suf },
    variantSpan: { from: pre, to: variant.length - suf },
  };
}

function checkTokens(text: string, tokens: readonly AlignToken[], which: string): void {
  tokens.forEach((t, i) => {
    if (!(Number.isInteger(t.start) && Number.isInteger(t.end) && t.start >= 0 && t.start <= t.end && t.end <= text.length)) {
      throw new RangeError(`${which} token ${i} (${t.start}–${t.end}) is not inside its text of ${text.length} characters`);
    }
  });
}

/**
 * Follows a range of a document through one content change (VS Code's rangeOffset, rangeLength,
 * text): a change wholly before it shifts it, one wholly after it leaves it, and one that overlaps
 * or touches it — typing at its very start or end included — becomes part of it. Used to find the
 * last run's text in a document edited since.
 */
export function followChange(
  range: { start: number; end: number }, change: { offset: number; length: number; text: string },
): { start: number; end: number } {
  const cEnd = change.offset + change.length;
  const d = change.text.length - change.length;
  const before = cEnd < range.start || (cEnd === range.start && change.length > 0);
  if (before) return { start: range.start + d, end: range.end + d };
  const after = change.offset > range.end || (change.offset === range.end && change.length > 0);
  if (after) return range;
  const start = Math.min(range.start, change.offset);
  return { start, end: Math.max(range.end, cEnd) + d };
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}_'’-]/u;

/**
 * The word around [start, end) of a text: leading whitespace skipped, then grown while the
 * neighbouring characters are letters, digits, marks, "_", "'" or "-". A span with no word
 * character (punctuation) is returned trimmed as it is; null when only whitespace is there.
 */
export function wordAround(text: string, start: number, end: number): { start: number; end: number } | null {
  let s = Math.max(0, Math.min(start, text.length));
  let e = Math.max(s, Math.min(end, text.length));
  const cursor = s === e;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (s === e) {
    if (!cursor) return null; // only whitespace
    // The cursor: the word it touches (after it, else before it).
    if (s < text.length && WORD_CHAR.test(text[s])) e = s + 1;
    else if (s > 0 && WORD_CHAR.test(text[s - 1])) s -= 1;
    else return null;
  }
  const inWord = [...text.slice(s, e)].some((c) => WORD_CHAR.test(c));
  if (!inWord) return { start: s, end: e };
  while (s > 0 && WORD_CHAR.test(text[s - 1])) s--;
  while (e < text.length && WORD_CHAR.test(text[e])) e++;
  return { start: s, end: e };
}
