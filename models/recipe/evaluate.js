// Scores an exported model: perplexity on the held-out splits (an encoder: masked-token perplexity, every
// 7th token masked), and every head on the pronoun and code probes. Writes WORK/eval.json. A model whose
// config.json lists trained_heads keeps its named heads; otherwise the best heads are named there.
// Usage: node evaluate.js WORK MODEL_DIR [IDS_DIR] [PROBES_DIR (default probes/; probes/dev to choose a checkpoint)]
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');
const { Tokenizer } = require('tokenizers');

const BOS = 0;

function tokenSpan(offsets, [s, e]) {
  // tokens (after bos) whose character range overlaps [s, e)
  const idx = [];
  offsets.forEach(([a, b], i) => { if (a < e && b > s) idx.push(i + 1); });
  return idx;
}

async function runAttention(sess, ids) {
  const out = await sess.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) });
  return out;
}

async function scoreProbe(sess, tok, cfg, items) {
  const L = cfg.num_layers; const H = cfg.num_heads;
  const heads = [];
  for (let l = 0; l < L; l++) for (let h = 0; h < H; h++) heads.push({ layer: l, head: h, byKind: {} });
  const recency = {}; const counts = {};
  for (const it of items) {
    const enc = await tok.encode(it.text);
    const ids = [BOS, ...enc.getIds()];
    const offsets = enc.getOffsets();
    const q = tokenSpan(offsets, it.pronoun)[0];
    const ant = tokenSpan(offsets, it.antecedent);
    const oth = tokenSpan(offsets, it.other);
    if (q === undefined || !ant.length || !oth.length) throw new Error(`probe item does not tokenize: ${it.text}`);
    const out = await runAttention(sess, ids);
    const T = ids.length;
    counts[it.kind] = (counts[it.kind] || 0) + 1;
    // the recency baseline picks the candidate that ends closer before the query
    if (it.antecedent[1] > it.other[1]) recency[it.kind] = (recency[it.kind] || 0) + 1;
    for (const hd of heads) {
      const a = out[`attentions.${hd.layer}`].data;
      const row = (hd.head * T + q) * T;
      const sum = (idx) => idx.reduce((s, j) => s + a[row + j], 0);
      const win = sum(ant) > sum(oth) ? 1 : 0;
      hd.byKind[it.kind] = (hd.byKind[it.kind] || 0) + win;
      if (it.kind === 'seeds') (hd.seeds = hd.seeds || []).push({ text: it.text, antecedent: sum(ant), other: sum(oth) });
    }
  }
  const total = items.length;
  for (const hd of heads) hd.score = Object.values(hd.byKind).reduce((a, b) => a + b, 0) / total;
  heads.sort((a, b) => b.score - a.score);
  const share = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v / counts[k]]));
  return {
    items: total, counts,
    recency: Object.values(recency).reduce((a, b) => a + b, 0) / total, recencyByKind: share(recency),
    heads: heads.map((h) => ({ layer: h.layer, head: h.head, score: h.score, byKind: share(h.byKind), seeds: h.seeds })),
  };
}

function logSoftmaxAt(logits, off, V, target) {
  let m = -Infinity;
  for (let i = 0; i < V; i++) m = Math.max(m, logits[off + i]);
  let s = 0;
  for (let i = 0; i < V; i++) s += Math.exp(logits[off + i] - m);
  return logits[off + target] - m - Math.log(s);
}

