// Tokenization with exact offsets on the real models/default/tokenizer.json, cross-checked against
// the native Rust `tokenizers` binding (a devDependency used only here), which reports offsets.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Tokenizer as NativeTokenizer } from 'tokenizers';
import { parseModelConfig } from '../../src/shared/modelConfig';
import { seededRandom } from '../../src/shared/seededRandom';
import { TokenInfo } from '../../src/shared/protocol';
import { loadTokenizer } from '../../src/models/loadTokenizer';
import { TextTokenizer, TokenizerError, chooseWindow, tokenAtOffset, tokenizeForModel } from '../../src/tokenizers/tokenize';
import { nativeEncode } from '../support/tokenizerFixtures';

const ROOT = path.resolve(__dirname, '../../..');
const MODEL = path.join(ROOT, 'models/default');
const TOKENIZER_JSON = fs.readFileSync(path.join(MODEL, 'tokenizer.json'), 'utf8');
const CONFIG = parseModelConfig(fs.readFileSync(path.join(MODEL, 'config.json'), 'utf8'));

/**
 * Ours must equal the native range wherever the native ranges do not overlap (whole characters),
 * and lie inside it where they do (a character split over tokens: we give it to one token only).
 */
function assertMatchesNative(text: string, ours: TokenInfo[], theirs: { ids: number[]; spans: { start: number; end: number }[] }): void {
  assert.deepStrictEqual(ours.map((t) => t.id), theirs.ids, `ids differ for ${JSON.stringify(text)}`);
  theirs.spans.forEach((n, i) => {
    const o = ours[i];
    const overlaps = [theirs.spans[i - 1], theirs.spans[i + 1]].some((m) => m && m.start < n.end && n.start < m.end);
    if (overlaps) {
      assert.ok(n.start <= o.start && o.end <= n.end, `token ${i} of ${JSON.stringify(text)}: [${o.start},${o.end}) not inside native [${n.start},${n.end})`);
    } else {
      assert.deepStrictEqual({ start: o.start, end: o.end }, n, `token ${i} of ${JSON.stringify(text)}`);
    }
  });
}

function assertExact(text: string, tokens: TokenInfo[]): void {
  let pos = 0;
  for (const t of tokens) {
    assert.strictEqual(t.start, pos, `tokens are contiguous in ${JSON.stringify(text)}`);
    assert.strictEqual(text.slice(t.start, t.end), t.text);
    pos = t.end;
  }
  assert.strictEqual(pos, text.length);
  assert.strictEqual(tokens.map((t) => t.text).join(''), text);
}

describe('tokenize: the default tokenizer', () => {
  const tok = new TextTokenizer(JSON.parse(TOKENIZER_JSON));
  const nat = NativeTokenizer.fromString(TOKENIZER_JSON);

  const cases: [string, string][] = [
    ['prose', "The animal didn't cross the street because it was too tired."],
    ['emoji', 'Rocket 🚀 and astronaut 🧑‍🚀 and flag 🇫🇷!'],
    ['CJK', '猫が好きです。我喜欢猫。고양이를 좋아해요.'],
    ['combining marks', 'Cafe\u0301 and nai\u0308ve and Z\u0351\u0364a\u0317lgo'],
    ['CRLF', 'line one\r\nline two\r\n\r\nline four'],
    ['tabs', '\tfunction f() {\n\t\treturn 1;\n\t}'],
    ['leading spaces', '    indented\n        more\n  x'],
    ['special token in text', 'before<|endoftext|>after'],
    ['lone surrogate', 'a\ud800b'],
    ['only whitespace', ' \t\r\n '],
  ];
  for (const [name, text] of cases) {
    it(`keeps exact ranges: ${name}`, async () => {
      const tokens = tok.encode(text);
      assertExact(text, tokens);
      if (name !== 'lone surrogate') assertMatchesNative(text, tokens, await nativeEncode(nat, text));
    });
  }

  it('gives each token its word: the ByteLevel pre-tokenizer\'s pieces, as the Rust library numbers them', async () => {
    for (const [, text] of cases) {
      if (text.includes('\ud800')) continue;
      const enc = await nat.encode(text, null, { addSpecialTokens: false });
      assert.deepStrictEqual(tok.encodeWords(text).wordIds, enc.getWordIds(), `word ids of ${JSON.stringify(text)}`);
    }
  });

  it('splits a rare character over byte tokens and gives it to the first', () => {
    // Rare 4-byte characters: an 8k-merge tokenizer has no whole token for at least one of them.
    const split = ['😀', '𠀋', '𓀀', '🜁', '𝄞'].filter((c) => tok.encode(c).length > 1);
    assert.ok(split.length > 0, 'some rare character is split into byte tokens');
    for (const text of split) {
      const tokens = tok.encode(text);
      assert.deepStrictEqual(tokens.map((t) => [t.start, t.end]), [[0, 2], ...tokens.slice(1).map(() => [2, 2])]);
    }
  });

  it('marks an added special token found in the text as special, with its range', () => {
    const tokens = tok.encode('a<|endoftext|>b');
    const s = tokens.find((t) => t.special);
    assert.ok(s);
    assert.deepStrictEqual([s.id, s.text, s.start, s.end], [0, '<|endoftext|>', 1, 14]);
  });

  it('matches the native tokenizer on 300 random real strings', async function () {
    this.timeout(60_000);
    const sources = [
      'node_modules/typescript/lib/lib.es5.d.ts',
      'node_modules/typescript/lib/ja/diagnosticMessages.generated.json',
      'node_modules/typescript/lib/zh-cn/diagnosticMessages.generated.json',
      'node_modules/typescript/lib/ru/diagnosticMessages.generated.json',
      'node_modules/typescript/lib/de/diagnosticMessages.generated.json',
      'node_modules/mocha/README.md',
    ].map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8'));
    const spice = ['😀', '🧑‍🚀', '\r\n', '\t', 'e\u0301', '  ', '中文', '\u00a0', '\u200b', '\u3000'];
    const rand = seededRandom(20240601); // seeded, so a failure names a reproducible case
    for (let n = 0; n < 300; n++) {
      const src = sources[Math.floor(rand() * sources.length)];
      const start = Math.floor(rand() * (src.length - 400));
      let text = src.slice(start, start + 1 + Math.floor(rand() * 300));
      if (n % 2 === 1) {
        // Mix in the hard cases at random places (keeping surrogate pairs whole).
        const chars = [...text];
        for (let k = 0; k < 3; k++) chars.splice(Math.floor(rand() * chars.length), 0, spice[Math.floor(rand() * spice.length)]);
        text = chars.join('');
      }
      const tokens = tok.encode(text);
      assertExact(text, tokens);
      assertMatchesNative(text, tokens, await nativeEncode(nat, text));
    }
  });
});

