// Turns labelled text into token rows for the auxiliary attention loss.
//   node aux_encode.js text TOKENIZER IN.jsonl T OUT   passages {text, labels:[{pronoun, targets, cue?}]}, packed
//   node aux_encode.js code TOKENIZER IN.txt T OUT     real code: each later use of an identifier → its definition
//     --first-definition: the labels before commit 6d4ff22 (a use → the name's first definition-like occurrence,
//     not the latest), which the bundled decoder's first steps trained on (reproduce.sh)
// Writes OUT.ids (uint16 [rows, T]), OUT.protect (uint8 [rows, T]: tokens masking must not hide) and
// OUT.labels (int32 [n, 4]: row, query token, first and last+1 target token; a query with several targets
// has several entries). Row 0 of every row is <|endoftext|>, the bos the extension prepends.
'use strict';
const fs = require('fs');
const tk = require('tokenizers');

// tokens whose character range overlaps [s, e); offsets are sorted, so binary-search the first
function tokensOf(offsets, s, e) {
  let lo = 0; let hi = offsets.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (offsets[mid][1] <= s) lo = mid + 1; else hi = mid; }
  const out = [];
  for (let i = lo; i < offsets.length && offsets[i][0] < e; i++) if (offsets[i][1] > s) out.push(i);
  return out;
}

// runs of consecutive token indices as [start, end) ranges
function ranges(idx) {
  const out = [];
  for (const i of idx) {
    if (out.length && out[out.length - 1][1] === i) out[out.length - 1][1] = i + 1; else out.push([i, i + 1]);
  }
  return out;
}

class Rows {
  constructor(T) { this.T = T; this.ids = []; this.protect = []; this.labels = []; this.cur = null; }
  open() { this.cur = { ids: [0], protect: [1], labels: [] }; }
  close() {
    const c = this.cur; if (!c) return;
    if (c.ids.length < this.T) return; // the caller fills rows; a short row is dropped
    const row = this.ids.length;
    this.ids.push(c.ids.slice(0, this.T)); this.protect.push(c.protect.slice(0, this.T));
    for (const l of c.labels) if (l[0] < this.T && l[2] < this.T) this.labels.push([row, l[0], l[1], Math.min(l[2], this.T)]);
    this.cur = null;
  }
  write(out) {
    const n = this.ids.length;
    const ids = new Uint16Array(n * this.T); const pr = new Uint8Array(n * this.T);
    this.ids.forEach((r, i) => ids.set(r, i * this.T)); this.protect.forEach((r, i) => pr.set(r, i * this.T));
    fs.writeFileSync(out + '.ids', Buffer.from(ids.buffer));
    fs.writeFileSync(out + '.protect', Buffer.from(pr.buffer));
    fs.writeFileSync(out + '.labels', Buffer.from(Int32Array.from(this.labels.flat()).buffer));
    return { rows: n, labels: this.labels.length };
  }
}

// passages packed into rows of T tokens, separated by <|endoftext|>; a passage that does not fit
// starts the next row, and its beginning (unlabelled) fills the rest of the current one
async function textRows(tok, file, T) {
  const items = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const rows = new Rows(T);
  rows.open();
  for (let i = 0; i < items.length; i += 512) {
    const batch = items.slice(i, i + 512);
    const encs = await tok.encodeBatch(batch.map((it) => it.text));
    encs.forEach((e, j) => {
      const ids = e.getIds(); const off = e.getOffsets();
      if (ids.length + 1 > T - 1) return;
      const c = rows.cur;
      if (c.ids.length + ids.length + 1 > T) {
        const room = T - c.ids.length;
        c.ids.push(...ids.slice(0, room)); c.protect.push(...new Array(room).fill(0));
        rows.close(); rows.open();
      }
      const base = rows.cur.ids.length;
      const protect = new Array(ids.length).fill(0);
      for (const l of batch[j].labels) {
        const q = tokensOf(off, ...l.pronoun)[0];
        if (q === undefined) continue;
        protect[q] = 1;
        for (const [s, en] of l.targets) {
          const t = tokensOf(off, s, en);
          t.forEach((k) => { protect[k] = 1; });
          for (const [a, b] of ranges(t)) if (b <= q || !l.causalOnly) rows.cur.labels.push([base + q, base + a, base + b]);
        }
        if (l.cue) tokensOf(off, ...l.cue).forEach((k) => { protect[k] = 1; });
      }
      rows.cur.ids.push(...ids, 0); rows.cur.protect.push(...protect, 0);
    });
  }
  return rows;
}

const KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else except finally for ' +
  'from global if import in is lambda nonlocal not or pass raise return try while with yield self cls print len range str int ' +
  'const let var function interface type enum export default new this null undefined typeof instanceof void delete case switch ' +
  'string number boolean any unknown never object readonly public private protected static extends implements declare namespace ' +
  'true false of get set super throw catch').split(' '));
const DEF_BEFORE = /(\b(def|class|function|const|let|var|interface|type|enum|import|as|for|namespace)\s+|\b(def|function)\s*\w*\s*\([^)]*)$/;
const DEF_AFTER = /^\s*(=(?![=>])|\?:|:\s*[\w{[(<'"])/;

// each use of an identifier and its definition (the latest definition-like occurrence before it), in characters
// comments and string literals: words there are prose, not identifiers
const NOT_CODE = /#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g;

function useDefPairs(text, firstDefinition) {
  const seen = new Map(); const pairs = [];
  const skip = [...text.matchAll(NOT_CODE)].map((m) => [m.index, m.index + m[0].length]);
  let si = 0;
  for (const m of text.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const w = m[0]; const s = m.index; const e = s + w.length;
    while (si < skip.length && skip[si][1] <= s) si++;
    if (si < skip.length && skip[si][0] <= s) continue;
    if (w.length < 2 || KEYWORDS.has(w)) continue;
    const before = text.slice(Math.max(0, s - 80), s);
    if (before.endsWith('.') && !/\b(self|this)\.$/.test(before)) continue; // other objects' attributes
    const lineStart = before.slice(before.lastIndexOf('\n') + 1);
    if (firstDefinition) { // the earlier rule: the first definition-like occurrence; every later one is a use of it
      if (!seen.has(w)) { if (DEF_BEFORE.test(lineStart) || DEF_AFTER.test(text.slice(e, e + 40))) seen.set(w, [s, e]); }
      else pairs.push({ use: [s, e], def: seen.get(w) });
      continue;
    }
    // a definition-like occurrence (re)defines the name; any other occurrence after one is a use of the latest
    if (DEF_BEFORE.test(lineStart) || DEF_AFTER.test(text.slice(e, e + 40))) seen.set(w, [s, e]);
    else if (seen.has(w)) pairs.push({ use: [s, e], def: seen.get(w) });
  }
  return pairs;
}

// real code cut into rows of T tokens (bos + T-1 tokens); labels where definition and use share a row
async function codeRows(tok, file, T, maxLabels, firstDefinition) {
  const docs = fs.readFileSync(file, 'utf8').split('\f').filter((d) => d.length);
  const rows = new Rows(T);
  for (let i = 0; i < docs.length; i += 64) {
    const encs = await tok.encodeBatch(docs.slice(i, i + 64));
    encs.forEach((e, j) => {
      const ids = e.getIds(); const off = e.getOffsets();
      const pairs = useDefPairs(docs[i + j], firstDefinition);
      const firstTok = (sp) => tokensOf(off, ...sp);
      const labelled = pairs.map((p) => ({ use: firstTok(p.use)[0], def: firstTok(p.def) })).filter((p) => p.use !== undefined && p.def.length);
      for (let w = 0; w + T - 1 <= ids.length; w += T - 1) {
        rows.open();
        rows.cur.ids.push(...ids.slice(w, w + T - 1));
        const protect = new Array(T - 1).fill(0);
        let n = 0;
        for (const p of labelled) {
          if (n >= maxLabels) break;
          if (p.use < w || p.use >= w + T - 1 || p.def[0] < w || p.def[p.def.length - 1] >= p.use) continue;
          rows.cur.labels.push([p.use - w + 1, p.def[0] - w + 1, p.def[p.def.length - 1] - w + 2]);
          protect[p.use - w] = 1; p.def.forEach((k) => { protect[k - w] = 1; }); n++;
        }
        rows.cur.protect.push(...protect);
        rows.close();
      }
    });
  }
  return rows;
}

async function main() {
  const args = process.argv.slice(2);
  const firstDefinition = args.includes('--first-definition');
  const [mode, tokFile, input, Targ, out, maxArg] = args.filter((x) => x !== '--first-definition');
  const tok = tk.Tokenizer.fromFile(tokFile);
  const T = Number(Targ);
  const rows = mode === 'code' ? await codeRows(tok, input, T, Number(maxArg || 48), firstDefinition) : await textRows(tok, input, T);
  const r = rows.write(out);
  console.error(`${out}: ${r.rows} rows of ${T}, ${r.labels} label entries`);
}

main().catch((e) => { console.error(e); process.exit(1); });
