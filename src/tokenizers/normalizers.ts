// tokenizer.json normalizers, applied to Aligned text so that every normalized unit still knows its
// source characters. Each follows the Rust `tokenizers` library (the reference the tests compare
// with): character-local rules per code point or grapheme, structural ones (Prepend, Replace,
// Strip) on the whole text.
import { exponentialRisk } from './patternSafety';
import { SplitPreTokenizer } from '@huggingface/tokenizers';
import { Aligned, AlignedBuilder } from './aligned';
import { TokenizerFormatError, field } from './json';

export type Normalize = (a: Aligned) => Aligned;

const WHITESPACE = /^\p{White_Space}$/u;
const MARK_NONSPACING = /^\p{Mn}$/u;
const COMBINING = /^\p{M}$/u;
// Rust's BertNormalizer drops "other" characters except \t \n \r.
const CONTROL = /^[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]$/u;

/** Applies `f` to each code point; '' deletes it (a deleted combining mark joins its base). */
function perCodePoint(a: Aligned, f: (ch: string) => string): Aligned {
  const b = new AlignedBuilder();
  for (let i = 0; i < a.text.length;) {
    const cp = a.text.codePointAt(i) as number;
    const n = cp > 0xffff ? 2 : 1;
    const ch = a.text.slice(i, i + n);
    const out = f(ch);
    if (out === ch) b.copy(a, i, i + n);
    else if (out === '') {
      if (COMBINING.test(ch)) b.extendLast(a.end[i + n - 1]);
    } else b.replace(a, i, i + n, out);
    i += n;
  }
  return b.build();
}

/** A Unicode normal form per grapheme; per code point where that gives the same text. */
function perGrapheme(a: Aligned, f: (s: string) => string): Aligned {
  // ASCII is the same in every normal form and never joins a grapheme with what comes before it:
  // only runs of other characters (with the character before each, a possible base) are segmented.
  if (!/[^\x00-\x7f]/.test(a.text)) return a;
  const b = new AlignedBuilder();
  let pos = 0;
  for (const m of a.text.matchAll(/[^\x00-\x7f]+/g)) {
    const from = Math.max(pos, (m.index as number) - 1);
    b.copy(a, pos, from);
    graphemes(a, from, (m.index as number) + m[0].length, f, b);
    pos = (m.index as number) + m[0].length;
  }
  b.copy(a, pos, a.text.length);
  return b.build();
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemes(a: Aligned, from: number, to: number, f: (s: string) => string, b: AlignedBuilder): void {
  for (const g of segmenter.segment(a.text.slice(from, to))) {
    const s = g.segment;
    const at = from + g.index;
    const out = f(s);
    if (out === s) {
      b.copy(a, at, at + s.length);
      continue;
    }
    const cps = [...s];
    if (cps.map(f).join('') === out) {
      let i = at;
      for (const cp of cps) {
        const o = f(cp);
        if (o === cp) b.copy(a, i, i + cp.length);
        else if (o !== '') b.replace(a, i, i + cp.length, o);
        else if (COMBINING.test(cp)) b.extendLast(a.end[i + cp.length - 1]);
        i += cp.length;
      }
    } else {
      b.replace(a, at, at + s.length, out);
    }
  }
}

function unicodeForm(form: 'NFC' | 'NFD' | 'NFKC' | 'NFKD'): Normalize {
  return (a) => perGrapheme(a, (s) => s.normalize(form));
}

function isChineseChar(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df)
    || (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b920 && cp <= 0x2ceaf)
    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f);
}

const stripAccents: Normalize = (a) => perCodePoint(a, (ch) => (MARK_NONSPACING.test(ch) ? '' : ch));
const lowercase: Normalize = (a) => perCodePoint(a, (ch) => ch.toLowerCase());

function bertNormalizer(cfg: Record<string, unknown>): Normalize {
  const clean = cfg.clean_text !== false;
  const chinese = cfg.handle_chinese_chars !== false;
  const lower = cfg.lowercase !== false;
  const strip = cfg.strip_accents === true || ((cfg.strip_accents === null || cfg.strip_accents === undefined) && lower);
  return (a) => {
    let t = a;
    if (clean) {
      t = perCodePoint(t, (ch) => {
        const cp = ch.codePointAt(0) as number;
        if (ch === '\t' || ch === '\n' || ch === '\r') return ' ';
        if (cp === 0 || cp === 0xfffd || CONTROL.test(ch)) return '';
        return WHITESPACE.test(ch) ? ' ' : ch;
      });
    }
    if (chinese) {
      const b = new AlignedBuilder();
      for (let i = 0; i < t.text.length;) {
        const cp = t.text.codePointAt(i) as number;
        const n = cp > 0xffff ? 2 : 1;
        if (isChineseChar(cp)) {
          b.insert(' ', t.start[i]);
          b.copy(t, i, i + n);
          b.insert(' ', t.end[i]);
        } else b.copy(t, i, i + n);
        i += n;
      }
      t = b.build();
    }
    if (strip) t = stripAccents(perGrapheme(t, (s) => s.normalize('NFD')));
    if (lower) t = lowercase(t);
    return t;
  };
}

