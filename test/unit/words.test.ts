// Words from tokens: grouping by each tokenizer family's word ids, and attention between words
// (to = sum over the word's tokens, from = mean) against sums worked out by hand and invariants
// checked on random softmax rows.
import * as assert from 'assert';
import { makeStack, maxAboveDiagonal, rowSums } from '../../src/shared/attention';
import { rollout, rolloutRow } from '../../src/shared/rollout';
import type { TokenInfo } from '../../src/shared/protocol';
import {
  Grouping, groupMatrix, groupRow, groupStack, groupTokens, groupWords, isIdentity, tokenGrouping,
} from '../../src/shared/words';
import { randomLayer, rng } from '../support/randomAttention';

/** Tokens laid end to end from their texts ('' + special for a special token). */
function tokensOf(texts: readonly (string | null)[]): TokenInfo[] {
  let at = 0;
  return texts.map((t, i) => {
    if (t === null) return { id: 1000 + i, text: '', start: at, end: at, special: true };
    const tok = { id: i, text: t, start: at, end: at + t.length, special: false };
    at += t.length;
    return tok;
  });
}

const unitTexts = (tokens: TokenInfo[], g: Grouping): string[] => groupTokens(tokens, g).map((t) => (t.special ? '<s>' : t.text));

// Each family's word ids for "The animal didn't cross." as its tokenizer splits it; every special
// token its own word (src/tokenizers/tokenize.ts, /work/coord/TOKENIZER_API.md).
const FAMILIES: { name: string; texts: (string | null)[]; wordIds: number[]; words: string[] }[] = [
  {
    // ByteLevel regex pieces: " animal" is one piece cut into " an" + "imal"; "'t" and "." are pieces.
    name: 'GPT-2 byte-level BPE',
    texts: [null, 'The', ' an', 'imal', ' did', 'n', "'t", ' cross', '.', '\n\n'],
    wordIds: [0, 1, 2, 2, 3, 3, 4, 5, 6, 7],
    words: ['<s>', 'The', ' animal', ' didn', "'t", ' cross', '.', '\n\n'],
  },
  {
    // BertPreTokenizer: whitespace and punctuation split; "##" pieces continue a word; [CLS] … [SEP].
    name: 'BERT WordPiece',
    // (A token's text is its source range: "##imal" covers "imal".)
    texts: [null, 'the', 'an', 'imal', 'didn', "'", 't', 'cross', '.', null],
    wordIds: [0, 1, 2, 2, 3, 4, 5, 6, 7, 8],
    words: ['<s>', 'the', 'animal', 'didn', "'", 't', 'cross', '.', '<s>'],
  },
  {
    // Metaspace / ▁: a token starting with ▁ starts a word (Llama 2, Gemma).
    name: 'SentencePiece BPE',
    // (The ▁ stands for the source's space.)
    texts: [null, 'The', ' an', 'imal', ' didn', "'", 't', ' cross', '.'],
    wordIds: [0, 1, 2, 2, 3, 3, 3, 4, 4],
    words: ['<s>', 'The', ' animal', " didn't", ' cross.'],
  },
  {
    // Llama 3's ByteLevel split regex: digits in groups of at most three are pieces of their own.
    name: 'Llama 3 byte-level BPE',
    texts: [null, 'In', ' ', '202', '4', ' the', ' an', 'imal'],
    wordIds: [0, 1, 2, 3, 4, 5, 6, 6],
    words: ['<s>', 'In', ' ', '202', '4', ' the', ' animal'],
  },
];

