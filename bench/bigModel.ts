// The big-model rows: a 124 M-parameter model of GPT-2's shape (12 layers × 12 heads, d 768,
// vocabulary 50257; random weights, built at bench time by test/fixtures/make_hf_models.py
// --size gpt2-small into the fixture cache, never committed), at 128 and 512 tokens of prose, in
// the real webview page on WASM: load (cold, in a fresh page), inference, tokens in → first overlay,
// the attention it keeps, and hover with all heads selected.
import type { Browser } from 'playwright-core';
import { loadModelFolder } from '../src/models/modelFolder';
import { PageServer } from '../test/browser/harness';
import { ensureFixtures } from '../test/fixtures/build';
import { makeCase } from './inputs';
import { PanelBench } from './panelPage';
import { RenderBench, allHeadsView, spreadIndices } from './renderPage';
import { Row, emptyRow } from './results';
import { medianOrNull, round } from './stats';

export const BIG_SIZES = [128, 512] as const;
/** Where the bench's server serves the big model's folder. */
export const BIG_MOUNT_PREFIX = '/big-model/';

export interface BigModel {
  dir: string;
  mount: [string, string];
}

/** Builds the model (minutes, the first time; cached) and says where it is served. */
export function prepareBigModel(): BigModel {
  const dir = ensureFixtures('gpt2-small')['gpt2-small'].dir;
  return { dir, mount: [BIG_MOUNT_PREFIX, dir] };
}

export async function benchBigModel(
  root: string, big: BigModel, browser: Browser, server: PageServer, runs: number, log: (m: string) => void,
): Promise<{ rows: Row[]; summary: Record<string, unknown> }> {
  const model = await loadModelFolder(big.dir, false);
  const { config } = model;
  const rel = model.modelFile.slice(big.dir.length).replace(/^[\\/]+/, '');
  const modelPath = `${BIG_MOUNT_PREFIX}${rel}`;
  const init = { name: config.name, config, modelUri: `${server.origin}${modelPath}`, sizeBytes: model.sizeBytes };
  const rows: Row[] = [];
  const summary: Record<string, unknown> = { dir: big.dir, bytes: model.sizeBytes, layers: config.num_layers, heads: config.num_heads };
  // Inference at 512 tokens takes seconds per run on one WASM thread: few runs.
  const measured = Math.max(1, Math.min(runs, 3));
  const panel = await PanelBench.open(browser, server);
  try {
    await panel.initModel(init);
    for (const n of BIG_SIZES) {
      const c = makeCase(root, model.tokenizer, config, 'prose', n);
      const row: Row = { ...emptyRow('prose', n), model: 'gpt2-small (124 M, random weights)' };
      const first = await panel.run(c, 900_000);
      if (first.result.loadMs > 0) {
        row.load_cold_ms = round(first.result.loadMs);
        summary.load_phases = first.result.phases ?? null;
        log(`big model: load ${first.result.loadMs.toFixed(0)} ms (${JSON.stringify(first.result.phases ?? {})})`);
      }
      const inf: number[] = [];
      const overlay: number[] = [];
      for (let k = 0; k < measured; k++) {
        const t = await panel.run(c, 900_000);
        inf.push(t.result.inferenceMs);
        overlay.push(t.overlayMs);
      }
      row.wasm_ms = round(medianOrNull(inf));
      row.first_overlay_ms = round(medianOrNull(overlay));
      row.attention_bytes = config.num_layers * config.num_heads * n * n * 4;
      const mem = await panel.memory();
      row.js_heap_bytes = mem.usedBytes;
      row.backing_store_bytes = mem.backingBytes;
      log(`big model ${n} tokens: inference ${row.wasm_ms} ms, first overlay ${row.first_overlay_ms} ms, attention ${(row.attention_bytes / 2 ** 20).toFixed(0)} MiB, buffers ${(mem.backingBytes / 2 ** 20).toFixed(0)} MiB`);
      rows.push(row);
    }
  } finally {
    await panel.close();
  }
  // Hover with every head of the last layer selected, on the model's real attention.
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  try {
    const page = await RenderBench.open(context, server);
    const view = allHeadsView(config);
    for (const row of rows) {
      const c = makeCase(root, model.tokenizer, config, 'prose', row.tokens);
      const prep = await page.prepare(c.modelTokens, config, false, modelPath);
      row.panel_paint_ms = round(await page.showInApp(view));
      const targets = spreadIndices(prep.seq, 1 + 2 * measured);
      row.hover_ms = round(medianOrNull((await page.hover(targets)).slice(1).map((h) => h.frameMs)));
      log(`big model ${row.tokens} tokens: panel paint ${row.panel_paint_ms} ms, hover ${row.hover_ms} ms (all ${config.num_heads} heads)`);
    }
    await page.close();
  } finally {
    await context.close();
  }
  return { rows, summary };
}