/** Compiles a tokenizer.json pattern ({String} or {Regex}) as the JS library does (Oniguruma → JS). */
export function compilePattern(pattern: unknown, where: string): RegExp {
  const p = pattern as { String?: unknown; Regex?: unknown } | null;
  if (typeof p?.String !== 'string' && typeof p?.Regex !== 'string') {
    throw new TokenizerFormatError(`${where}.pattern must be {"String": …} or {"Regex": …}`);
  }
  let re: RegExp | null;
  try {
    re = new SplitPreTokenizer({ type: 'Split', pattern: p, behavior: 'Isolated', invert: true } as never).pattern;
  } catch (e) {
    throw new TokenizerFormatError(`${where}.pattern cannot be read: ${(e as Error).message}`);
  }
  if (!re) throw new TokenizerFormatError(`${where}.pattern cannot be read`);
  const risk = typeof p.Regex === 'string' ? exponentialRisk(re.source, re.flags) : null;
  if (risk) {
    throw new TokenizerFormatError(
      `${where}.pattern.Regex ${JSON.stringify(p.Regex)} can take exponential time (${risk}); refused`);
  }
  return new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
}

function replace(cfg: Record<string, unknown>, where: string): Normalize {
  const re = compilePattern(cfg.pattern, where);
  const content = field(cfg, 'content', where);
  return (a) => {
    const b = new AlignedBuilder();
    let pos = 0;
    for (const m of a.text.matchAll(re)) {
      const at = m.index as number;
      if (m[0].length === 0) continue;
      b.copy(a, pos, at);
      if (content.length === m[0].length) {
        // Same length (" " → "▁"): unit for unit.
        for (let k = 0; k < content.length; k++) b.replace(a, at + k, at + k + 1, content[k]);
      } else {
        b.replace(a, at, at + m[0].length, content);
      }
      pos = at + m[0].length;
    }
    b.copy(a, pos, a.text.length);
    return b.build();
  };
}

function prepend(cfg: Record<string, unknown>, where: string): Normalize {
  const s = field(cfg, 'prepend', where);
  return (a) => {
    if (a.text.length === 0) return a;
    const b = new AlignedBuilder();
    b.insert(s, a.start[0]);
    b.copy(a, 0, a.text.length);
    return b.build();
  };
}

function strip(cfg: Record<string, unknown>): Normalize {
  const left = cfg.strip_left !== false;
  const right = cfg.strip_right !== false;
  return (a) => {
    let from = 0;
    let to = a.text.length;
    if (left) while (from < to && WHITESPACE.test(a.text[from])) from++;
    if (right) while (to > from && WHITESPACE.test(a.text[to - 1])) to--;
    const b = new AlignedBuilder();
    b.copy(a, from, to);
    return b.build();
  };
}

// Nmt (SentencePiece's nmt_nfkc without the NFKC): control characters dropped, odd spaces made " ".
const nmt: Normalize = (a) => perCodePoint(a, (ch) => {
  const c = ch.codePointAt(0) as number;
  if ((c >= 0x01 && c <= 0x08) || c === 0x0b || (c >= 0x0e && c <= 0x1f) || c === 0x7f || c === 0x8f || c === 0x9f) return '';
  if (c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x1680 || (c >= 0x200b && c <= 0x200f)
    || c === 0x2028 || c === 0x2029 || c === 0x2581 || c === 0xfeff || c === 0xfffd) return ' ';
  return ch;
});

// Precompiled (SentencePiece's charsmap): its table is not read; as the JS library does, control
// characters are dropped, unusual spaces become " " and the rest is NFKC.
function precompiled(): Normalize {
  const nfkc = unicodeForm('NFKC');
  return (a) => nfkc(perCodePoint(a, (ch) => (/[\u0001-\u0008\u000B\u000E-\u001F\u007F\u008F\u009F]/.test(ch) ? ''
    : /[\u0009\u000A\u000C\u000D\u00A0\u1680\u2000-\u200F\u2028\u2029\u202F\u205F\u2581\u3000\uFEFF\uFFFD]/.test(ch) ? ' ' : ch)));
}

/** The normalizer a tokenizer.json describes (null: none); throws TokenizerFormatError. */
export function createNormalizer(cfg: unknown, where = 'normalizer'): Normalize | null {
  if (cfg === null || cfg === undefined) return null;
  if (typeof cfg !== 'object') throw new TokenizerFormatError(`${where} must be an object or null`);
  const c = cfg as Record<string, unknown>;
  const type = field(c, 'type', where);
  switch (type) {
    case 'Sequence': {
      const list = c.normalizers;
      if (!Array.isArray(list)) throw new TokenizerFormatError(`${where}.normalizers must be a list`);
      const steps = list.map((n, i) => createNormalizer(n, `${where}.normalizers[${i}]`)).filter((n): n is Normalize => n !== null);
      return (a) => steps.reduce((t, f) => f(t), a);
    }
    case 'NFC': case 'NFD': case 'NFKC': case 'NFKD': return unicodeForm(type);
    case 'Lowercase': return lowercase;
    case 'StripAccents': return stripAccents;
    case 'BertNormalizer': return bertNormalizer(c);
    case 'Replace': return replace(c, where);
    case 'Prepend': return prepend(c, where);
    case 'Strip': return strip(c);
    case 'Precompiled': return precompiled();
    case 'Nmt': return nmt;
    default:
      throw new TokenizerFormatError(`${where}: normalizer type ${JSON.stringify(type)} is not supported (supported: Sequence, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, BertNormalizer, Replace, Prepend, Strip, Nmt, Precompiled)`);
  }
}
