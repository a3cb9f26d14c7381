// Which text to analyse: the selection, or with an empty selection the paragraph / code block
// around the cursor (blank-line delimited). Pure: it reads a document only through LineSource, one
// line at a time, so a 100,000-line file costs only the lines near the cursor.

export interface LineSource {
  readonly lineCount: number;
  /** The text of a line, without its line break. */
  lineText(line: number): string;
}

export interface LinePos { line: number; character: number }

export interface Limits {
  /** Lines scanned up and down from the cursor when looking for the block's blank-line edges. */
  maxBlockLines: number;
  /** Characters analysed at most; a longer selection is cut around the cursor. */
  maxChars: number;
}

export const DEFAULT_LIMITS: Limits = { maxBlockLines: 400, maxChars: 200_000 };

export type Pick =
  | { kind: 'selection' }
  | { kind: 'block'; start: LinePos; end: LinePos; capped: boolean }
  | { kind: 'none'; message: string };

const isBlank = (s: string): boolean => s.trim().length === 0;

/**
 * The block around `line`: the run of non-blank lines holding it, at most `maxBlockLines` either
 * side of the cursor. A cursor on a blank line has no block.
 */
export function blockAround(doc: LineSource, line: number, limits: Limits = DEFAULT_LIMITS): Pick {
  if (line < 0 || line >= doc.lineCount) return { kind: 'none', message: 'The cursor is outside the document.' };
  if (isBlank(doc.lineText(line))) {
    return { kind: 'none', message: 'The cursor is on an empty line: select some text, or put the cursor inside a paragraph or code block.' };
  }
  let first = line;
  let capped = false;
  while (first > 0 && !isBlank(doc.lineText(first - 1))) {
    if (line - first >= limits.maxBlockLines) { capped = true; break; }
    first--;
  }
  let last = line;
  while (last < doc.lineCount - 1 && !isBlank(doc.lineText(last + 1))) {
    if (last - line >= limits.maxBlockLines) { capped = true; break; }
    last++;
  }
  return { kind: 'block', start: { line: first, character: 0 }, end: { line: last, character: doc.lineText(last).length }, capped };
}

/**
 * Cuts [start, end) (offsets) to at most `maxChars` around `cursor`, keeping the cursor inside.
 * Returns the kept [start, end).
 */
export function capAround(start: number, end: number, cursor: number, maxChars: number): [number, number] {
  if (end - start <= maxChars) return [start, end];
  const c = Math.min(Math.max(cursor, start), end);
  const from = Math.max(start, Math.min(end - maxChars, c - Math.floor(maxChars / 2)));
  return [from, from + maxChars];
}

/** Why this text cannot be analysed, or null when it can. */
export function textProblem(text: string): string | null {
  if (text.trim().length === 0) return 'The selection is empty or only whitespace: select some text, or put the cursor inside a paragraph or code block.';
  if (looksBinary(text)) return 'This looks like binary data (NUL bytes or many control characters), not text; Attention Lens analyses text.';
  return null;
}

/**
 * Binary data shows up as NUL bytes, or as many control characters and U+FFFD replacement
 * characters (bytes that were not valid UTF-8). Only the first 8,000 characters are looked at.
 */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8000);
  if (sample.includes('\0')) return true;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    // Tab, line feed, vertical tab, form feed, carriage return and escape occur in real text.
    if ((c < 0x20 && (c < 0x09 || c > 0x0d) && c !== 0x1b) || c === 0x7f || c === 0xfffd) odd++;
  }
  return sample.length > 0 && odd / sample.length > 0.1;
}

/**
 * The offset to place in the editor for a token boundary at `offset` of `text`. An editor has no
 * position between the \r and \n of a CRLF line break, so a boundary there moves after the \n:
 * the token holding the \r gets the whole line break, the one holding the \n an empty range (the
 * same rule as for a character split across tokens).
 */
export function editorOffset(text: string, offset: number): number {
  return offset > 0 && offset < text.length && text.charCodeAt(offset - 1) === 0x0d && text.charCodeAt(offset) === 0x0a
    ? offset + 1
    : offset;
}
