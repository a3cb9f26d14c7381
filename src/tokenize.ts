// The model's tokenizer (tokenizer.json through @huggingface/tokenizers), with each token's exact
// UTF-16 range in the analysed text, the bos token the model expects, and a window around the
// focus when the text has more tokens than the model takes.
import { Tokenizer } from '@huggingface/tokenizers';
import { promises as fs } from 'fs';
import { ModelConfig } from './shared/modelConfig';
import {
  AlignmentError, Span, alignTokenBytes, byteLevelToBytes, mapNormalization, spansThroughNormalization, utf8,
} from './shared/offsets';
import { TokenInfo, Truncation } from './shared/protocol';

export class TokenizerError extends Error {}

interface AddedTokenJson { id: number; content: string; special?: boolean }

function isByteLevel(component: unknown): boolean {
  if (typeof component !== 'object' || component === null) return false;
  const c = component as { type?: unknown; pretokenizers?: unknown[] };
  if (c.type === 'ByteLevel') return true;
  return c.type === 'Sequence' && Array.isArray(c.pretokenizers) && c.pretokenizers.some(isByteLevel);
}

/** A loaded tokenizer.json that encodes text into tokens with exact source ranges. */
export class TextTokenizer {
  private readonly tok: Tokenizer;
  private readonly added = new Map<string, AddedTokenJson>();
  readonly vocabSize: number;

  /** `json` is tokenizer.json's parsed content; throws TokenizerError saying what is unsupported. */
  constructor(json: unknown) {
    if (typeof json !== 'object' || json === null) throw new TokenizerError('tokenizer.json must hold a JSON object');
    const j = json as { model?: { type?: unknown }; pre_tokenizer?: unknown; added_tokens?: unknown };
    if (!isByteLevel(j.pre_tokenizer)) {
      // Offsets come from the byte-level spelling of tokens; other schemes would need guessing.
      const kind = (j.pre_tokenizer as { type?: unknown } | null)?.type ?? 'none';
      throw new TokenizerError(`tokenizer.json: pre_tokenizer is ${String(kind)}; Attention Lens needs a byte-level tokenizer (pre_tokenizer ByteLevel) to keep exact offsets`);
    }
    if ((j.pre_tokenizer as { add_prefix_space?: unknown }).add_prefix_space === true) {
      throw new TokenizerError('tokenizer.json: ByteLevel add_prefix_space is true; it inserts text that is not in the source, which Attention Lens does not support');
    }
    try {
      this.tok = new Tokenizer(json, {});
    } catch (e) {
      throw new TokenizerError(`tokenizer.json could not be loaded: ${(e as Error).message}`);
    }
    for (const a of Array.isArray(j.added_tokens) ? (j.added_tokens as AddedTokenJson[]) : []) {
      if (typeof a?.content === 'string' && Number.isInteger(a.id)) this.added.set(a.content, a);
    }
    this.vocabSize = this.tok.get_vocab(true).size;
  }

  tokenToId(token: string): number | undefined {
    return this.tok.token_to_id(token);
  }

  /** Tokens of `text` (no bos), each with its exact source range and source text. */
  encode(text: string): TokenInfo[] {
    if (text.length === 0) return [];
    const enc = this.tok.encode(text, { add_special_tokens: false });
    const pieces = enc.tokens.map((t) => (this.added.has(t) ? utf8(t) : byteLevelToBytes(t)));
    let spans: Span[];
    if (this.tok.normalizer === null) {
      spans = alignTokenBytes(text, pieces);
    } else {
      const normalize = this.tok.normalizer;
      const map = mapNormalization(text, (s) => normalize(s));
      if (!map) throw new AlignmentError('the tokenizer\'s normalizer changes this text in a way that cannot be mapped back to it');
      spans = spansThroughNormalization(alignTokenBytes(map.normalized, pieces), map, text.length);
    }
    return enc.ids.map((id, i) => {
      if (!Number.isInteger(id)) throw new TokenizerError(`token ${JSON.stringify(enc.tokens[i])} has no id in tokenizer.json`);
      const { start, end } = spans[i];
      return { id, text: text.slice(start, end), start, end, special: this.added.get(enc.tokens[i])?.special === true };
    });
  }
}