async function perplexity(sess, file, T, windows, maskId) {
  const buf = fs.readFileSync(file);
  const ids = new Uint16Array(buf.buffer, buf.byteOffset, buf.byteLength / 2);
  const n = Math.min(windows, Math.floor((ids.length - 1) / T));
  let nll = 0; let count = 0;
  for (let w = 0; w < n; w++) {
    const x = Array.from(ids.subarray(w * T, w * T + T + 1));
    if (maskId === undefined) {
      const out = await runAttention(sess, x.slice(0, T));
      const V = out.logits.dims[2];
      for (let t = 0; t < T; t++) { nll -= logSoftmaxAt(out.logits.data, t * V, V, x[t + 1]); count++; }
    } else { // masked-token perplexity: every 7th token hidden behind <|mask|>
      const input = x.slice(0, T).map((id, t) => (t % 7 === 3 ? maskId : id));
      const out = await runAttention(sess, input);
      const V = out.logits.dims[2];
      for (let t = 3; t < T; t += 7) { nll -= logSoftmaxAt(out.logits.data, t * V, V, x[t]); count++; }
    }
  }
  return { ppl: Math.exp(nll / count), tokens: count, masked: maskId !== undefined };
}

async function main() {
  const [work, modelDir, idsArg, probesArg] = process.argv.slice(2);
  const idsDir = idsArg || path.join(work, 'ids');
  const cfgPath = path.join(modelDir, 'config.json');
  const cfg = JSON.parse(fs.readFileSync(cfgPath, 'utf8'));
  const sess = await ort.InferenceSession.create(path.join(modelDir, 'model.onnx'));
  const tok = Tokenizer.fromFile(path.join(modelDir, 'tokenizer.json'));
  const probes = probesArg || path.join(__dirname, 'probes');
  const pronoun = await scoreProbe(sess, tok, cfg, JSON.parse(fs.readFileSync(path.join(probes, 'pronoun.json'), 'utf8')));
  const code = await scoreProbe(sess, tok, cfg, JSON.parse(fs.readFileSync(path.join(probes, 'code.json'), 'utf8')));
  const ppl = {};
  const tokJson = JSON.parse(fs.readFileSync(path.join(modelDir, 'tokenizer.json'), 'utf8'));
  const maskId = cfg.architecture === 'bidirectional' ? tokJson.model.vocab['<|mask|>'] : undefined;
  for (const kind of ['prose', 'code']) {
    const f = path.join(idsDir, `val_${kind}.bin`);
    if (fs.existsSync(f)) ppl[kind] = await perplexity(sess, f, Math.min(cfg.max_tokens, 512), 24, maskId);
  }
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  const result = { pronoun, code, perplexity: ppl };
  fs.writeFileSync(path.join(work, 'eval.json'), JSON.stringify(result, null, 1));
  if (!cfg.trained_heads) {
    cfg.heads = { pronoun: [pronoun.heads[0].layer, pronoun.heads[0].head], code: [code.heads[0].layer, code.heads[0].head] };
    fs.writeFileSync(cfgPath, JSON.stringify(cfg, null, 2) + '\n');
  }
  const named = (r, lh) => r.heads.find((h) => h.layer === lh[0] && h.head === lh[1]);
  for (const [role, r] of [['pronoun', pronoun], ['code', code]]) {
    const h = named(r, cfg.heads[role]);
    console.log(`${role} head L${h.layer}H${h.head}${cfg.trained_heads ? ' (trained)' : ''}: ${pct(h.score)} ${JSON.stringify(h.byKind)}; recency ${JSON.stringify(r.recencyByKind)}`);
    if (h.seeds) for (const sd of h.seeds) console.log(`  ${sd.text} antecedent ${sd.antecedent.toFixed(3)} other ${sd.other.toFixed(3)}`);
  }
  console.log(`perplexity: ${Object.entries(ppl).map(([k, v]) => `${k} ${v.ppl.toFixed(1)}`).join(', ')}`);
  console.log(`pronoun probe (${pronoun.items}): best L${pronoun.heads[0].layer}H${pronoun.heads[0].head} ${pct(pronoun.heads[0].score)} ${JSON.stringify(pronoun.heads[0].byKind)}; recency ${pct(pronoun.recency)}`);
  console.log(`code probe (${code.items}): best L${code.heads[0].layer}H${code.heads[0].head} ${pct(code.heads[0].score)}; recency ${pct(code.recency)}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
