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
}

export type Section =
  | { kind: 'text'; start: number; end: number }
  | { kind: 'added'; start: number; end: number; token: AddedToken };

interface Node { next: Map<string, Node>; token?: AddedToken }

const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;

export class AddedTokens {
  readonly list: AddedToken[] = [];
  private readonly root: Node = { next: new Map() };

  constructor(json: unknown) {
    if (json === undefined || json === null) return;
    if (!Array.isArray(json)) throw new TokenizerFormatError('added_tokens must be a list');
    json.forEach((a: unknown, i) => {
      if (!isObject(a) || typeof a.content !== 'string' || !Number.isInteger(a.id)) {
        throw new TokenizerFormatError(`added_tokens[${i}] must have a string content and an integer id`);
      }
      const o = a as JsonObject;
      const t: AddedToken = {
        id: o.id as number, content: o.content as string, special: o.special === true,
        lstrip: o.lstrip === true, rstrip: o.rstrip === true, singleWord: o.single_word === true,
      };
      this.list.push(t);
      if (t.content.length === 0) return;
      let n = this.root;
      for (let k = 0; k < t.content.length; k++) {
        const c = t.content[k];
        let m = n.next.get(c);
        if (!m) n.next.set(c, (m = { next: new Map() }));
        n = m;
      }
      n.token = t;
    });
  }

  byContent(content: string): AddedToken | undefined {
    return this.list.find((t) => t.content === content);
  }

  /** The text cut into added tokens and the text between them, in order, covering all of it. */
  split(text: string): Section[] {
    const out: Section[] = [];
    let textStart = 0;
    let i = 0;
    while (i < text.length) {
      const hit = this.longestAt(text, i);
      if (!hit) {
        i++;
        continue;
      }
      let start = i;
      let end = i + hit.content.length;
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

  private longestAt(text: string, i: number): AddedToken | undefined {
    let n: Node | undefined = this.root;
    let best: AddedToken | undefined;
    for (let k = i; k < text.length; k++) {
      n = n.next.get(text[k]);
      if (!n) break;
      if (n.token) best = n.token;
    }
    return best;
  }
}
