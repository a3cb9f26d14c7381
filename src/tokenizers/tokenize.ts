// The model's tokenizer (any tokenizer.json family: src/tokenizers/), with each token's exact
// UTF-16 range in the analysed text and its word, the special tokens the model expects around the
// text, and a window around the focus when the text has more tokens than the model takes.
import { ModelConfig } from '../shared/modelConfig';
import { TokenInfo, Truncation } from '../shared/protocol';
import { TokenizerFormatError } from './json';
import { EncodedText, Pipeline, TokenizerFamily } from './pipeline';
import { SpecialPlan, applyTokenizerConfig, postProcessorPlan } from './specials';

export type { EncodedText, TokenizerFamily };

export class TokenizerError extends Error {}

export interface TokenizerOptions {
  /** tokenizer_config.json's parsed content: its add_bos_token / add_eos_token and token names. */
  tokenizerConfig?: unknown;
  /** The model's vocab_size: every id the tokenizer can produce must be below it. */
  vocabSize?: number;
  /** Names the files in messages. */
  file?: string;
  tokenizerConfigFile?: string;
  configFile?: string;
}

/** A loaded tokenizer.json (any family) that encodes text into tokens with exact source ranges. */
export class TextTokenizer {
  private readonly pipe: Pipeline;
  readonly family: TokenizerFamily;
  /** Distinct ids, added tokens included. */
  readonly vocabSize: number;
  /** The largest id the tokenizer can produce. */
  readonly maxId: number;
  /** The special tokens the tokenizer itself puts around a text (post_processor, tokenizer_config.json). */
  readonly specials: SpecialPlan;

  /** `json` is tokenizer.json's parsed content; throws TokenizerError saying what is wrong. */
  constructor(json: unknown, opts: TokenizerOptions = {}) {
    const file = opts.file ?? 'tokenizer.json';
    try {
      this.pipe = new Pipeline(json);
      const plan = postProcessorPlan((json as { post_processor?: unknown }).post_processor);
      this.specials = applyTokenizerConfig(plan, opts.tokenizerConfig, (t) => this.pipe.tokenToId(t), opts.tokenizerConfigFile);
    } catch (e) {
      if (e instanceof TokenizerFormatError) throw new TokenizerError(`${file}: ${e.message}`);
      throw e;
    }
    this.family = this.pipe.family;
    this.vocabSize = this.pipe.vocabSize;
    this.maxId = this.pipe.maxId;
    if (opts.vocabSize !== undefined && this.maxId >= opts.vocabSize) {
      throw new TokenizerError(`${file} produces token ids up to ${this.maxId}, but ${opts.configFile ?? 'config.json'} says the model's vocab_size is ${opts.vocabSize}: those ids would run past the model's embedding`);
    }
  }

  tokenToId(token: string): number | undefined {
    return this.pipe.tokenToId(token);
  }

  /** Tokens of `text` (no special tokens added), each with its exact source range and source text. */
  encode(text: string): TokenInfo[] {
    return this.encodeWords(text).tokens;
  }

