// Which text "Explain attention here" reads: the window around the cursor as the model reads it.
// A causal model's attention at a token sees only the text before it, so it gets as much text
// before the cursor as the token budget holds (earlier paragraphs included), then the rest of the
// cursor's paragraph; a bidirectional model gets a window centred on the cursor, grown by whole
// paragraphs while they fit. Pure: a text region in, offsets out; token counts come from the
// caller's tokenizer (the model's own), and the final window is checked with one real encoding.
import type { Architecture } from '../shared/modelConfig';

export interface Span { start: number; end: number }

/** The tokens of a text, as offsets into it (the model's tokenizer, specials not added). */
export type TokenSpans = (text: string) => readonly Span[];

export interface WindowInput {
  /** The region of the document around the anchor (its edges are the document's, or a scan limit). */
  text: string;
  /** What to explain: the selection, or the cursor (start === end). Offsets into `text`. */
  anchor: Span;
  architecture: Architecture;
  /** Tokens of text the window may hold (the model's limit less the special tokens it adds). */
  budget: number;
  tokens: TokenSpans;
}

export type WindowChoice =
  | { kind: 'window'; start: number; end: number; tokenCount: number }
  | { kind: 'none'; message: string };

/** The share of the budget the rest of the paragraph after the anchor may take in a causal window. */
const TAIL_SHARE = 0.25;

const isBlank = (s: string): boolean => s.trim().length === 0;

/** Maximal runs of non-blank lines: from the first line's start to the last line's end (no line break). */
export function paragraphs(text: string): Span[] {
  const out: Span[] = [];
  let open: Span | null = null;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const next = nl < 0 ? text.length + 1 : nl + 1;
    let lineEnd = nl < 0 ? text.length : nl;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
    if (isBlank(text.slice(lineStart, lineEnd))) {
      if (open) out.push(open);
      open = null;
    } else if (open) {
      open.end = lineEnd;
    } else {
      open = { start: lineStart, end: lineEnd };
    }
    lineStart = next;
  }
  if (open) out.push(open);
  return out;
}

export function chooseWindow(input: WindowInput): WindowChoice {
  const { text, anchor, budget } = input;
  if (budget < 1) return { kind: 'none', message: 'The token limit leaves no room for text.' };
  const paras = paragraphs(text);
  const empty = anchor.start === anchor.end;
  // The paragraphs the anchor touches; an empty anchor must be inside one (not on a blank line).
  let first = paras.findIndex((p) => (empty ? p.start <= anchor.start && anchor.start <= p.end : p.end > anchor.start));
  let last = -1;
  for (let i = paras.length - 1; i >= 0; i--) {
    if (empty ? i === first : paras[i].start < anchor.end) { last = i; break; }
  }
  if (first < 0 || last < first) {
    if (empty) return { kind: 'none', message: 'The cursor is on an empty line: select some text, or put the cursor inside a paragraph or code block.' };
    first = last = -1;
  }
  const core: Span = first < 0
    ? { ...anchor }
    : { start: Math.min(paras[first].start, anchor.start), end: Math.max(paras[last].end, anchor.end) };
  const w = input.architecture === 'causal'
    ? causal(input, paras, first, core)
    : bidirectional(input, paras, first, last, core);
  return fit(input, w);
}

const count = (input: WindowInput, start: number, end: number): number => (end > start ? input.tokens(input.text.slice(start, end)).length : 0);

/** Text before the anchor until the budget is spent, then the rest of the paragraph (a bounded share). */
function causal(input: WindowInput, paras: Span[], first: number, core: Span): Span {
  const { text, anchor, budget } = input;
  let end = core.end;
  const tailMax = Math.floor(budget * TAIL_SHARE);
  if (end > anchor.end) {
    const tail = input.tokens(text.slice(anchor.end, end));
    if (tail.length > tailMax) end = anchor.end + (tailMax > 0 ? tail[tailMax - 1].end : 0);
  }
  let used = count(input, anchor.start, end);
  if (used > budget) return { start: anchor.start, end }; // a selection longer than the budget: fit() keeps its end
  let start = anchor.start;
  // Chunks before the anchor, nearest first: the paragraph's start, then each earlier paragraph
  // with the blank lines after it.
  const starts = [core.start, ...paras.slice(0, Math.max(first, 0)).map((p) => p.start).reverse()];
  for (const chunkStart of starts) {
    if (chunkStart >= start) continue;
    const toks = input.tokens(text.slice(chunkStart, start));
    if (used + toks.length <= budget) {
      used += toks.length;
      start = chunkStart;
      continue;
    }
    const room = budget - used;
    if (room > 0) start = chunkStart + toks[toks.length - room].start;
    break;
  }
  return { start: skipSpace(text, start, anchor.start), end };
}