/** Reads and loads a tokenizer.json file; throws TokenizerError naming the file and the problem. */
export async function loadTokenizer(file: string): Promise<TextTokenizer> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new TokenizerError(`${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TokenizerError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    return new TextTokenizer(json);
  } catch (e) {
    throw new TokenizerError(`${file}: ${(e as Error).message.replace(/^tokenizer\.json:?\s*/, '')}`);
  }
}

/**
 * The token the cursor is on: the one whose range holds `offset`; at the boundary between a word
 * and a following token that starts with whitespace, the word (the cursor touches its end).
 */
export function tokenAtOffset(tokens: readonly TokenInfo[], offset: number): number | null {
  let hit: number | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.special || t.start === t.end) continue;
    if (t.start <= offset && offset < t.end) {
      hit = i;
      break;
    }
  }
  let before: number | null = null;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i];
    if (!t.special && t.end === offset && t.end > t.start) {
      before = i;
      break;
    }
  }
  if (hit === null) return before;
  if (before !== null && /^\s/.test(tokens[hit].text) && /\S$/.test(tokens[before].text)) return before;
  return hit;
}

/** The [from, to) token window of at most `cap` tokens, centred on `focus` (or at the start). */
export function chooseWindow(count: number, cap: number, focus: number | null): [number, number] {
  if (count <= cap) return [0, count];
  const centre = focus ?? 0;
  const from = Math.max(0, Math.min(count - cap, centre - Math.floor(cap / 2)));
  return [from, from + cap];
}

export interface ModelInput {
  /** What goes to the model: bos (when the config asks for it) then the tokens of the kept text. */
  tokens: TokenInfo[];
  truncation: Truncation | null;
  /** Index in `tokens` of the token at the focus offset, or null. */
  focus: number | null;
}

/**
 * Tokenizes `text` for the model: at most `maxTokens` tokens in all (bos included). When the text
 * has more, the window around `focusOffset` is kept and re-tokenized on its own, so the ids are
 * exactly those the model sees for the kept text; ranges stay offsets into `text`.
 */
export function tokenizeForModel(
  tok: TextTokenizer, text: string, config: ModelConfig, maxTokens: number, focusOffset: number | null,
): ModelInput {
  const bos = config.prepend_bos ? bosToken(tok, config) : null;
  const cap = Math.min(maxTokens, config.max_tokens) - (bos ? 1 : 0);
  if (cap < 1) throw new TokenizerError(`the token limit ${maxTokens} leaves no room for text`);
  const all = tok.encode(text);
  let kept = all;
  let truncation: Truncation | null = null;
  if (all.length > cap) {
    const focusIndex = focusOffset === null ? null : tokenAtOffset(all, focusOffset);
    let [from, to] = chooseWindow(all.length, cap, focusIndex);
    // Re-tokenizing a cut text can merge differently at the edges; shrink until it fits.
    for (;;) {
      const keptStart = all[from].start;
      const keptEnd = all[to - 1].end;
      kept = tok.encode(text.slice(keptStart, keptEnd)).map((t) => ({ ...t, start: t.start + keptStart, end: t.end + keptStart }));
      if (kept.length <= cap) {
        truncation = { totalTokens: all.length, keptStart, keptEnd };
        break;
      }
      const over = kept.length - cap;
      if (to - from <= over) throw new TokenizerError('no window of the text fits the token limit');
      const centre = focusIndex ?? from;
      if (centre - from > to - 1 - centre) from += over;
      else to -= over;
    }
  }
  const tokens = bos ? [bos, ...kept] : kept;
  const focus = focusOffset === null ? null : tokenAtOffset(tokens, focusOffset);
  return { tokens, truncation, focus };
}

function bosToken(tok: TextTokenizer, config: ModelConfig): TokenInfo {
  const name = config.special_tokens.bos;
  const id = name === undefined ? undefined : tok.tokenToId(name);
  if (id === undefined) throw new TokenizerError(`config.json asks for a bos token (prepend_bos) but ${JSON.stringify(name)} is not in tokenizer.json`);
  return { id, text: '', start: 0, end: 0, special: true };
}
