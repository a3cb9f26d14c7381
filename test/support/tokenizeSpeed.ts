// Speed sanity for the tokenizer of each family (not a test; speed targets live in `npm run bench`):
// CPU time of one encode of about 512 tokens of prose, median of 30 after a warm-up.
//   npm run compile-tests && node out/test/support/tokenizeSpeed.js
import * as fs from 'fs';
import * as path from 'path';
import { TextTokenizer } from '../../src/tokenizers/tokenize';
import { ROOT, bertJson, gemma3Json, llama2Json, llama3Json, unigramJson } from './tokenizerFixtures';

const prose = fs.readFileSync(path.join(ROOT, 'node_modules/mocha/README.md'), 'utf8').replace(/[#`*[\]()<>]/g, '');
const families: [string, () => string][] = [
  ['bundled (byte-level BPE)', () => fs.readFileSync(path.join(ROOT, 'models/default/tokenizer.json'), 'utf8')],
  ['Llama 3 (byte-level BPE)', llama3Json],
  ['Gemma 3 (SentencePiece BPE)', gemma3Json],
  ['BERT uncased (WordPiece)', bertJson],
  ['Llama-2-style (SentencePiece BPE)', llama2Json],
  ['Unigram', unigramJson],
];

const cpuMs = (f: () => void): number => {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};

for (const [name, json] of families) {
  let tok: TextTokenizer | undefined;
  const load = cpuMs(() => { tok = new TextTokenizer(JSON.parse(json())); });
  if (!tok) continue;
  const t = tok;
  let len = 400;
  while (t.encode(prose.slice(0, len)).length < 512) len += 20;
  const text = prose.slice(0, len);
  for (let i = 0; i < 5; i++) t.encodeWords(`${text} ${i}`);
  const times = Array.from({ length: 30 }, (_, i) => cpuMs(() => t.encodeWords(`${text} ${i}`))).sort((a, b) => a - b);
  console.log(`${name}: ${t.encode(text).length} tokens (${text.length} characters): median ${times[15].toFixed(2)} ms, best ${times[0].toFixed(2)} ms, 90th percentile ${times[27].toFixed(2)} ms CPU; load ${load.toFixed(0)} ms CPU`);
}
