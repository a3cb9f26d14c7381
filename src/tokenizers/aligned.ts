// Text that remembers where each of its UTF-16 units came from in the source text, so that a
// tokenizer's normalizers and pre-tokenizers can change the text and every token still maps back
// to exact source characters.
//
// Unit i came from source range [start[i], end[i]). An inserted unit (a prepended "▁", the spaces
// BERT puts around CJK characters) has start === end. When one source character became several
// units (a surrogate pair, "ﬁ" → "fi", "é" → "e" + U+0301), only the first of them OWNS it: a token
// holding an owning unit gets the character, the others get an empty range after it.
import { Span } from '../shared/offsets';

export interface Aligned {
  text: string;
  start: number[];
  end: number[];
  own: boolean[];
}

/** The source text itself, each unit its own origin; `offset` shifts the origins. */
export function fromSource(text: string, offset = 0): Aligned {
  const start: number[] = [];
  const end: number[] = [];
  const own: boolean[] = [];
  for (let i = 0; i < text.length; i++) {
    const low = i > 0 && isLowSurrogateAfterHigh(text, i);
    // A surrogate pair is one character: both units carry its whole range, the first owns it.
    const s = low ? start[i - 1] : offset + i;
    const pair = !low && i + 1 < text.length && isLowSurrogateAfterHigh(text, i + 1);
    start.push(s);
    end.push(low ? end[i - 1] : offset + i + (pair ? 2 : 1));
    own.push(!low);
  }
  return { text, start, end, own };
}

function isLowSurrogateAfterHigh(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  const p = text.charCodeAt(i - 1);
  return c >= 0xdc00 && c <= 0xdfff && p >= 0xd800 && p <= 0xdbff;
}

export function sliceAligned(a: Aligned, from: number, to: number): Aligned {
  return { text: a.text.slice(from, to), start: a.start.slice(from, to), end: a.end.slice(from, to), own: a.own.slice(from, to) };
}

/** Builds an Aligned text piece by piece. */
export class AlignedBuilder {
  private text = '';
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly own: boolean[] = [];

  /** Copies units [from, to) of `a` with their origins. */
  copy(a: Aligned, from: number, to: number): void {
    this.text += a.text.slice(from, to);
    for (let i = from; i < to; i++) {
      this.start.push(a.start[i]);
      this.end.push(a.end[i]);
      this.own.push(a.own[i]);
    }
  }

  /**
   * Writes `s` in place of units [from, to) of `a`: all its units come from their joint source
   * range, and the first owns it when any replaced unit did.
   */
  replace(a: Aligned, from: number, to: number, s: string): void {
    if (s.length === 0) return;
    let st = Infinity;
    let en = -Infinity;
    let owned = false;
    for (let i = from; i < to; i++) {
      if (a.start[i] === a.end[i]) continue;
      st = Math.min(st, a.start[i]);
      en = Math.max(en, a.end[i]);
      owned ||= a.own[i];
    }
    if (st === Infinity) {
      // Only inserted units were replaced: the result is inserted too.
      const p = from < a.start.length ? a.start[from] : 0;
      this.insert(s, p);
      return;
    }
    this.text += s;
    for (let k = 0; k < s.length; k++) {
      this.start.push(st);
      this.end.push(en);
      this.own.push(owned && k === 0);
    }
  }

  /** Inserts `s`, which is in no source, at source position `at`. */
  insert(s: string, at: number): void {
    this.text += s;
    for (let k = 0; k < s.length; k++) {
      this.start.push(at);
      this.end.push(at);
      this.own.push(false);
    }
  }

  /** Lets the last unit also cover source up to `to` (a deleted combining mark joins its base). */
  extendLast(to: number): void {
    const n = this.end.length - 1;
    if (n >= 0 && this.start[n] < this.end[n]) this.end[n] = Math.max(this.end[n], to);
  }

  build(): Aligned {
    return { text: this.text, start: this.start, end: this.end, own: this.own };
  }
}

/**
 * The source range of a token given the units of `a` whose characters start inside it (a token may
 * hold a character's first byte, or only later ones): the sources those units own. A token that
 * owns nothing gets an empty range after the character of unit `sitting`, the one it sits inside.
 */
export function sourceRange(a: Aligned, ownedUnits: readonly number[], sitting: number): Span {
  let s = Infinity;
  let e = -Infinity;
  for (const u of ownedUnits) {
    if (!a.own[u]) continue;
    s = Math.min(s, a.start[u]);
    e = Math.max(e, a.end[u]);
  }
  if (s !== Infinity) return { start: s, end: e };
  const p = sitting < a.end.length ? a.end[sitting] : a.end.length > 0 ? a.end[a.end.length - 1] : 0;
  return { start: p, end: p };
}
