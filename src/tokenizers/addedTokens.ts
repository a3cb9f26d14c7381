// tokenizer.json's added tokens (<|endoftext|>, [CLS], <start_of_turn>, Gemma's runs of "\n"…): found
// in the source text before anything else, leftmost-longest like the Rust library, each becoming
// one token with its own source range; the text between them is tokenized normally.
import { JsonObject, TokenizerFormatError, isObject } from './json';

export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
  lstrip: boolean;
  rstrip: boolean;
  singleWord: boolean;
  /** Matched in the normalized text (its content normalized too), not in the source. */
  normalized: boolean;
}

export type Section =
  | { kind: 'text'; start: number; end: number }
  | { kind: 'added'; start: number; end: number; token: AddedToken };

interface Node { next: Map<string, Node>; token?: AddedToken }

const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;

/** tokenizer.json's added_tokens list, checked. */
export function parseAddedTokens(json: unknown): AddedToken[] {
  if (json === undefined || json === null) return [];
  if (!Array.isArray(json)) throw new TokenizerFormatError('added_tokens must be a list');
  return json.map((a: unknown, i) => {
    if (!isObject(a) || typeof a.content !== 'string' || !Number.isInteger(a.id)) {
      throw new TokenizerFormatError(`added_tokens[${i}] must have a string content and an integer id`);
    }
    const o = a as JsonObject;
    return {
      id: o.id as number, content: o.content as string, special: o.special === true, lstrip: o.lstrip === true,
      rstrip: o.rstrip === true, singleWord: o.single_word === true, normalized: o.normalized === true,
    };
  });
}

/** A set of added tokens to find in a text; `match` is the text each is found as. */
export class AddedTokens {
  private readonly root: Node = { next: new Map() };
  private readonly byText = new Map<string, AddedToken>();

  constructor(readonly list: readonly AddedToken[], match: (t: AddedToken) => string = (t) => t.content) {
    for (const t of list) {
      const m = match(t);
      if (!this.byText.has(t.content)) this.byText.set(t.content, t);
      if (m.length === 0) continue;
      let n = this.root;
      for (let k = 0; k < m.length; k++) {
        const c = m[k];
        let next = n.next.get(c);
        if (!next) n.next.set(c, (next = { next: new Map() }));
        n = next;
      }
      n.token = t;
    }
  }

  byContent(content: string): AddedToken | undefined {
    return this.byText.get(content);
  }

  /** The text cut into added tokens and the text between them, in order, covering all of it. */
  split(text: string): Section[] {
    const out: Section[] = [];
    let textStart = 0;
    let i = 0;
    while (i < text.length) {
      const found = this.longestAt(text, i);
      if (!found) {
        i++;
        continue;
      }
      const hit = found.token;
      let start = i;
      let end = i + found.length;
      if (hit.singleWord && (WORD_CHAR.test(text[start - 1] ?? '') || WORD_CHAR.test(text[end] ?? ''))) {
        i++;
        continue;
      }
      // lstrip / rstrip: the token takes the white space beside it.
      if (hit.lstrip) while (start > textStart && /\s/.test(text[start - 1])) start--;
      if (hit.rstrip) while (end < text.length && /\s/.test(text[end])) end++;
      if (start > textStart) out.push({ kind: 'text', start: textStart, end: start });
      out.push({ kind: 'added', start, end, token: hit });
      textStart = end;
      i = end;
    }
    if (textStart < text.length) out.push({ kind: 'text', start: textStart, end: text.length });
    return out;
  }

  private longestAt(text: string, i: number): { token: AddedToken; length: number } | undefined {
    let n: Node | undefined = this.root;
    let best: { token: AddedToken; length: number } | undefined;
    for (let k = i; k < text.length; k++) {
      n = n.next.get(text[k]);
      if (!n) break;
      if (n.token) best = { token: n.token, length: k + 1 - i };
    }
    return best;
  }
}
