// The graphs a repo offers and what to fetch for one. Hugging Face ONNX repos name a graph's dtype by
// suffix (transformers.js utils/dtypes.js): none fp32, _fp16, _quantized (q8, what transformers.js
// runs on WASM), _int8, _uint8, _q4, _q4f16, _bnb4. Pure: works on the file list only.
import type { RepoFile } from './listing';

export interface Variant {
  /** fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4. */
  dtype: string;
  /** The graph's path in the repo. */
  graph: string;
  /** Every file to fetch: the graph, its external data, config, tokenizer, licence… */
  files: RepoFile[];
  /** Their bytes together. */
  bytes: number;
  recommended: boolean;
}

const SUFFIX: Record<string, string> = {
  '': 'fp32', _fp16: 'fp16', _quantized: 'q8', _int8: 'int8', _uint8: 'uint8', _q4: 'q4', _q4f16: 'q4f16', _bnb4: 'bnb4',
};
const ORDER = ['q8', 'fp32', 'fp16', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'];

// Graphs that need another graph's key/value cache cannot run alone (src/models/layout.ts skips them too).
const NEEDS_PAST = /with_past|_merged/;
const BASES = /^(model|decoder_model|encoder_model)$/;

/** Files every variant takes beside its graph (those present). */
const ALONGSIDE = /^(config\.json|generation_config\.json|preprocessor_config\.json|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|added_tokens\.json|vocab\.json|vocab\.txt|merges\.txt|tokenizer\.model|attention-lens\.json|README\.md|(LICEN[CS]E|COPYING|NOTICE|USE_POLICY)(\.[A-Za-z]+)?)$/i;

/** The dtype of a graph path, or undefined when it is not a graph Attention Lens can run alone. */
export function graphDtype(p: string): string | undefined {
  const m = /^(?:onnx\/)?([^/]+)\.onnx$/.exec(p);
  if (!m || NEEDS_PAST.test(m[1]!)) return undefined;
  const name = m[1]!;
  for (const [suffix, dtype] of Object.entries(SUFFIX)) {
    if (suffix !== '' && name.endsWith(suffix) && BASES.test(name.slice(0, -suffix.length))) return dtype;
  }
  return BASES.test(name) ? 'fp32' : undefined;
}

/** A graph's external data as exporters name it: {file}_data, {file}_data_1…, {file}.data. */
export function isExternalDataOf(graph: string, p: string): boolean {
  return p === `${graph}_data` || p === `${graph}.data` || (p.startsWith(`${graph}_data_`) && /^\d+$/.test(p.slice(graph.length + 6)));
}

/** Every runnable variant, the recommended first (q8 where there is one, else fp32), then by ORDER. */
export function variantsOf(files: readonly RepoFile[]): Variant[] {
  const alongside = files.filter((f) => ALONGSIDE.test(f.path));
  const out: Variant[] = [];
  for (const g of files) {
    const dtype = graphDtype(g.path);
    if (dtype === undefined) continue;
    const data = files.filter((f) => isExternalDataOf(g.path, f.path));
    const chosen = [g, ...data, ...alongside];
    out.push({ dtype, graph: g.path, files: chosen, bytes: chosen.reduce((s, f) => s + f.size, 0), recommended: false });
  }
  // A graph in onnx/ named model… before decoder_model… before encoder_model…; one per dtype.
  const rank = (v: Variant): number => ORDER.indexOf(v.dtype) * 10 + (/(^|\/)model/.test(v.graph) ? 0 : 1) + (v.graph.startsWith('onnx/') ? 0 : 2);
  out.sort((a, b) => rank(a) - rank(b) || a.graph.localeCompare(b.graph));
  const first = out.find((v) => v.dtype === 'q8') ?? out.find((v) => v.dtype === 'fp32') ?? out[0];
  if (first) first.recommended = true;
  return first ? [first, ...out.filter((v) => v !== first)] : out;
}

/** "1.2 GB", "540 MB", "12 kB" (decimal, as the Hub shows sizes). */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}
