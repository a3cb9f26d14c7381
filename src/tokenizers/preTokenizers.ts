// tokenizer.json pre-tokenizers on Aligned text: they cut a normalized section into the words the
// model then encodes one by one (these words are also the word ids the panel groups tokens by).
// Splitting follows the Rust `tokenizers` library's behaviours (Removed, Isolated,
// MergedWithPrevious, MergedWithNext, Contiguous; invert).
import { Aligned, AlignedBuilder, sliceAligned } from './aligned';
import { compilePattern } from './normalizers';
import { JsonObject, TokenizerFormatError, field, isObject } from './json';

export type PreTokenize = (words: Aligned[]) => Aligned[];

type Behavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';
const BEHAVIORS: readonly Behavior[] = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];

interface Piece { from: number; to: number; match: boolean }

/** Pieces of `text`: the (non-empty) matches of `re` and the text between them. */
function regexPieces(text: string, re: RegExp): Piece[] {
  const out: Piece[] = [];
  let pos = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index as number;
    if (m[0].length === 0) continue;
    if (at > pos) out.push({ from: pos, to: at, match: false });
    out.push({ from: at, to: at + m[0].length, match: true });
    pos = at + m[0].length;
  }
  if (pos < text.length) out.push({ from: pos, to: text.length, match: false });
  return out;
}

/** Each code point matching `test` is a match of its own. */
function charPieces(text: string, test: (ch: string) => boolean): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  for (const ch of text) {
    const n = ch.length;
    const match = test(ch);
    const last = out[out.length - 1];
    if (!match && last && !last.match) last.to = i + n;
    else out.push({ from: i, to: i + n, match });
    i += n;
  }
  return out;
}

function applyBehavior(pieces: Piece[], behavior: Behavior): [number, number][] {
  const out: [number, number][] = [];
  switch (behavior) {
    case 'Removed':
      for (const p of pieces) if (!p.match) out.push([p.from, p.to]);
      break;
    case 'Isolated':
      for (const p of pieces) out.push([p.from, p.to]);
      break;
    case 'Contiguous':
      for (let i = 0; i < pieces.length; i++) {
        const p = pieces[i];
        const last = out[out.length - 1];
        // Rust joins neighbours of the same kind (inverted matches are neighbouring non-matches).
        if (last && i > 0 && pieces[i - 1].match === p.match) last[1] = p.to;
        else out.push([p.from, p.to]);
      }
      break;
    case 'MergedWithPrevious': {
      let prevMatch = false;
      for (const p of pieces) {
        const last = out[out.length - 1];
        if (p.match && last && !prevMatch) last[1] = p.to;
        else out.push([p.from, p.to]);
        prevMatch = p.match;
      }
      break;
    }
    case 'MergedWithNext': {
      let pending: number | null = null;
      for (const p of pieces) {
        if (p.match) {
          if (pending !== null) out.push([pending, p.from]);
          pending = p.from;
        } else {
          out.push([pending ?? p.from, p.to]);
          pending = null;
        }
      }
      if (pending !== null) out.push([pending, pieces[pieces.length - 1].to]);
      break;
    }
  }
  return out.filter(([a, b]) => b > a);
}

function splitter(pieces: (text: string) => Piece[], behavior: Behavior, invert = false): PreTokenize {
  return (words) => words.flatMap((w) => {
    const ps = pieces(w.text).map((p) => (invert ? { ...p, match: !p.match } : p));
    return applyBehavior(ps, behavior).map(([a, b]) => sliceAligned(w, a, b));
  });
}

function behaviorOf(c: JsonObject, where: string, fallback: Behavior): Behavior {
  const b = c.behavior ?? fallback;
  const found = BEHAVIORS.find((x) => x.toLowerCase() === String(b).toLowerCase());
  if (!found) throw new TokenizerFormatError(`${where}.behavior ${JSON.stringify(b)} is not one of ${BEHAVIORS.join(', ')}`);
  return found;
}