describe('words: grouping by the tokenizer\'s word ids', () => {
  for (const f of FAMILIES) {
    it(`${f.name}: words are runs of one word id, specials alone`, () => {
      const tokens = tokensOf(f.texts);
      const g = groupWords(tokens, f.wordIds);
      assert.deepStrictEqual(unitTexts(tokens, g), f.words);
      // unitOf agrees with units, and the units cover every token once, in order
      let next = 0;
      g.units.forEach((u, k) => {
        assert.strictEqual(u.first, next);
        for (let i = u.first; i < u.end; i++) assert.strictEqual(g.unitOf[i], k);
        next = u.end;
      });
      assert.strictEqual(next, tokens.length);
    });
  }

  it('a special token never joins a word, even with the same id; a missing id (null, -1) stands alone', () => {
    const tokens = tokensOf([null, 'a', 'b', 'c', 'd', null]);
    const g = groupWords(tokens, [0, 0, 0, null, -1, 0]);
    assert.deepStrictEqual(g.units, [{ first: 0, end: 1 }, { first: 1, end: 3 }, { first: 3, end: 4 }, { first: 4, end: 5 }, { first: 5, end: 6 }]);
  });

  it('ids that restart (a second sequence) still split where they change', () => {
    const tokens = tokensOf(['a', 'b', 'c', 'd']);
    assert.deepStrictEqual(groupWords(tokens, [0, 1, 0, 0]).units.map((u) => [u.first, u.end]), [[0, 1], [1, 2], [2, 4]]);
  });

  it('rejects word ids that do not match the tokens', () => {
    assert.throws(() => groupWords(tokensOf(['a', 'b']), [0]), /1 word ids for 2 tokens/);
  });

  it('a word\'s text and range are its tokens\' joined; identity grouping keeps tokens', () => {
    const tokens = tokensOf([null, 'The', ' an', 'imal']);
    const words = groupTokens(tokens, groupWords(tokens, [0, 1, 2, 2]));
    assert.deepStrictEqual(words[2], { id: 2, text: ' animal', start: 3, end: 10, special: false });
    assert.strictEqual(words[0], tokens[0]);
    assert.ok(isIdentity(tokenGrouping(4)));
    assert.deepStrictEqual(groupTokens(tokens, tokenGrouping(4)), tokens);
  });

  it('white space no token covers (WordPiece drops it) is one space in a joined unit', () => {
    // "New York" as WordPiece gives it: "New" [0,3), "York" [4,8); the space is in no token.
    const tokens: TokenInfo[] = [
      { id: 1, text: 'New', start: 0, end: 3, special: false },
      { id: 2, text: 'York', start: 4, end: 8, special: false },
    ];
    assert.deepStrictEqual(groupTokens(tokens, groupWords(tokens, [0, 0])), [{ id: 1, text: 'New York', start: 0, end: 8, special: false }]);
  });
});