describe('tokenize: a tokenizer with a normalizer', () => {
  // The default tokenizer with NFKC + lowercase in front: tokens no longer spell the source bytes.
  const json = JSON.parse(TOKENIZER_JSON);
  json.normalizer = { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }] };
  const tok = new TextTokenizer(json);
  const nat = NativeTokenizer.fromString(JSON.stringify(json));
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

  /** Widens a range to whole graphemes: our unit when a normalizer maps characters together. */
  function toGraphemes(text: string, s: { start: number; end: number }): { start: number; end: number } {
    if (s.start === s.end) return s;
    let start = s.start;
    let end = s.end;
    for (const g of segmenter.segment(text)) {
      const gEnd = g.index + g.segment.length;
      if (g.index < s.start && s.start < gEnd) start = g.index;
      if (g.index < s.end && s.end < gEnd) end = gEnd;
    }
    return { start, end };
  }

  for (const text of ['HELLO World', 'The ﬁrst ﬂoor', 'Cafe\u0301 ＡＢＣ①', 'İstanbul']) {
    it(`maps normalized tokens back to whole source graphemes: ${JSON.stringify(text)}`, async () => {
      const tokens = tok.encode(text);
      const theirs = await nativeEncode(nat, text);
      for (const t of tokens) assert.strictEqual(text.slice(t.start, t.end), t.text);
      assertMatchesNative(text, tokens, { ids: theirs.ids, spans: theirs.spans.map((s) => toGraphemes(text, s)) });
    });
  }

  it('lowercases one character at a time, like the Rust library (final sigma stays σ)', async () => {
    const text = 'ΟΔΟΣ is a road';
    const tokens = tok.encode(text);
    for (const t of tokens) assert.strictEqual(text.slice(t.start, t.end), t.text);
    assertMatchesNative(text, tokens, await nativeEncode(nat, text));
    assert.deepStrictEqual(tokens.map((t) => t.text).join(''), text);
  });
});

describe('tokenize: loading', () => {
  it('loads the default tokenizer.json', async () => {
    const tok = await loadTokenizer(path.join(MODEL, 'tokenizer.json'));
    assert.strictEqual(tok.vocabSize, CONFIG.vocab_size);
    assert.strictEqual(tok.tokenToId('<|endoftext|>'), 0);
  });

  it('reads a tokenizer that is not byte-level (Whitespace pre_tokenizer) with native ids and ranges', async () => {
    const json = JSON.parse(TOKENIZER_JSON);
    json.pre_tokenizer = { type: 'Whitespace' };
    const tok = new TextTokenizer(json);
    assert.strictEqual(tok.family, 'BPE');
    const text = 'it was tired, because\tit was late';
    assertMatchesNative(text, tok.encode(text), await nativeEncode(NativeTokenizer.fromString(JSON.stringify(json)), text));
  });

  it('reads ByteLevel add_prefix_space: the inserted space has no source range', async () => {
    const json = JSON.parse(TOKENIZER_JSON);
    json.pre_tokenizer.add_prefix_space = true;
    const tok = new TextTokenizer(json);
    const text = 'it was';
    const tokens = tok.encode(text);
    assert.deepStrictEqual(tokens.map((t) => t.id), (await nativeEncode(NativeTokenizer.fromString(JSON.stringify(json)), text)).ids);
    assert.strictEqual(tokens[0].start, 0);
    assertExact(text, tokens);
  });

  it('names the file when it is not JSON', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-tok-'));
    const f = path.join(dir, 'tokenizer.json');
    fs.writeFileSync(f, '{"model": ');
    await assert.rejects(loadTokenizer(f), (e: Error) => e.message.startsWith(`${f} is not valid JSON`));
    fs.rmSync(dir, { recursive: true });
  });
});

