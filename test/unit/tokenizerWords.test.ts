// Words for every tokenizer family: wherever the text has a word boundary (white space before a
// word), the words view has a unit boundary, unless one token spans the space. SentencePiece-style
// tokenizers with no pre-tokenizer (Llama 2, TinyLlama, Mistral: a normalizer turns spaces into
// "▁") once gave a whole paragraph as one word.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { groupWords } from '../../src/shared/words';
import { TextTokenizer } from '../../src/tokenizers/tokenize';
import {
  ROOT, bertJson, llama2Json, llama2MetaspaceJson, llama2RealJson, llama3Json, unigramJson,
} from '../support/tokenizerFixtures';

const PARAGRAPH = 'One day, Lily went to the park with her mom. She lost the ball, and it rolled away.\n'
  + 'Then\tshe cried  — "Where is it?" — until a dog found it.';

/** The paragraph's words as text, one per unit of the words view. */
function words(tok: TextTokenizer, text: string): { units: string[]; missing: string[] } {
  const { tokens, wordIds } = tok.encodeWords(text);
  const { units } = groupWords(tokens, wordIds);
  const starts = new Set(units.map((u) => tokens[u.first].start));
  const missing: string[] = [];
  // A word starts at p (white space before it); some unit must start between the end of the word
  // before and p, or one token must run across that stretch.
  for (const m of text.matchAll(/\S+/gu)) {
    const p = m.index;
    if (p === 0) continue;
    let from = p;
    while (from > 0 && /\s/u.test(text[from - 1])) from--;
    let found = false;
    for (let q = from; q <= p && !found; q++) found = starts.has(q);
    const spanned = tokens.some((t) => t.start < from && t.end > p);
    if (!found && !spanned) missing.push(m[0]);
  }
  return { units: units.map((u) => text.slice(tokens[u.first].start, tokens[u.end - 1].end)), missing };
}

/** The same Llama-2-style vocabulary with spaces as they are (no normalizer, no pre-tokenizer, no byte fallback). */
function literalSpaceJson(llama2: string): string {
  const json = JSON.parse(llama2) as { model: { vocab: Record<string, number>; merges: (string | string[])[]; byte_fallback?: boolean }; normalizer: unknown; pre_tokenizer: unknown };
  const swap = (s: string): string => s.replaceAll('▁', ' ');
  json.model.vocab = Object.fromEntries(Object.entries(json.model.vocab).map(([k, v]) => [swap(k), v]));
  json.model.merges = json.model.merges.map((m) => (Array.isArray(m) ? m.map(swap) : m.split(' ').map(swap)));
  json.model.byte_fallback = false;
  json.normalizer = null;
  json.pre_tokenizer = null;
  return JSON.stringify(json);
}

describe('words for every tokenizer family', function () {
  this.timeout(60_000);
  let llama2 = '';
  before(() => { llama2 = llama2Json(); });

  const FAMILIES: [string, () => string][] = [
    ['byte-level BPE (Llama 3)', llama3Json],
    ['SentencePiece BPE, Prepend + Replace normalizer, no pre-tokenizer (Llama 2)', llama2RealJson],
    ['WordPiece (BERT uncased)', bertJson],
    ['Llama-2-style BPE trained here (Prepend + Replace, no pre-tokenizer)', () => llama2],
    ['Metaspace pre-tokenizer without split (prepend_scheme first)', () => llama2MetaspaceJson(llama2)],
    ['Unigram (Metaspace)', unigramJson],
    ['literal spaces in the vocabulary, no normalizer, no pre-tokenizer', () => literalSpaceJson(llama2)],
    ['the bundled decoder', () => fs.readFileSync(path.join(ROOT, 'models/default/tokenizer.json'), 'utf8')],
    ['the bundled encoder', () => fs.readFileSync(path.join(ROOT, 'models/encoder/tokenizer.json'), 'utf8')],
  ];

  for (const [name, json] of FAMILIES) {
    it(`${name}: a unit starts at every word of the text`, () => {
      const w = words(new TextTokenizer(JSON.parse(json())), PARAGRAPH);
      assert.deepStrictEqual(w.missing, [], `words that did not start a unit; units: ${JSON.stringify(w.units)}`);
    });
  }

  it('Llama 2: "She" is a word of its own, with its own range, not the paragraph', () => {
    const tok = new TextTokenizer(JSON.parse(llama2RealJson()));
    const text = 'One day, Lily went to the park with her mom. She lost the ball.';
    const w = words(tok, text);
    assert.deepStrictEqual(w.units, ['One', ' day,', ' Lily', ' went', ' to', ' the', ' park', ' with', ' her', ' mom.', ' She', ' lost', ' the', ' ball.']);
  });

  it('literal spaces with no pre-tokenizer: words, not one paragraph', () => {
    const w = words(new TextTokenizer(JSON.parse(literalSpaceJson(llama2))), 'She lost the ball, then she found it.');
    assert.ok(w.units.length >= 7, JSON.stringify(w.units));
    assert.ok(w.units.every((u) => !/\S\s+\S/u.test(u)), `a unit holds a space between letters: ${JSON.stringify(w.units)}`);
  });
});
