// For each token of a new tokenizer, the ids the old tokenizer gives its text: lets a model trained with the
// old vocabulary start a model with the new one (a new token's embedding starts as the mean of its pieces').
// Usage: node vocab_map.js NEW_TOKENIZER OLD_TOKENIZER OUT.json
'use strict';
const fs = require('fs');
const tk = require('tokenizers');

async function main() {
  const [newFile, oldFile, out] = process.argv.slice(2);
  const vocab = JSON.parse(fs.readFileSync(newFile, 'utf8')).model.vocab;
  const oldTok = tk.Tokenizer.fromFile(oldFile);
  const newTok = tk.Tokenizer.fromFile(newFile);
  const entries = Object.entries(vocab).sort((a, b) => a[1] - b[1]);
  const texts = await Promise.all(entries.map(([, id]) => newTok.decode([id], false)));
  const map = [];
  for (let i = 0; i < entries.length; i += 1024) {
    const encs = await oldTok.encodeBatch(texts.slice(i, i + 1024));
    encs.forEach((e, j) => { map[entries[i + j][1]] = e.getIds(); });
  }
  fs.writeFileSync(out, JSON.stringify(map));
  console.error(`${out}: ${map.length} tokens mapped`);
}
main().catch((e) => { console.error(e); process.exit(1); });