describe('tokenize: the token at the cursor', () => {
  const tok = new TextTokenizer(JSON.parse(TOKENIZER_JSON));
  const text = 'because it was tired';
  const tokens = tok.encode(text);
  const at = (offset: number): string | undefined => {
    const i = tokenAtOffset(tokens, offset);
    return i === null ? undefined : tokens[i].text;
  };

  it('is the token holding the offset', () => {
    assert.strictEqual(at(text.indexOf('it'))?.trim(), 'it');
    assert.strictEqual(at(0)?.startsWith('b'), true);
  });

  it('at the end of a word, before a space-led token, is the word', () => {
    assert.strictEqual(at(text.indexOf('it') + 2)?.trim(), 'it');
  });

  it('at the end of the text is the last token', () => {
    assert.strictEqual(at(text.length), tokens[tokens.length - 1].text);
  });

  it('skips special tokens such as bos', () => {
    const withBos: TokenInfo[] = [{ id: 0, text: '', start: 0, end: 0, special: true }, ...tokens];
    assert.strictEqual(tokenAtOffset(withBos, 0), 1);
  });
});

describe('tokenize: input for the model', () => {
  const tok = new TextTokenizer(JSON.parse(TOKENIZER_JSON));

  it('prepends bos (id 0, no range) when the config asks for it', () => {
    const input = tokenizeForModel(tok, 'it was', CONFIG, 512, null);
    assert.deepStrictEqual(input.tokens[0], { id: 0, text: '', start: 0, end: 0, special: true, name: '<|endoftext|>' });
    assert.deepStrictEqual(input.tokens.slice(1), tok.encode('it was'));
    assert.strictEqual(input.truncation, null);
  });

  it('leaves bos out when the config does not ask for it', () => {
    const input = tokenizeForModel(tok, 'it was', { ...CONFIG, prepend_bos: false }, 512, null);
    assert.deepStrictEqual(input.tokens, tok.encode('it was'));
  });

  it('finds the focus token (bos counted)', () => {
    const text = 'The animal was tired because it was late.';
    const input = tokenizeForModel(tok, text, CONFIG, 512, text.indexOf('it was'));
    assert.ok(input.focus !== null);
    assert.strictEqual(input.tokens[input.focus].text.trim(), 'it');
  });

  it('keeps a window of at most maxTokens around the focus, re-tokenized, and says what was cut', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`);
    const text = words.join(' ');
    const focusOffset = text.indexOf('word300');
    const input = tokenizeForModel(tok, text, CONFIG, 64, focusOffset);
    const all = tok.encode(text);
    assert.ok(input.tokens.length <= 64);
    assert.ok(input.truncation);
    assert.strictEqual(input.truncation.totalTokens, all.length);
    const { keptStart, keptEnd } = input.truncation;
    assert.ok(keptStart <= focusOffset && focusOffset < keptEnd, 'the focus is inside the window');
    // The ids are exactly those of the kept text on its own, and ranges point into the full text.
    const kept = tok.encode(text.slice(keptStart, keptEnd));
    assert.deepStrictEqual(input.tokens.slice(1).map((t) => t.id), kept.map((t) => t.id));
    for (const t of input.tokens.slice(1)) assert.strictEqual(text.slice(t.start, t.end), t.text);
    assert.ok(input.focus !== null);
    const f = input.tokens[input.focus];
    assert.ok(f.start <= focusOffset && focusOffset < f.end, 'the focus token holds the cursor');
  });

  it('caps at the model maximum even when the setting is higher', () => {
    const text = 'x '.repeat(2000);
    const input = tokenizeForModel(tok, text, { ...CONFIG, max_tokens: 100 }, 5000, 0);
    assert.strictEqual(input.tokens.length, 100);
    assert.ok(input.truncation);
    assert.strictEqual(input.truncation.keptStart, 0);
  });

  it('refuses a limit that leaves no room for text', () => {
    assert.throws(() => tokenizeForModel(tok, 'abc', CONFIG, 1, null), /leaves no room/);
  });
});

describe('tokenize: choosing the window', () => {
  it('is everything when it fits', () => assert.deepStrictEqual(chooseWindow(10, 10, 3), [0, 10]));
  it('centres on the focus', () => assert.deepStrictEqual(chooseWindow(100, 10, 50), [45, 55]));
  it('stays inside at the start and at the end', () => {
    assert.deepStrictEqual(chooseWindow(100, 10, 2), [0, 10]);
    assert.deepStrictEqual(chooseWindow(100, 10, 98), [90, 100]);
  });
  it('starts at the beginning without a focus', () => assert.deepStrictEqual(chooseWindow(100, 10, null), [0, 10]));
});
