// WASM threads in the page when it is cross-origin isolated (a desktop VS Code started with
// --enable-coi passes COOP/COEP to its webviews): the same real page served with COOP/COEP
// headers, inference at 512 tokens with onnxruntime-web's default threads against one thread,
// beside onnxruntime-node with the same thread counts on the same graph.
import type { Browser } from 'playwright-core';
import { launchBrowser, startServer } from '../test/browser/harness';
import type { BenchCase } from './inputs';
import { NativeModel } from './native';
import { PanelBench } from './panelPage';
import { medianOrNull, round } from './stats';

export interface ThreadsResult {
  isolated_threads: number | null;
  isolated_wasm_ms: number | null;
  /** onnxruntime-node with the same thread count, interleaved. */
  native_same_threads_ms: number | null;
  ratio: number | null;
}

export async function benchThreads(c: BenchCase, graph: Uint8Array, runs: number, log: (m: string) => void): Promise<ThreadsResult> {
  const server = await startServer({ isolated: true });
  let browser: Browser | null = null;
  let native: NativeModel | null = null;
  try {
    browser = await launchBrowser({ webgpu: false });
    const panel = await PanelBench.open(browser, server);
    try {
      await panel.init('wasm');
      const first = await panel.run(c);
      const threads = first.result.phases?.threads ?? null;
      native = await NativeModel.open(graph, 'one', threads ?? 1);
      const ids = c.modelTokens.map((t) => t.id);
      await panel.run(c);
      const inf: number[] = [];
      const nat: number[] = [];
      for (let k = 0; k < runs; k++) {
        inf.push((await panel.run(c)).result.inferenceMs);
        nat.push(...(await native.time(ids, 0, 1)));
      }
      const w = round(medianOrNull(inf));
      const n = round(medianOrNull(nat));
      log(`isolated page: ${threads} WASM threads, inference ${w} ms; onnxruntime-node ${threads} threads ${n} ms`);
      return { isolated_threads: threads, isolated_wasm_ms: w, native_same_threads_ms: n, ratio: w !== null && n ? round(w / n) : null };
    } finally {
      await panel.close();
    }
  } finally {
    await native?.release();
    await browser?.close();
    await server.close();
  }
}
