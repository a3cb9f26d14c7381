// Where a model folder keeps its files. Two layouts are in use: optimum-cli / torch.onnx.export put
// model.onnx at the top; Hugging Face ONNX repositories (transformers.js style) put the graphs in
// onnx/ (model.onnx, model_quantized.onnx, model_fp16.onnx…) with the tokenizer and config at the
// top. attentionLens.modelPath may also name one .onnx file, which is how a variant is chosen.
import { modelFs } from '../env/node/modelFs';
import { ModelFolderError } from './errors';
import type { Loc, ModelFs } from './modelFs';
import { GraphDtype, graphDtype } from '../shared/graphVariant';

export interface ModelFiles {
  /** The folder holding config.json and tokenizer.json. */
  dir: Loc;
  model: Loc;
  config: Loc;
  tokenizer: Loc;
  tokenizerConfig?: Loc;
  specialTokensMap?: Loc;
  lensJson?: Loc;
  /** Every usable graph found (the chosen one included), for the chooser. */
  variants: Loc[];
}

// Graphs that cannot run on their own (they need a cache from another graph) are never picked. A
// merged decoder (decoder_model_merged.onnx) can: its no-cache branch runs (src/shared/onnxGraph/mergedDecoder.ts).
const NEEDS_PAST = /with_past/;

/**
 * The graph to use among a folder's .onnx names, best first, as transformers.js picks: fp32 unless
 * a file is named (full precision, then quantized, which runs on WASM, then fp16, which needs
 * WebGPU for most operators); within a dtype `model`, else `decoder_model_merged`. Pure.
 */
export function rankGraphs(names: readonly string[]): string[] {
  const PREC: Record<GraphDtype, number> = { fp32: 0, q8: 1, int8: 1, uint8: 1, q4: 2, bnb4: 2, q4f16: 3, fp16: 3 };
  const score = (n: string): number => {
    const base = n.replace(/\.onnx$/, '').replace(/_(quantized|int8|uint8|q4|q4f16|bnb4|fp16)$/, '');
    const role = ['model', 'decoder_model_merged', 'decoder_model', 'encoder_model'].indexOf(base);
    return (role < 0 ? 10 : role * 0.1) + PREC[graphDtype(n)];
  };
  return names.filter((n) => n.endsWith('.onnx') && !NEEDS_PAST.test(n)).sort((a, b) => score(a) - score(b) || a.localeCompare(b));
}

/**
 * Graph names tried, best first, where a folder cannot be listed (vscode.dev's extension files): the
 * names transformers.js and optimum-cli write. The first one found is used.
 */
export const KNOWN_GRAPHS = rankGraphs([
  'model.onnx', 'model_quantized.onnx', 'model_int8.onnx', 'model_uint8.onnx', 'model_q4.onnx', 'model_fp16.onnx',
  'decoder_model_merged.onnx', 'decoder_model_merged_quantized.onnx', 'decoder_model.onnx', 'encoder_model.onnx',
]);

async function onnxIn(fs: ModelFs, dir: Loc): Promise<Loc[]> {
  const names = await fs.list(dir);
  if (names !== undefined) return rankGraphs(names.filter((n) => n.endsWith('.onnx'))).map((n) => fs.join(dir, n));
  for (const n of KNOWN_GRAPHS) {
    if (await fs.isFile(fs.join(dir, n))) return [fs.join(dir, n)];
  }
  return [];
}

/** Finds the files of the model at `p` (a folder or an .onnx file); throws ModelFolderError. */
export async function findModelFiles(p: Loc, fs: ModelFs = modelFs): Promise<ModelFiles> {
  const why = fs.unreadable(p);
  if (why !== undefined) throw new ModelFolderError(p, why);
  const st = await fs.stat(p);
  if (!st) throw new ModelFolderError(p, `the model folder ${p} does not exist`);
  // Where stat cannot tell (vscode.dev), the name does: a model is a folder unless it names a graph.
  const type = st.type === 'unknown' ? (p.endsWith('.onnx') ? 'file' : 'dir') : st.type;
  let dir: Loc;
  let model: Loc | undefined;
  let variants: Loc[];
  if (type === 'file') {
    if (!p.endsWith('.onnx')) throw new ModelFolderError(p, `${p} is not a folder or an .onnx file`);
    model = p;
    const parent = fs.dirname(p);
    // onnx/model_fp16.onnx: the tokenizer and config are one level up.
    dir = fs.basename(parent) === 'onnx' && !(await fs.isFile(fs.join(parent, 'config.json'))) ? fs.dirname(parent) : parent;
    variants = [...await onnxIn(fs, fs.join(dir, 'onnx')), ...await onnxIn(fs, dir)];
    if (!variants.includes(p)) variants.unshift(p);
  } else {
    dir = p;
    const top = await onnxIn(fs, dir);
    // Without listing, a graph at the top is enough: probing onnx/ would read its graphs too.
    const sub = top.length > 0 && (await fs.list(dir)) === undefined ? [] : await onnxIn(fs, fs.join(dir, 'onnx'));
    variants = [...top, ...sub];
    model = top.find((f) => fs.basename(f) === 'model.onnx') ?? top[0] ?? sub[0];
    if (model === undefined) {
      const all = [...(await fs.list(dir)) ?? [], ...(await fs.list(fs.join(dir, 'onnx'))) ?? []];
      const past = all.filter((n) => NEEDS_PAST.test(n) && n.endsWith('.onnx'));
      const missing = fs.join(dir, 'model.onnx');
      throw new ModelFolderError(missing, past.length > 0
        ? `${missing} is missing, and ${past.join(', ')} need${past.length === 1 ? 's' : ''} a key/value cache from another graph; export the model without past (optimum-cli export onnx --task feature-extraction or text-generation without "-with-past")`
        : `${missing} is missing (looked at the top and in onnx/)`);
    }
  }
  const at = (f: string): Loc => fs.join(dir, f);
  const optionalFile = async (f: string): Promise<Loc | undefined> => ((await fs.isFile(at(f))) ? at(f) : undefined);
  const files: ModelFiles = { dir, model, config: at('config.json'), tokenizer: at('tokenizer.json'), variants };
  const tc = await optionalFile('tokenizer_config.json');
  if (tc) files.tokenizerConfig = tc;
  const sm = await optionalFile('special_tokens_map.json');
  if (sm) files.specialTokensMap = sm;
  const lj = await optionalFile('attention-lens.json');
  if (lj) files.lensJson = lj;
  return files;
}
