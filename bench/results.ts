// bench/results.json: one shape, kept stable so runs can be compared over time. Every
// millisecond figure is a median; a figure that was not measured is null, never 0.
import { Machine } from './machine';
import { TextKind } from './texts';

export interface Row {
  text: TextKind;
  tokens: number;
  tokenize_ms: number | null;
  /** Model load + session creation in the page (WASM), warm (HTTP and code caches filled). */
  load_ms: number | null;
  wasm_ms: number | null;
  webgpu_ms: number | null;
  /** onnxruntime-node, one thread (the webview's WASM is single-threaded), on the same graph as the page. */
  native_ms: number | null;
  postprocess_ms: number | null;
  first_overlay_ms: number | null;
  hover_ms: number | null;
  attention_bytes: number | null;

  // ---- extra figures (beyond the fixed shape) ----
  /** Model load + session creation in the page, first time in a fresh browser profile. */
  load_cold_ms?: number | null;
  webgpu_load_ms?: number | null;
  /** onnxruntime-node with its default thread count. */
  native_default_ms?: number | null;
  /** onnxruntime-node, one thread, on model.onnx as shipped (every output, logits included). */
  native_whole_model_ms?: number | null;
  /** native_ms was taken interleaved with the page's runs (one native run after each page run). */
  native_interleaved?: boolean;
  native_load_cold_ms?: number | null;
  native_load_warm_ms?: number | null;
  /** wasm_ms / native_ms (same thread count) and webgpu_ms / native_ms. */
  wasm_native_ratio?: number | null;
  webgpu_native_ratio?: number | null;
  /**
   * postprocess_ms is what pinning a token costs after inference (means, top-k, explanation with
   * its rollout row); rollout_full_ms is the rollout view's full matrices, computed only when chosen.
   */
  postprocess_parts?: {
    aggregate_ms: number; rollout_row_ms: number; topk_ms: number; explain_ms: number; rollout_full_ms: number;
  } | null;
  /** First paint of the token view and of the layers × heads grid, in the page. */
  token_view_paint_ms?: number | null;
  grid_paint_ms?: number | null;
  /** In the real page: the webview's own measure of rendering a result (attention-lens:render), JS only. */
  page_render_ms?: number | null;
  /** The panel's first paint of a finished run (App.render: header, controls, tokens, grid). */
  panel_paint_ms?: number | null;
  /** Hover: the webview's own measure of its hover work (JS only). */
  hover_work_ms?: number | null;
  /** Hover through real mouse moves (input pipeline and hit testing included). */
  hover_mouse_ms?: number | null;
  /** Bytes of queries and keys kept beside the attention (the three-steps view). */
  query_key_bytes?: number | null;
  /** V8 heap in use after a run, after GC (Runtime.getHeapUsage usedSize). */
  js_heap_bytes?: number | null;
  /** ArrayBuffer backing stores after a run, after GC: attention tensors and the WASM memory. */
  backing_store_bytes?: number | null;
  /** Heap growth per run over `memory_runs` runs (least-squares slope, after GC). */
  heap_growth_bytes_per_run?: number | null;
  memory_runs?: number | null;
  dom_nodes_growth_per_run?: number | null;
  listeners_growth_per_run?: number | null;
  /** Inference figures are capped at the model's context; this row's text is longer. */
  capped_at?: number | null;
  /** Rendering figures came from synthetic attention of the model's shape (see bench/README.md). */
  synthetic_attention?: boolean;
  /**
   * In the real VS Code (code-server + Chromium, WASM): "Explain attention here" → the focus
   * token's highlight in the host, cold (new window, panel closed, model not loaded) and warm.
   */
  vscode_cold_first_overlay_ms?: number | null;
  vscode_warm_first_overlay_ms?: number | null;
  /**
   * With --vscode-profile same (one Chromium profile kept across the windows): the first window's
   * cold figure (a user's first ever window) and the median of the later windows'.
   */
  vscode_cold_first_window_ms?: number | null;
  vscode_cold_later_windows_ms?: number | null;
  /**
   * The page served cross-origin isolated (COOP/COEP, as in a VS Code started with --enable-coi):
   * inference with its WASM threads, and onnxruntime-node with as many threads on the same graph.
   */
  wasm_isolated_ms?: number | null;
  wasm_isolated_threads?: number | null;
  native_same_threads_ms?: number | null;
  wasm_isolated_native_ratio?: number | null;
  /** Another model than the bundled one (the big-model rows). */
  model?: string;
  notes?: string[];
}

export interface Results {
  when: string;
  machine: Machine;
  rows: Row[];
  [extra: string]: unknown;
}

/** A row with every fixed figure null: filled in as each part is measured. */
export function emptyRow(text: TextKind, tokens: number): Row {
  return {
    text, tokens, tokenize_ms: null, load_ms: null, wasm_ms: null, webgpu_ms: null, native_ms: null,
    postprocess_ms: null, first_overlay_ms: null, hover_ms: null, attention_bytes: null,
  };
}
