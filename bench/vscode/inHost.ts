// The VS Code bench inside the real extension host (loaded as extensionTestsPath by
// bench/vscode/launch.ts): in a fresh window, activates the extension, opens the bench text, selects
// it with the cursor on its last token and runs "Explain attention here" once cold (panel closed,
// model not loaded) and then warm (panel open, model loaded), timing command → first overlay: the
// focus token's highlight arriving in the host, which sets the editor's decorations.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AttentionLensApi } from '../../src/api';
import type { ResultMessage, ToHost } from '../../src/shared/protocol';
import { drive } from '../../test/vscode/driverClient';
import type { Downloaded } from '../../src/commands/target';
import { BENCH_ENV, CommandTiming, DownloadTiming, HoverTiming, WindowReport } from './protocol';

const EXTENSION_ID = 'attention-lens.attention-lens';
const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resource timings and measures of the webview frame, read through the launcher's UI driver. */
const PAGE_PROBE = `(() => {
  const fetches = {};
  for (const e of performance.getEntriesByType('resource')) {
    const name = decodeURIComponent(e.name.split('?')[0].split('/').pop() || e.name);
    fetches[name] = { start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.responseEnd, bytes: e.encodedBodySize || e.transferSize || 0 };
  }
  const render = performance.getEntriesByName('attention-lens:render', 'measure').at(-1);
  return { fetches, render: render ? render.duration : null };
})()`;

/** N hovers spread over the panel's tokens, each dispatched at a frame's start and timed to its end. */
const hoverProbe = (n: number): string => `(async () => {
  const frameStart = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  const afterFrame = () => new Promise((r) => { const ch = new MessageChannel(); ch.port1.onmessage = () => r(performance.now()); ch.port2.postMessage(0); });
  const spans = [...document.querySelectorAll('#app .tokens .tok')];
  if (spans.length === 0) return 'no tokens in the panel';
  const out = [];
  for (let k = 0; k < ${n}; k++) {
    const s = spans[Math.floor((k + 0.5) * spans.length / ${n})];
    performance.clearMeasures('attention-lens:highlight');
    const t0 = await frameStart();
    s.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, pointerType: 'mouse', isPrimary: true }));
    const t1 = await afterFrame();
    const m = performance.getEntriesByName('attention-lens:highlight', 'measure').at(-1);
    out.push({ frame_ms: t1 - t0, work_ms: m ? m.duration : null, lit: document.querySelectorAll('#app .tokens .tok.lit').length });
    s.dispatchEvent(new PointerEvent('pointerout', { bubbles: true, pointerType: 'mouse', isPrimary: true }));
    await afterFrame();
  }
  return out;
})()`;

async function timeHovers(n: number): Promise<HoverTiming[]> {
  const r = (await drive({ kind: 'webviewEval', selector: '#app', expression: hoverProbe(n) })) as HoverTiming[] | string;
  if (typeof r === 'string') throw new Error(`hover: ${r}`);
  const dark = r.findIndex((h) => h.lit === 0);
  if (dark >= 0) throw new Error(`hover ${dark + 1} of ${r.length} lit nothing`);
  return r;
}

/** Download model… on "org/name:variant", timed from the host (the model becomes attentionLens.modelPath). */
async function timeDownload(spec: string): Promise<DownloadTiming> {
  const [repo, variant] = spec.split(':');
  const t0 = now();
  const done = await vscode.commands.executeCommand<Downloaded | undefined>('attentionLens.downloadModel', { repo, variant });
  const wall = now() - t0;
  if (!done) throw new Error(`Download model… on ${spec} gave nothing`);
  // The setting's change reloads the model in the background; the first Explain is timed after it.
  await sleep(500);
  return { wall_ms: wall, bytes: done.bytes, seconds: done.seconds, dtype: done.dtype, modelPath: done.modelPath };
}

interface PageProbe { fetches: Record<string, { start: number; end: number; bytes: number }>; render: number | null }