describe('words: attention between words', () => {
  it('to a word = sum over its tokens, from a word = mean over its tokens (by hand)', () => {
    // tokens: <s> The an imal it → words <s>, The, animal, it
    // row "an"   = [0.5, 0.2, 0.3, 0,   0  ]
    // row "imal" = [0.1, 0.1, 0.4, 0.4, 0  ]
    // word "animal" row = mean of (sums per word): <s> (0.5+0.1)/2 = 0.3, The 0.15, animal (0.3 + 0.8)/2 = 0.55, it 0
    // row "it"   = [0.2, 0.1, 0.3, 0.3, 0.1] → <s> 0.2, The 0.1, animal 0.6, it 0.1
    const m = Float32Array.from([
      1, 0, 0, 0, 0,
      0.6, 0.4, 0, 0, 0,
      0.5, 0.2, 0.3, 0, 0,
      0.1, 0.1, 0.4, 0.4, 0,
      0.2, 0.1, 0.3, 0.3, 0.1,
    ]);
    const tokens = tokensOf([null, 'The', ' an', 'imal', ' it']);
    const g = groupWords(tokens, [0, 1, 2, 2, 3]);
    const w = Array.from(groupMatrix(m, 5, g), (x) => Number(x.toFixed(6)));
    assert.deepStrictEqual(w, [
      1, 0, 0, 0,
      0.6, 0.4, 0, 0,
      0.3, 0.15, 0.55, 0,
      0.2, 0.1, 0.6, 0.1,
    ]);
  });

  for (const causal of [true, false]) {
    it(`${causal ? 'causal' : 'bidirectional'}: rows still sum to 1, total attention to a word is kept${causal ? ', later words get exactly 0' : ''}`, () => {
      const next = rng(causal ? 7 : 11);
      for (const f of FAMILIES) {
        const tokens = tokensOf(f.texts);
        const seq = tokens.length;
        const g = groupWords(tokens, f.wordIds);
        const n = g.units.length;
        const layer = randomLayer(3, seq, causal, next);
        const words = groupStack(makeStack([layer], 3, seq), g);
        assert.strictEqual(words.seq, n);
        for (let h = 0; h < 3; h++) {
          const tm = layer.subarray(h * seq * seq, (h + 1) * seq * seq);
          const wm = words.layers[0].subarray(h * n * n, (h + 1) * n * n);
          for (const s of rowSums(wm, n)) assert.ok(Math.abs(s - 1) < 1e-5, `${f.name}: a word row sums to ${s}`);
          // Σ over word rows, weighted by word length, of the column = Σ over token rows of the word's columns
          for (let b = 0; b < n; b++) {
            let viaWords = 0;
            for (let a = 0; a < n; a++) viaWords += (g.units[a].end - g.units[a].first) * wm[a * n + b];
            let viaTokens = 0;
            for (let i = 0; i < seq; i++) for (let j = g.units[b].first; j < g.units[b].end; j++) viaTokens += tm[i * seq + j];
            assert.ok(Math.abs(viaWords - viaTokens) < 1e-5, `${f.name}: attention to word ${b}: ${viaWords} vs ${viaTokens}`);
          }
          if (causal) {
            assert.strictEqual(maxAboveDiagonal(wm, n), 0, `${f.name}: a word attends to a later word`);
            // knowing the model is causal skips the later words, with the same numbers
            assert.deepStrictEqual(groupStack(makeStack([layer], 3, seq), g, true).layers[0], words.layers[0]);
          }
          // the start token stays a unit of its own, with the mean of its word's rows on it
          assert.deepStrictEqual(g.units[0], { first: 0, end: 1 });
        }
      }
    });
  }

  it('the tokens grouping changes nothing', () => {
    const next = rng(3);
    const layer = randomLayer(2, 6, true, next);
    const stack = makeStack([layer], 2, 6);
    assert.strictEqual(groupStack(stack, tokenGrouping(6)), stack);
    assert.deepStrictEqual(groupMatrix(layer.subarray(0, 36), 6, tokenGrouping(6)), layer.subarray(0, 36));
  });

  it('rollout on tokens, then words: groupRow of rollout rows = the grouped rollout matrix', () => {
    const next = rng(5);
    const f = FAMILIES[0];
    const tokens = tokensOf(f.texts);
    const seq = tokens.length;
    const stack = makeStack([randomLayer(2, seq, true, next), randomLayer(2, seq, true, next), randomLayer(2, seq, true, next)], 2, seq);
    const g = groupWords(tokens, f.wordIds);
    const n = g.units.length;
    const full = groupMatrix(rollout(stack)[2], seq, g);
    for (let a = 0; a < n; a++) {
      const r = groupRow((i) => rolloutRow(stack, i), g, a);
      for (let b = 0; b < n; b++) assert.ok(Math.abs(r[b] - full[a * n + b]) < 1e-5, `word ${a} → ${b}: ${r[b]} vs ${full[a * n + b]}`);
      assert.ok(Math.abs(r.reduce((x, y) => x + y, 0) - 1) < 1e-5);
    }
  });

  it('rejects a matrix or grouping of the wrong size', () => {
    assert.throws(() => groupMatrix(new Float32Array(8), 3, tokenGrouping(3)), /8 values, expected 3×3/);
    assert.throws(() => groupMatrix(new Float32Array(9), 3, tokenGrouping(4)), /grouping is for 4 tokens/);
  });
});
