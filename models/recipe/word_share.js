// The share of the N most frequent prose words (as they follow a space) that a tokenizer keeps as one token.
// Usage: node word_share.js TOKENIZER PROSE.txt [N]   prints JSON {share, words, split: [first 30 split words]}
'use strict';
const fs = require('fs');
const tk = require('tokenizers');

async function main() {
  const [tokFile, prose, nArg] = process.argv.slice(2);
  const N = Number(nArg || 5000);
  const counts = new Map();
  for (const m of fs.readFileSync(prose, 'utf8').matchAll(/(?<=\s)[A-Za-z]+(?=[\s.,;:!?'")])/g)) counts.set(m[0], (counts.get(m[0]) || 0) + 1);
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, N).map(([w]) => w);
  const tok = tk.Tokenizer.fromFile(tokFile);
  const encs = await tok.encodeBatch(words.map((w) => ' ' + w));
  const split = words.filter((w, i) => encs[i].getIds().length !== 1);
  console.log(JSON.stringify({ share: 1 - split.length / N, words: N, split: split.slice(0, 30) }));
}
main().catch((e) => { console.error(e); process.exit(1); });