  /** The tokens of `text` and, per token, the index of the tokenizer's own word it belongs to. */
  encodeWords(text: string): EncodedText {
    if (text.length === 0) return { tokens: [], wordIds: [] };
    return this.pipe.encode(text);
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
  /** What goes to the model: the special tokens it expects around the tokens of the kept text. */
  tokens: TokenInfo[];
  /** Per token, its word (0-based, increasing; every special token is a word of its own). */
  wordIds: number[];
  truncation: Truncation | null;
  /** Index in `tokens` of the token at the focus offset, or null. */
  focus: number | null;
}

/**
 * The special tokens a run puts before and after the text. Our contract's config.json decides
 * (prepend_bos with special_tokens.bos, nothing after); a Hugging Face folder's tokenizer does:
 * its post_processor, then tokenizer_config.json's add_bos_token / add_eos_token.
 */
export function specialsFor(tok: TextTokenizer, config: ModelConfig): { prefix: TokenInfo[]; suffix: TokenInfo[] } {
  const info = (id: number, name: string | undefined): TokenInfo => ({ id, text: '', start: 0, end: 0, special: true, ...(name === undefined ? {} : { name }) });
  if (config.source !== 'huggingface') return { prefix: config.prepend_bos ? [info(bosId(tok, config), config.special_tokens.bos)] : [], suffix: [] };
  let plan: SpecialPlan;
  try {
    plan = applyTokenizerConfig(tok.specials, {
      add_bos_token: config.add_bos_token, bos_token: config.special_tokens.bos,
      add_eos_token: config.add_eos_token, eos_token: config.special_tokens.eos,
    }, (t) => tok.tokenToId(t));
  } catch (e) {
    throw new TokenizerError((e as Error).message);
  }
  return { prefix: plan.prefix.map((s) => info(s.id, s.token)), suffix: plan.suffix.map((s) => info(s.id, s.token)) };
}

/**
 * Tokenizes `text` for the model: at most `maxTokens` tokens in all (special tokens included).
 * When the text has more, the window around `focusOffset` is kept and re-tokenized on its own, so
 * the ids are exactly those the model sees for the kept text; ranges stay offsets into `text`.
 */
export function tokenizeForModel(
  tok: TextTokenizer, text: string, config: ModelConfig, maxTokens: number, focusOffset: number | null,
): ModelInput {
  const { prefix, suffix } = specialsFor(tok, config);
  const cap = Math.min(maxTokens, config.max_tokens) - prefix.length - suffix.length;
  if (cap < 1) throw new TokenizerError(`the token limit ${maxTokens} leaves no room for text`);
  const all = tok.encodeWords(text);
  let kept = all;
  let truncation: Truncation | null = null;
  let keptStart = 0;
  let keptEnd = text.length;
  if (all.tokens.length > cap) {
    const focusIndex = focusOffset === null ? null : tokenAtOffset(all.tokens, focusOffset);
    let [from, to] = chooseWindow(all.tokens.length, cap, focusIndex);
    // Re-tokenizing a cut text can merge differently at the edges; shrink until it fits.
    for (;;) {
      keptStart = all.tokens[from].start;
      keptEnd = all.tokens[to - 1].end;
      const part = tok.encodeWords(text.slice(keptStart, keptEnd));
      const shift = keptStart;
      kept = { tokens: part.tokens.map((t) => ({ ...t, start: t.start + shift, end: t.end + shift })), wordIds: part.wordIds };
      if (kept.tokens.length <= cap) {
        truncation = { totalTokens: all.tokens.length, keptStart, keptEnd };
        break;
      }
      const over = kept.tokens.length - cap;
      if (to - from <= over) throw new TokenizerError('no window of the text fits the token limit');
      const centre = focusIndex ?? from;
      if (centre - from > to - 1 - centre) from += over;
      else to -= over;
    }
  }
  const at = (p: number) => (t: TokenInfo): TokenInfo => ({ ...t, start: p, end: p });
  // Contract models keep bos at 0 as before; a suffix sits at the end of the kept text.
  const tokens = [...prefix.map(at(config.source === 'huggingface' ? keptStart : 0)), ...kept.tokens, ...suffix.map(at(keptEnd))];
  const textWords = kept.wordIds.length ? kept.wordIds[kept.wordIds.length - 1] + 1 : 0;
  const wordIds = [
    ...prefix.map((_, i) => i),
    ...kept.wordIds.map((w) => w + prefix.length),
    ...suffix.map((_, i) => prefix.length + textWords + i),
  ];
  const focus = focusOffset === null ? null : tokenAtOffset(tokens, focusOffset);
  return { tokens, wordIds, truncation, focus };
}

function bosId(tok: TextTokenizer, config: ModelConfig): number {
  const name = config.special_tokens.bos;
  const id = name === undefined ? undefined : tok.tokenToId(name);
  if (id === undefined) throw new TokenizerError(`config.json asks for a bos token (prepend_bos) but ${JSON.stringify(name)} is not in tokenizer.json`);
  return id;
}