/** The anchor's paragraph (or a token window centred on the anchor), then whole paragraphs either side. */
function bidirectional(input: WindowInput, paras: Span[], first: number, last: number, core: Span): Span {
  const { text, anchor, budget } = input;
  const toks = input.tokens(text.slice(core.start, core.end));
  if (toks.length > budget) {
    const a0 = anchor.start - core.start;
    const a1 = anchor.end - core.start;
    let lo = toks.findIndex((t) => t.end > a0);
    if (lo < 0) lo = toks.length - 1;
    let hi = lo;
    for (let i = lo; i < toks.length && toks[i].start < Math.max(a1, a0 + 1); i++) hi = i;
    const centre = Math.floor((lo + hi) / 2);
    const from = Math.max(0, Math.min(toks.length - budget, centre - Math.floor(budget / 2)));
    return { start: core.start + toks[from].start, end: core.start + toks[from + budget - 1].end };
  }
  let used = toks.length;
  let start = core.start;
  let end = core.end;
  let before = first - 1;
  let after = last + 1;
  if (first < 0) return { start, end };
  while (before >= 0 || after < paras.length) {
    if (before >= 0) {
      const n = count(input, paras[before].start, start);
      if (used + n <= budget) { used += n; start = paras[before].start; before--; } else before = -1;
    }
    if (after < paras.length) {
      const n = count(input, end, paras[after].end);
      if (used + n <= budget) { used += n; end = paras[after].end; after++; } else after = paras.length;
    }
  }
  return { start, end };
}

/**
 * Token counts of pieces do not always add up to the count of the whole (merges across a piece's
 * edge): encode the window once and shrink it until it fits, keeping the anchor inside.
 */
function fit(input: WindowInput, w: Span): WindowChoice {
  const { text, anchor, budget } = input;
  let { start, end } = w;
  for (let round = 0; round < 16; round++) {
    const toks = input.tokens(text.slice(start, end));
    if (toks.length <= budget) {
      if (toks.length === 0) return { kind: 'none', message: 'There is no text around the cursor to explain.' };
      return { kind: 'window', start, end, tokenCount: toks.length };
    }
    const over = toks.length - budget;
    // Which side gives way: a causal window drops its start, a bidirectional one its longer side;
    // neither cuts into the anchor while the other side has room.
    const roomBefore = anchor.start - start;
    const roomAfter = end - anchor.end;
    const cutStart = input.architecture === 'causal' ? roomBefore > 0 || roomAfter <= 0 : roomBefore >= roomAfter;
    if (cutStart) start = Math.min(end, start + toks[over].start);
    else end = start + toks[toks.length - 1 - over].end;
    start = skipSpace(text, start, Math.min(anchor.start, end));
  }
  return { kind: 'none', message: 'No window of the text around the cursor fits the token limit.' };
}

/** Moves a window's start past whitespace (a line break or space left by a cut), not past `limit`. */
function skipSpace(text: string, start: number, limit: number): number {
  let s = start;
  while (s < limit && /\s/.test(text[s])) s++;
  return s;
}

/** The tokens (non-special, non-empty) overlapping `span`: [first, end), or null when none does. */
export function tokensOverlapping(tokens: readonly (Span & { special: boolean })[], span: Span): { first: number; end: number } | null {
  let first = -1;
  let last = -1;
  tokens.forEach((t, i) => {
    if (t.special || t.end <= t.start || t.end <= span.start || t.start >= span.end) return;
    if (first < 0) first = i;
    last = i;
  });
  return first < 0 ? null : { first, end: last + 1 };
}