const WS = (ch: string): boolean => /^\p{White_Space}$/u.test(ch);
// Rust's BERT punctuation: ASCII punctuation or a Unicode P* character.
const PUNCT = (ch: string): boolean => /^[\p{P}!-/:-@[-`{-~]$/u.test(ch);
// GPT-2's split, with Unicode white space as in Rust's regex engine (JS \s differs slightly).
const BYTE_LEVEL_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;
const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const WHITESPACE_WORDS = new RegExp(`[${WORD}]+|[^${WORD}\\p{White_Space}]+`, 'gu');

function metaspace(c: JsonObject): PreTokenize {
  const rep = typeof c.replacement === 'string' ? c.replacement : '▁';
  // Older files say add_prefix_space instead of prepend_scheme.
  const scheme = typeof c.prepend_scheme === 'string' ? c.prepend_scheme : c.add_prefix_space === false ? 'never' : 'always';
  const split = c.split !== false;
  return (words) => words.flatMap((w) => {
    if (w.text.length === 0) return [];
    const b = new AlignedBuilder();
    // "first": only the word at the very start of the text (Rust checks its source offset is 0).
    const prepend = scheme === 'always' || (scheme === 'first' && w.start[0] === 0);
    if (prepend && w.text[0] !== rep && w.text[0] !== ' ') b.insert(rep, w.start[0] ?? 0);
    for (let i = 0; i < w.text.length; i++) {
      if (w.text[i] === ' ') b.replace(w, i, i + 1, rep);
      else b.copy(w, i, i + 1);
    }
    const t = b.build();
    if (!split) return [t];
    return applyBehavior(charPieces(t.text, (ch) => ch === rep), 'MergedWithNext').map(([x, y]) => sliceAligned(t, x, y));
  });
}

export interface PreTokenizerInfo {
  run: PreTokenize;
  /** A ByteLevel step is present: the model reads words as GPT-2 byte characters. */
  byteLevel: boolean;
  /** The Metaspace replacement character, when a Metaspace step is present. */
  metaspace: string | null;
}

/** The pre-tokenizer a tokenizer.json describes (null: the section is one word). */
export function createPreTokenizer(cfg: unknown, where = 'pre_tokenizer'): PreTokenizerInfo {
  if (cfg === null || cfg === undefined) return { run: (w) => w, byteLevel: false, metaspace: null };
  if (!isObject(cfg)) throw new TokenizerFormatError(`${where} must be an object or null`);
  const type = field(cfg, 'type', where);
  const plain = (run: PreTokenize): PreTokenizerInfo => ({ run, byteLevel: false, metaspace: null });
  switch (type) {
    case 'Sequence': {
      if (!Array.isArray(cfg.pretokenizers)) throw new TokenizerFormatError(`${where}.pretokenizers must be a list`);
      const steps = cfg.pretokenizers.map((p, i) => createPreTokenizer(p, `${where}.pretokenizers[${i}]`));
      return {
        run: (w) => steps.reduce((ws, s) => s.run(ws), w),
        byteLevel: steps.some((s) => s.byteLevel),
        metaspace: steps.find((s) => s.metaspace !== null)?.metaspace ?? null,
      };
    }
    case 'ByteLevel': {
      const prefix = cfg.add_prefix_space === true;
      const useRegex = cfg.use_regex !== false;
      const split = splitter((t) => regexPieces(t, BYTE_LEVEL_SPLIT), 'Isolated');
      const run: PreTokenize = (words) => {
        const withPrefix = !prefix ? words : words.map((w) => {
          if (w.text.length === 0 || w.text.startsWith(' ')) return w;
          const b = new AlignedBuilder();
          b.insert(' ', w.start[0] ?? 0);
          b.copy(w, 0, w.text.length);
          return b.build();
        });
        return useRegex ? split(withPrefix) : withPrefix;
      };
      return { run, byteLevel: true, metaspace: null };
    }
    case 'Metaspace':
      return { run: metaspace(cfg), byteLevel: false, metaspace: typeof cfg.replacement === 'string' ? cfg.replacement : '▁' };
    case 'Split': {
      const re = compilePattern(cfg.pattern, where);
      return plain(splitter((t) => regexPieces(t, re), behaviorOf(cfg, where, 'Isolated'), cfg.invert === true));
    }
    case 'BertPreTokenizer': {
      const ws = splitter((t) => charPieces(t, WS), 'Removed');
      const punct = splitter((t) => charPieces(t, PUNCT), 'Isolated');
      return plain((w) => punct(ws(w)));
    }
    case 'Whitespace':
      return plain(splitter((t) => regexPieces(t, WHITESPACE_WORDS), 'Removed', true));
    case 'WhitespaceSplit':
      return plain(splitter((t) => charPieces(t, WS), 'Removed'));
    case 'Punctuation':
      return plain(splitter((t) => charPieces(t, PUNCT), behaviorOf(cfg, where, 'Isolated')));
    case 'Digits': {
      // Rust's char::is_numeric: every Unicode number (①, ²), not only 0-9.
      const digit = (ch: string): boolean => /^\p{N}$/u.test(ch);
      return plain(splitter((t) => charPieces(t, digit), cfg.individual_digits === true ? 'Isolated' : 'Contiguous'));
    }
    case 'CharDelimiterSplit': {
      const d = field(cfg, 'delimiter', where);
      return plain(splitter((t) => charPieces(t, (ch) => ch === d), 'Removed'));
    }
    default:
      throw new TokenizerFormatError(`${where}: pre-tokenizer type ${JSON.stringify(type)} is not supported (supported: Sequence, ByteLevel, Metaspace, Split, BertPreTokenizer, Whitespace, WhitespaceSplit, Punctuation, Digits, CharDelimiterSplit)`);
  }
}