async function timeCommand(api: AttentionLensApi, cold: boolean): Promise<CommandTiming> {
  const seen: { msg: ToHost; at: number }[] = [];
  const off = api.onDidReceive((m) => { seen.push({ msg: m, at: now() }); });
  try {
    const t0 = now();
    const runId = await vscode.commands.executeCommand<number | undefined>('attentionLens.explainHere');
    // The command returns once the host has read the model (first time), picked and tokenized the
    // text and posted the run (opening the panel if needed).
    const hostMs = now() - t0;
    if (runId === undefined) throw new Error(`the command started no run (last error: ${api.lastError() ?? 'none'})`);
    const run = api.lastRun();
    if (!run || run.runId !== runId) throw new Error('lastRun() is not the command\'s run');
    const focus = run.message.focus;
    if (focus === null) throw new Error('the run has no focus token');
    const limit = Number(process.env[BENCH_ENV.commandTimeoutMs] ?? 240_000);
    const deadline = t0 + limit;
    let highlight: { at: number } | undefined;
    while (!highlight) {
      const err = seen.find((s) => s.msg.type === 'error');
      if (err && err.msg.type === 'error') throw new Error(`the webview reported: ${err.msg.message}`);
      highlight = seen.find((s) => s.msg.type === 'highlight' && s.msg.runId === runId && s.msg.tokenIndex === focus);
      if (!highlight) {
        if (now() > deadline) throw new Error(`no highlight for the focus token within ${limit / 1000} s`);
        await sleep(5);
      }
    }
    const result = seen.find((s) => s.msg.type === 'result' && s.msg.runId === runId);
    if (!result) throw new Error('highlight without a result');
    const res = result.msg as ResultMessage & { phases?: Record<string, number | string> };
    const ready = seen.find((s) => s.msg.type === 'ready');
    let probe: PageProbe | null = null;
    try {
      probe = (await drive({ kind: 'webviewEval', selector: '#app', expression: PAGE_PROBE })) as PageProbe;
    } catch {
      probe = null;
    }
    const fetches = probe
      ? Object.fromEntries(Object.entries(probe.fetches).map(([k, v]) => [k, { start_ms: v.start - t0, fetch_ms: v.end - v.start, bytes: v.bytes }]))
      : null;
    return {
      total_ms: highlight.at - t0,
      host_ms: hostMs,
      ready_ms: ready ? ready.at - t0 : null,
      result_ms: result.at - t0,
      load_ms: res.loadMs,
      inference_ms: res.inferenceMs,
      phases: res.phases ?? null,
      render_ms: probe?.render ?? null,
      fetches: cold ? fetches : null,
      backend: res.backend,
      tokens: run.message.tokens.length,
    };
  } finally {
    off();
  }
}

export async function run(): Promise<void> {
  const dir = process.env[BENCH_ENV.reportDir];
  const file = process.env[BENCH_ENV.file];
  if (!dir || !file) throw new Error(`${BENCH_ENV.reportDir} and ${BENCH_ENV.file} must be set (run through npm run bench)`);
  const warmRuns = Number(process.env[BENCH_ENV.warmRuns] ?? 3);
  const settleMs = Number(process.env[BENCH_ENV.settleMs] ?? 3000);
  const out = path.join(dir, `window-${process.pid}.json`);
  const report: Partial<WindowReport> = {};
  try {
    const ext = vscode.extensions.getExtension<AttentionLensApi>(EXTENSION_ID);
    if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('no workspace folder');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, file));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    // The whole text selected, the cursor at its end: the last token is the focus (the longest
    // attention row, as in the page bench).
    editor.selection = new vscode.Selection(new vscode.Position(0, 0), doc.positionAt(doc.getText().length));
    // A user runs the command in a window that has finished starting.
    await sleep(settleMs);
    const a0 = now();
    const api = await ext.activate();
    report.activate_ms = now() - a0;
    const dl = process.env[BENCH_ENV.download];
    if (dl) report.download = await timeDownload(dl);
    report.cold = await timeCommand(api, true);
    report.warm = [];
    for (let k = 0; k < warmRuns; k++) {
      await sleep(300);
      report.warm.push(await timeCommand(api, false));
    }
    const hovers = Number(process.env[BENCH_ENV.hovers] ?? 0);
    if (hovers > 0) report.hovers = await timeHovers(hovers);
    report.host_max_rss_bytes = process.resourceUsage().maxRSS * 1024;
  } catch (e) {
    report.error = e instanceof Error ? e.stack ?? e.message : String(e);
  }
  fs.writeFileSync(out, JSON.stringify(report));
  if (report.error) throw new Error(report.error);
}
