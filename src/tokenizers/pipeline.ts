// One tokenizer.json as a pipeline with exact offsets: added tokens → normalizer → pre-tokenizer →
// model, the same order as the Rust `tokenizers` library, with every unit tracked back to the
// source text (see aligned.ts). Also says which family the tokenizer is and each token's word.
import { Tokenizer } from '@huggingface/tokenizers';
import { TokenInfo } from '../shared/protocol';
import { AddedTokens, parseAddedTokens } from './addedTokens';
import { Aligned, fromSource, sliceAligned, sourceRange } from './aligned';
import { JsonObject, TokenizerFormatError, isObject } from './json';
import { ModelToken, WordModel } from './model';
import { Normalize, createNormalizer } from './normalizers';
import { PreTokenizerInfo, createPreTokenizer } from './preTokenizers';

export type TokenizerFamily = 'byte-level BPE' | 'SentencePiece BPE' | 'BPE' | 'WordPiece' | 'Unigram';

export interface EncodedText {
  tokens: TokenInfo[];
  /** Per token, the index of the tokenizer's own word it belongs to (special tokens: their own). */
  wordIds: number[];
}

const MODEL_TYPES = ['BPE', 'WordPiece', 'Unigram'];

export class Pipeline {
  readonly family: TokenizerFamily;
  /** Added tokens found in the source text, and those found in the normalized text (normalized: true). */
  readonly added: AddedTokens;
  private readonly addedNormalized: AddedTokens;
  readonly lib: Tokenizer;
  /** The largest id the tokenizer can produce. */
  readonly maxId: number;
  readonly vocabSize: number;
  private readonly normalize: Normalize | null;
  private readonly pre: PreTokenizerInfo;
  private readonly model: WordModel;
  /** Words are also cut at white space inside a pre-token (SentencePiece, or no pre-tokenizer: one pre-token per text). */
  private readonly spaceWords: boolean;
  /**
   * The model may read a pre-token in pieces cut before each "▁" that follows another character:
   * no token holds such a "▁", so no merge crosses the cut and the tokens are the same (much faster
   * BPE on a text that is one pre-token).
   */
  private readonly cutAtMetaspace: boolean;

  /** Throws TokenizerFormatError saying which part of tokenizer.json is malformed or unsupported. */
  constructor(json: unknown) {
    if (!isObject(json)) throw new TokenizerFormatError('the file must hold a JSON object');
    const model = json.model;
    if (!isObject(model)) throw new TokenizerFormatError('it has no "model" object');
    const type = model.type ?? inferModelType(model);
    if (typeof type !== 'string' || !MODEL_TYPES.includes(type)) {
      throw new TokenizerFormatError(`model.type ${JSON.stringify(type)} is not a tokenizer model Attention Lens reads (BPE, WordPiece, Unigram)`);
    }
    if (model.vocab === undefined || model.vocab === null || typeof model.vocab !== 'object') {
      throw new TokenizerFormatError('model.vocab is missing');
    }
    if (type === 'BPE' && !Array.isArray(model.merges)) throw new TokenizerFormatError('model.merges must be a list (a BPE model)');
    const added = parseAddedTokens(json.added_tokens);
    this.normalize = createNormalizer(json.normalizer);
    const norm = this.normalize;
    this.added = new AddedTokens(added.filter((t) => !t.normalized || !norm));
    this.addedNormalized = new AddedTokens(norm ? added.filter((t) => t.normalized) : [], (t) => (norm as Normalize)(fromSource(t.content)).text);
    this.pre = createPreTokenizer(json.pre_tokenizer);
    // The JS library only picks each word's tokens: the other parts are ours, so it is not given
    // them (it would refuse some that are handled here, such as CharDelimiterSplit).
    const full: JsonObject = {
      ...json, normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null,
      added_tokens: added.length ? json.added_tokens : [], model: { ...model, type },
    };
    try {
      this.lib = new Tokenizer(full, {});
    } catch (e) {
      throw new TokenizerFormatError(`it cannot be loaded: ${(e as Error).message}`);
    }
    this.model = new WordModel(this.lib, { ...model, type }, this.pre.byteLevel);
    const ids = [...this.lib.get_vocab(true).values()];
    this.vocabSize = new Set(ids).size;
    this.maxId = ids.reduce((m, v) => Math.max(m, v), -1);
    const usesMetaspace = this.pre.metaspace !== null || JSON.stringify(json.normalizer ?? null).includes('▁');
    this.family = type === 'WordPiece' ? 'WordPiece' : type === 'Unigram' ? 'Unigram'
      : this.pre.byteLevel ? 'byte-level BPE' : usesMetaspace || model.byte_fallback === true ? 'SentencePiece BPE' : 'BPE';
    // With no pre-tokenizer the model reads the whole text as one piece, whatever the family: words
    // then come from white space, as in SentencePiece.
    this.spaceWords = this.family === 'SentencePiece BPE' || this.family === 'Unigram' || json.pre_tokenizer == null;
    this.cutAtMetaspace = type === 'BPE' && this.spaceWords && ![...this.lib.get_vocab(true).keys()].some((t) => /[^▁]▁/u.test(t));
  }

