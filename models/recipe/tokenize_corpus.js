// Trains the byte-level BPE tokenizer on the corpus and encodes every split to token ids.
// Usage: node tokenize_corpus.js WORK VOCAB_SIZE [--keep-tokenizer] [--prose-weight N] [--mask]
//   --prose-weight N  the trainer sees the prose N times (code once), so merges favour prose words
//   --mask            adds <|mask|> as the last token (the encoder's masked-LM training needs it)
// Writes WORK/tokenizer.json and WORK/ids/{split}.bin (uint16, documents joined by <|endoftext|>).
'use strict';
const fs = require('fs');
const path = require('path');
const tk = require('tokenizers');

const EOT = '<|endoftext|>';
const MASK = '<|mask|>';
const DOC_SEP = '\f';

function trainTokenizer(files, vocabSize, outFile, mask) {
  const tok = new tk.Tokenizer(tk.BPE.empty());
  tok.setPreTokenizer(tk.byteLevelPreTokenizer(false, true));
  tok.train(files);
  const tmp = outFile + '.full';
  tok.save(tmp);
  const json = JSON.parse(fs.readFileSync(tmp, 'utf8'));
  fs.unlinkSync(tmp);
  // train() builds ~30k tokens whatever it is asked; merges apply in order, so keeping the
  // first N merges (and the tokens they make) is the tokenizer that training to N would give.
  const alphabet = tk.byteLevelAlphabet().sort();
  const vocab = { [EOT]: 0 };
  for (const ch of alphabet) vocab[ch] = Object.keys(vocab).length;
  const merges = [];
  const limit = vocabSize - (mask ? 1 : 0);
  for (const m of json.model.merges) {
    if (Object.keys(vocab).length >= limit) break;
    const [a, b] = Array.isArray(m) ? m : m.split(' ');
    if (!(a in vocab) || !(b in vocab) || (a + b) in vocab) continue;
    vocab[a + b] = Object.keys(vocab).length;
    merges.push([a, b]);
  }
  json.model.vocab = vocab;
  json.model.merges = merges;
  json.added_tokens = [{ id: 0, content: EOT, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }];
  if (mask) {
    vocab[MASK] = Object.keys(vocab).length;
    json.added_tokens.push({ id: vocab[MASK], content: MASK, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  }
  json.post_processor = null;
  json.normalizer = null;
  json.decoder = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  fs.writeFileSync(outFile, JSON.stringify(json));
  return tk.Tokenizer.fromFile(outFile);
}

async function encodeSplit(tok, file, outFile) {
  const docs = fs.readFileSync(file, 'utf8').split(DOC_SEP).filter((d) => d.length);
  const ids = [];
  const batch = 256;
  for (let i = 0; i < docs.length; i += batch) {
    const encs = await tok.encodeBatch(docs.slice(i, i + batch));
    for (const e of encs) {
      ids.push(0); // <|endoftext|> before every document: the bos the extension prepends
      for (const id of e.getIds()) ids.push(id);
    }
  }
  const arr = Uint16Array.from(ids);
  fs.writeFileSync(outFile, Buffer.from(arr.buffer));
  return arr.length;
}

async function main() {
  const [work, vocabArg, ...opts] = process.argv.slice(2);
  const vocabSize = Number(vocabArg || 8192);
  const mode = opts.includes('--keep-tokenizer') ? '--keep-tokenizer' : '';
  const wi = opts.indexOf('--prose-weight');
  const proseWeight = wi >= 0 ? Number(opts[wi + 1]) : 1;
  const corpus = path.join(work, 'corpus');
  const tokFile = path.join(work, 'tokenizer.json');
  // the trainer reads plain files; train on every training split so code and prose both tokenize well
  let trainFiles = fs.readdirSync(corpus).filter((f) => f.startsWith('train_') && !f.includes('synth')).map((f) => path.join(corpus, f));
  // the same prose file listed N times is counted N times by the trainer
  trainFiles = trainFiles.flatMap((f) => (f.includes('prose') ? new Array(proseWeight).fill(f) : [f]));
  const t0 = Date.now();
  // --keep-tokenizer re-encodes with the existing tokenizer (a resumed training run needs the same ids)
  const tok = mode === '--keep-tokenizer' && fs.existsSync(tokFile) ? tk.Tokenizer.fromFile(tokFile) : trainTokenizer(trainFiles, vocabSize, tokFile, opts.includes('--mask'));
  console.error(`tokenizer: ${tok.getVocabSize(true)} tokens in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  fs.mkdirSync(path.join(work, 'ids'), { recursive: true });
  const counts = {};
  for (const f of fs.readdirSync(corpus).filter((n) => n.endsWith('.txt'))) {
    counts[f.replace('.txt', '')] = await encodeSplit(tok, path.join(corpus, f), path.join(work, 'ids', f.replace('.txt', '.bin')));
  }
  fs.writeFileSync(path.join(work, 'ids', 'counts.json'), JSON.stringify(counts, null, 1));
  console.error('tokens:', JSON.stringify(counts));
}

main().catch((e) => { console.error(e); process.exit(1); });
