// `npm run bench`: how fast select → attention → hover is, against onnxruntime-node and the
// issue's targets. Prints a table and writes bench/results.json (see bench/README.md).
import * as fs from 'fs';
import * as path from 'path';
import { loadModelFolder } from '../src/modelFolder';
import { makeStack } from '../src/shared/attention';
import { BenchCase, FULL_SIZES, makeCase } from './inputs';
import { describeMachine, finishMachine } from './machine';
import { NativeModel, measureNativeLoad } from './native';
import { parseOptions } from './options';
import { measurePostprocess } from './postprocess';
import { Results, Row, emptyRow } from './results';
import { median, ratio, round } from './stats';
import { formatTable, formatTargets } from './table';
import { checkTargets } from './targets';
import { TextKind, describeSource } from './texts';
import { measureTokenize } from './tokenizeBench';

const ROOT = path.resolve(__dirname, '..', '..');
const MODEL_DIR = path.join(ROOT, 'models', 'default');

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2), path.join(ROOT, 'bench', 'results.json'));
  const started = performance.now();
  const machine = describeMachine();
  log(`${machine.cpus} × ${machine.model}, load average ${machine.loadavgStart.join(' ')}${opts.quick ? ' (quick)' : ''}`);

  const model = await loadModelFolder(MODEL_DIR, true);
  const { config, tokenizer } = model;
  const kinds: TextKind[] = opts.quick ? ['prose'] : ['prose', 'code'];
  const sizes = opts.quick ? [512, 1024] : [...FULL_SIZES];
  const cases: BenchCase[] = [];
  for (const kind of kinds) for (const n of sizes) cases.push(makeCase(ROOT, tokenizer, config, kind, n));
  const rows = new Map<BenchCase, Row>(cases.map((c) => [c, { ...emptyRow(c.kind, c.tokens), capped_at: c.cappedAt, notes: [] }]));
  const failures: string[] = [];

  // ---- host: tokenization with offsets --------------------------------------------------
  for (const c of cases) {
    rows.get(c)!.tokenize_ms = round(median(await measureTokenize(tokenizer, c.text, config, opts.warmup, opts.runs)));
  }
  log('tokenization done');

  // ---- native peer: onnxruntime-node --------------------------------------------------
  const nativeLoad = await measureNativeLoad(model.modelFile, opts.quick ? 2 : 4);
  const one = await NativeModel.open(model.modelFile, 'one');
  const dflt = await NativeModel.open(model.modelFile, 'default');
  for (const c of cases) {
    const r = rows.get(c)!;
    r.native_load_cold_ms = round(nativeLoad.coldMs);
    r.native_load_warm_ms = round(median(nativeLoad.warmMs));
    if (c.cappedAt !== null) continue;
    const ids = c.modelTokens.map((t) => t.id);
    r.native_ms = round(median(await one.time(ids, opts.warmup, opts.runs)));
    r.native_default_ms = round(median(await dflt.time(ids, opts.warmup, opts.runs)));
    // Post-processing on the model's real attention for this input.
    const stack = await one.attention(ids, config.num_layers, config.num_heads);
    const pp = await measurePostprocess(makeStack(stack.layers, stack.heads, stack.seq), c.modelTokens, config, opts.warmup, opts.runs);
    r.postprocess_ms = round(pp.totalMs);
    r.postprocess_parts = {
      aggregate_ms: round(pp.aggregateMs)!, rollout_ms: round(pp.rolloutMs)!, topk_ms: round(pp.topkMs)!, explain_ms: round(pp.explainMs)!,
    };
    log(`native ${c.kind} ${c.tokens}: 1 thread ${r.native_ms} ms, default ${r.native_default_ms} ms, post-processing ${r.postprocess_ms} ms`);
  }
  await one.release();
  await dflt.release();

  // ---- ratios, output ---------------------------------------------------------------
  for (const r of rows.values()) {
    r.wasm_native_ratio = round(ratio(r.wasm_ms, r.native_ms));
    r.webgpu_native_ratio = round(ratio(r.webgpu_ms, r.native_ms));
  }
  const list = [...rows.values()];
  const results: Results = {
    when: new Date().toISOString(),
    machine: finishMachine(machine),
    rows: list,
    model: { name: config.name, layers: config.num_layers, heads: config.num_heads, max_tokens: config.max_tokens, bytes: model.sizeBytes },
    texts: { prose: describeSource('prose'), code: describeSource('code') },
    runs: { warmup: opts.warmup, measured: opts.runs, quick: opts.quick },
    targets: checkTargets(list),
    failures,
    wall_s: round((performance.now() - started) / 1000, 1),
  };
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, JSON.stringify(results, null, 2) + '\n');

  const out: string[] = [];
  out.push(`Attention Lens benchmark — ${results.when}`);
  out.push(`${machine.cpus} × ${machine.model}, ${machine.memGiB} GiB, Node ${machine.node}, ${machine.chromium ?? 'no Chromium'}`);
  out.push(`load average at start ${machine.loadavgStart.join(' ')}, at end ${results.machine.loadavgEnd!.join(' ')} (other work on these cores moves the numbers)`);
  out.push(`model ${config.name}: ${config.num_layers} layers × ${config.num_heads} heads, context ${config.max_tokens}; medians of ${opts.runs} runs after ${opts.warmup} warm-up`);
  out.push('');
  out.push(formatTable(list));
  out.push('');
  out.push('ms unless said; — not measured.');
  const capped = list.find((r) => r.capped_at);
  if (capped) out.push(`* ${capped.tokens} tokens is more than the model's context (${capped.capped_at}): no inference at that size; tokenize is the host cutting the text to the ${capped.capped_at}-token window.`);
  if (list.some((r) => r.synthetic_attention)) out.push('† hover/paint at this size ran on SYNTHETIC attention of the model\'s shape (layers × heads × seq × seq), fed to the real renderer; inference figures are real.');
  out.push(`native load: cold ${nativeLoad.coldMs.toFixed(1)} ms, warm ${median(nativeLoad.warmMs).toFixed(1)} ms`);
  out.push('');
  out.push('Targets:');
  out.push(formatTargets(results.targets as ReturnType<typeof checkTargets>));
  for (const f of failures) out.push(`FAILED: ${f}`);
  out.push('');
  out.push(`wrote ${path.relative(process.cwd(), opts.out)} in ${results.wall_s} s`);
  process.stdout.write(out.join('\n') + '\n');
  return failures.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`[bench] ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