  tokenToId(token: string): number | undefined {
    return this.added.byContent(token)?.id ?? this.addedNormalized.byContent(token)?.id ?? this.lib.token_to_id(token);
  }

  /** Tokens of `text` with no special tokens added (added tokens found in it are kept). */
  encode(text: string): EncodedText {
    const tokens: TokenInfo[] = [];
    const wordIds: number[] = [];
    let word = -1;
    for (const s of this.added.split(text)) {
      if (s.kind === 'added') {
        tokens.push({ id: s.token.id, text: text.slice(s.start, s.end), start: s.start, end: s.end, special: s.token.special });
        wordIds.push(++word);
        continue;
      }
      let a = fromSource(text.slice(s.start, s.end), s.start);
      if (this.normalize) a = this.normalize(a);
      if (a.text.length === 0) continue;
      for (const n of this.addedNormalized.split(a.text)) {
        if (n.kind === 'added') {
          const units = Array.from({ length: n.end - n.start }, (_, k) => n.start + k);
          const r = sourceRange(a, units, n.start);
          tokens.push({ id: n.token.id, text: text.slice(r.start, r.end), start: r.start, end: r.end, special: n.token.special });
          wordIds.push(++word);
          continue;
        }
        for (const w of this.pre.run([sliceAligned(a, n.start, n.end)])) {
          let prevText: string | null = null;
          word++;
          for (const t of this.modelTokens(w)) {
            const src = text.slice(t.span.start, t.span.end);
            // SentencePiece words: a token starting with white space ("▁the") starts a word, and so
            // does one after a line break or tab; after a lone "▁" the next token is still its word.
            if (this.spaceWords && prevText !== null && src.length > 0 && (/^\s/u.test(src) || /[^\S ]$/u.test(prevText))) word++;
            tokens.push({ id: t.id, text: src, start: t.span.start, end: t.span.end, special: false });
            wordIds.push(word);
            if (src.length > 0) prevText = src;
          }
        }
      }
    }
    return { tokens, wordIds: dense(wordIds) };
  }

  private modelTokens(w: Aligned): ModelToken[] {
    if (!this.cutAtMetaspace) return this.model.encodeWord(w);
    const out: ModelToken[] = [];
    let from = 0;
    for (let i = 1; i <= w.text.length; i++) {
      if (i === w.text.length || (w.text[i] === '▁' && w.text[i - 1] !== '▁')) {
        out.push(...this.model.encodeWord(sliceAligned(w, from, i)));
        from = i;
      }
    }
    return out;
  }
}

/** Renumbers word ids 0, 1, 2… in order (a word that gave no token leaves no gap). */
function dense(ids: number[]): number[] {
  let n = -1;
  let last = NaN;
  return ids.map((w) => {
    if (w !== last) n++;
    last = w;
    return n;
  });
}

/** Files from before "type" was written: the shape of the model says which it is. */
function inferModelType(model: JsonObject): string | undefined {
  if (Array.isArray(model.vocab)) return 'Unigram';
  if (Array.isArray(model.merges)) return 'BPE';
  if (typeof model.continuing_subword_prefix === 'string') return 'WordPiece';
  return undefined;
}
