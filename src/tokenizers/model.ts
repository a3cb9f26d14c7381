// The tokenizer model (BPE, WordPiece, Unigram) on one pre-tokenized word: @huggingface/tokenizers
// (pure JS) chooses the tokens; here each token is laid back onto the word's UTF-8 bytes, which
// gives the characters (and so the source range) it covers.
import { Tokenizer } from '@huggingface/tokenizers';
import { AlignmentError, Span, byteLevelToBytes, bytesToByteLevel, utf8 } from '../shared/offsets';
import { Aligned, sourceRange } from './aligned';
import { JsonObject } from './json';

export interface ModelToken {
  id: number;
  token: string;
  span: Span;
}

export type ModelType = 'BPE' | 'WordPiece' | 'Unigram';

const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;

export class WordModel {
  private readonly type: ModelType;
  private readonly unk: string | undefined;
  private readonly prefix: string | undefined;
  private readonly suffix: string | undefined;
  private readonly byteFallback: boolean;

  constructor(private readonly tok: Tokenizer, modelJson: JsonObject, private readonly byteLevel: boolean) {
    this.type = modelJson.type as ModelType;
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    this.unk = tok.model?.unk_token ?? str(modelJson.unk_token);
    this.prefix = str(modelJson.continuing_subword_prefix) ?? (this.type === 'WordPiece' ? '##' : undefined);
    this.suffix = str(modelJson.end_of_word_suffix);
    this.byteFallback = modelJson.byte_fallback === true;
  }

  /** The tokens of one word, each with its exact source range. */
  encodeWord(word: Aligned): ModelToken[] {
    const model = this.tok.model;
    if (!model || word.text.length === 0) return [];
    const bytes = utf8(word.text);
    const input = this.byteLevel ? bytesToByteLevel(bytes) : word.text;
    const pieces = this.unigramByteFallback(model([input]));
    const lengths = this.pieceLengths(pieces, bytes);
    // unitAt[b]: the unit where the character holding byte b starts; first[b]: b starts it.
    const unitAt = new Int32Array(bytes.length + 1);
    const first = new Uint8Array(bytes.length + 1);
    for (let u = 0, b = 0; u < word.text.length;) {
      const cp = word.text.codePointAt(u) as number;
      const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 || cp > 0x10ffff ? 3 : 4;
      first[b] = 1;
      for (let k = 0; k < n; k++) unitAt[b + k] = u;
      b += n;
      u += cp > 0xffff ? 2 : 1;
    }
    unitAt[bytes.length] = Math.max(0, word.text.length - 1);
    const out: ModelToken[] = [];
    let pos = 0;
    pieces.forEach((piece, i) => {
      const len = lengths[i];
      const owned: number[] = [];
      for (let b = pos; b < pos + len; b++) {
        if (first[b]) {
          const u = unitAt[b];
          owned.push(u);
          // The low half of a surrogate pair goes with the high half.
          if (u + 1 < word.text.length && (word.text.codePointAt(u) as number) > 0xffff) owned.push(u + 1);
        }
      }
      // A piece the vocabulary lacks (Unigram gives unknown text as it is) is the unknown token.
      const id = this.tok.token_to_id(piece) ?? (this.unk === undefined ? undefined : this.tok.token_to_id(this.unk));
      if (id === undefined) throw new AlignmentError(`token ${JSON.stringify(piece)} has no id in tokenizer.json, which names no unknown token`);
      out.push({ id, token: piece, span: sourceRange(word, owned, unitAt[Math.min(pos, bytes.length)]) });
      pos += len;
    });
    if (pos !== bytes.length) throw new AlignmentError(`the tokens of ${JSON.stringify(word.text)} cover ${pos} of its ${bytes.length} bytes`);
    return out;
  }

  /**
   * Unigram with byte_fallback: text the vocabulary lacks becomes its <0xNN> byte tokens, as in the
   * Rust library (the JS library leaves it unknown).
   */
  private unigramByteFallback(pieces: string[]): string[] {
    if (this.type !== 'Unigram' || !this.byteFallback) return pieces;
    return pieces.flatMap((p) => {
      if (this.tok.token_to_id(p) !== undefined) return [p];
      const bytes = [...utf8(p)].map((b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
      return bytes.every((b) => this.tok.token_to_id(b) !== undefined) ? bytes : [p];
    });
  }

  /** The bytes each token spells, checked against the word; the unknown token takes what is left. */
  private pieceLengths(pieces: string[], bytes: Uint8Array): number[] {
    const known = pieces.map((p, i) => (p === this.unk ? null : this.pieceBytes(p, i, pieces.length)));
    const lengths: number[] = [];
    let pos = 0;
    for (let i = 0; i < pieces.length; i++) {
      const k = known[i];
      if (k === null) {
        // The unknown token covers up to where the next known tokens can start: all of what the
        // rest leaves, or one character when more unknown tokens follow.
        const rest = known.slice(i + 1);
        let len: number;
        if (rest.every((r) => r !== null)) {
          len = bytes.length - pos - rest.reduce((s, r) => s + (r as Uint8Array).length, 0);
        } else {
          len = 1;
          while (pos + len < bytes.length && (bytes[pos + len] & 0xc0) === 0x80) len++;
        }
        if (len < 0) throw new AlignmentError(`the tokens of ${JSON.stringify(pieces.join(''))} are longer than the word`);
        lengths.push(len);
        pos += len;
        continue;
      }
      for (let b = 0; b < k.length; b++) {
        if (bytes[pos + b] !== k[b]) throw new AlignmentError(`token ${JSON.stringify(pieces[i])} does not match the text at byte ${pos + b}`);
      }
      lengths.push(k.length);
      pos += k.length;
    }
    return lengths;
  }

  private pieceBytes(piece: string, i: number, count: number): Uint8Array {
    const m = this.byteFallback ? BYTE_TOKEN.exec(piece) : null;
    if (m) return Uint8Array.of(parseInt(m[1], 16));
    let p = piece;
    if (i > 0 && this.prefix && p.startsWith(this.prefix)) p = p.slice(this.prefix.length);
    if (i === count - 1 && this.suffix && p.endsWith(this.suffix)) p = p.slice(0, -this.suffix.length);
    return this.byteLevel ? byteLevelToBytes(p) : utf8(p);
  }
}
