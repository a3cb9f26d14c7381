// The printed report of `npm run bench`: the table, the load, VS Code, isolated-page and
// big-model lines, the targets and failures.
import * as path from 'path';
import { BenchOptions } from './options';
import { Results, Row } from './results';
import { formatTable, formatTargets } from './table';
import { checkTargets } from './targets';
import { VsCodeSummary } from './vscode/phase';

export function report(results: Results, list: Row[], targets: ReturnType<typeof checkTargets>, opts: BenchOptions): string {
  const m = results.machine;
  const out: string[] = [];
  out.push(`Attention Lens benchmark — ${results.when}${opts.quick ? ' (quick)' : ''}`);
  out.push(`${m.cpus} × ${m.model}, ${m.memGiB} GiB, Node ${m.node}, ${m.chromium ?? 'no Chromium'}`);
  out.push(`load average at start ${m.loadavgStart.join(' ')}, at end ${m.loadavgEnd!.join(' ')} (other work on these cores moves the numbers)`);
  const model = results.model as { name: string; layers: number; heads: number; max_tokens: number };
  out.push(`model ${model.name}: ${model.layers} layers × ${model.heads} heads, context ${model.max_tokens}; medians of ${opts.runs} runs after ${opts.warmup} warm-up`);
  out.push('');
  out.push(formatTable(list));
  out.push('');
  out.push('ms unless said; — not measured; ×native: over onnxruntime-node with one thread (as the webview\'s WASM).');
  const capped = list.find((r) => r.capped_at);
  if (capped) out.push(`* ${capped.tokens} tokens is more than the model's context (${capped.capped_at}): no inference at that size; tokenize is the host cutting the text to its ${capped.capped_at}-token window.`);
  if (list.some((r) => r.synthetic_attention)) out.push('† SYNTHETIC attention of the model\'s shape (layers × heads × seq × seq), fed to the real renderer for paint and hover only; every inference figure is real.');
  const load = results.page_load_wasm as { cold_ms: number | null; warm_ms: number | null } | undefined;
  const nload = results.native_load as { cold_ms: number | null; warm_ms: number | null } | undefined;
  if (load) out.push(`model load + session in the page (WASM): cold ${load.cold_ms ?? '—'} ms, warm ${load.warm_ms ?? '—'} ms`);
  if (nload) out.push(`session creation, onnxruntime-node: cold ${nload.cold_ms ?? '—'} ms, warm ${nload.warm_ms ?? '—'} ms`);
  const iso = results.isolated as { isolated_threads: number | null; isolated_wasm_ms: number | null; native_same_threads_ms: number | null; ratio: number | null } | undefined;
  if (iso) out.push(`page cross-origin isolated (COOP/COEP): ${iso.isolated_threads ?? '—'} WASM thread(s), inference ${iso.isolated_wasm_ms ?? '—'} ms; onnxruntime-node with as many threads ${iso.native_same_threads_ms ?? '—'} ms (${iso.ratio ?? '—'}×)`);
  const bigRows = (results.big_model as { rows: Row[] } | undefined)?.rows;
  if (bigRows) {
    out.push('124 M-parameter GPT-2-shaped model (random weights), WASM in the page, prose:');
    for (const r of bigRows) {
      out.push(`  ${r.tokens} tokens: load (cold page) ${r.load_cold_ms ?? '—'} ms, inference ${r.wasm_ms ?? '—'} ms, first overlay ${r.first_overlay_ms ?? '—'} ms, panel paint ${r.panel_paint_ms ?? '—'} ms, hover ${r.hover_ms ?? '—'} ms, attention ${r.attention_bytes === null ? '—' : (r.attention_bytes / 2 ** 20).toFixed(0)} MiB, buffers ${r.backing_store_bytes ? (r.backing_store_bytes / 2 ** 20).toFixed(0) : '—'} MiB`);
    }
  }
  const base = results.vscode_baseline as VsCodeSummary | undefined;
  for (const [label, v] of [['', results.vscode], [' — BASELINE build', base]] as const) {
    const vs = v as VsCodeSummary | undefined;
    if (!vs) continue;
    const show = (sp: Record<string, number | null>) => Object.entries(sp).map(([k, v]) => `${k.replace(/_ms$/, '')} ${v === null ? '—' : v.toFixed(0)}`).join(', ');
    out.push(`real VS Code${label} (code-server + Chromium, ${vs.backend}), command → first overlay, ${vs.windows} new window(s), ${vs.warm_runs} warm runs; ms from the command:`);
    out.push(`  cold: ${show(vs.cold)}`);
    if (vs.cold_by_profile) {
      out.push(`  one Chromium profile kept across the windows (${vs.windows_profile.join(', ')}): cold ${vs.cold_windows_ms.map((x) => x.toFixed(0)).join(', ')}`);
      out.push(`  cold, first window (empty profile): ${show(vs.cold_by_profile.first)}`);
      out.push(`  cold, later windows (median): ${show(vs.cold_by_profile.later)}`);
    }
    const words = Object.entries(vs.cold_words ?? {});
    if (words.length) out.push(`  cold, per window: ${words.map(([k, v]) => `${k} ${v.join(', ')}`).join('; ')}`);
    out.push(`  warm: ${show(vs.warm)}`);
    const t = vs.throttle;
    const mb = (xs: number[]) => xs.map((x) => (x / 1e6).toFixed(1)).join(', ');
    if (t) out.push(`  link to code-server throttled: ${t.mbit} Mbit/s each way + ${t.rtt_ms} ms round trip; per window ${mb(t.down_bytes)} MB down, ${mb(t.up_bytes)} MB up`);
    out.push(`  cold fetches: ${Object.entries(vs.cold_fetches).map(([f, v]) => `${f} ${(v.bytes / 1e6).toFixed(1)} MB at +${v.start_ms?.toFixed(0)} took ${v.fetch_ms?.toFixed(0)}`).join('; ')}`);
  }
  const gpu = results.webgpu as { backend: string; reason: string | null } | undefined;
  if (gpu && gpu.backend !== 'webgpu') out.push(`WebGPU did not run: ${gpu.reason}`);
  out.push('');
  out.push('Targets:');
  out.push(formatTargets(targets));
  for (const f of results.failures as string[]) out.push(`FAILED: ${f}`);
  out.push('');
  out.push(`wrote ${path.relative(process.cwd(), opts.out) || opts.out} in ${results.wall_s} s`);
  return out.join('\n');
}
