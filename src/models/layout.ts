// Where a model folder keeps its files. Two layouts are in use: optimum-cli / torch.onnx.export put
// model.onnx at the top; Hugging Face ONNX repositories (transformers.js style) put the graphs in
// onnx/ (model.onnx, model_quantized.onnx, model_fp16.onnx…) with the tokenizer and config at the
// top. attentionLens.modelPath may also name one .onnx file, which is how a variant is chosen.
import { promises as fs } from 'fs';
import * as path from 'path';
import { ModelFolderError } from './errors';
import { GraphDtype, graphDtype } from '../shared/graphVariant';

export interface ModelFiles {
  /** The folder holding config.json and tokenizer.json. */
  dir: string;
  model: string;
  config: string;
  tokenizer: string;
  tokenizerConfig?: string;
  specialTokensMap?: string;
  lensJson?: string;
  /** Every usable graph found (the chosen one included), for the chooser. */
  variants: string[];
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

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

async function onnxIn(dir: string): Promise<string[]> {
  try {
    const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.onnx'));
    return rankGraphs(names).map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

/** Finds the files of the model at `p` (a folder or an .onnx file); throws ModelFolderError. */
export async function findModelFiles(p: string): Promise<ModelFiles> {
  let st;
  try {
    st = await fs.stat(p);
  } catch {
    throw new ModelFolderError(p, `the model folder ${p} does not exist`);
  }
  let dir: string;
  let model: string | undefined;
  let variants: string[];
  if (st.isFile()) {
    if (!p.endsWith('.onnx')) throw new ModelFolderError(p, `${p} is not a folder or an .onnx file`);
    model = p;
    const parent = path.dirname(p);
    // onnx/model_fp16.onnx: the tokenizer and config are one level up.
    dir = path.basename(parent) === 'onnx' && !(await isFile(path.join(parent, 'config.json'))) ? path.dirname(parent) : parent;
    variants = [...await onnxIn(path.join(dir, 'onnx')), ...await onnxIn(dir)];
    if (!variants.includes(p)) variants.unshift(p);
  } else if (st.isDirectory()) {
    dir = p;
    const top = await onnxIn(dir);
    const sub = await onnxIn(path.join(dir, 'onnx'));
    variants = [...top, ...sub];
    model = top.find((f) => path.basename(f) === 'model.onnx') ?? top[0] ?? sub[0];
    if (model === undefined) {
      const all = [...await fs.readdir(dir).catch(() => [] as string[]), ...await fs.readdir(path.join(dir, 'onnx')).catch(() => [] as string[])];
      const past = all.filter((n) => NEEDS_PAST.test(n) && n.endsWith('.onnx'));
      throw new ModelFolderError(path.join(dir, 'model.onnx'), past.length > 0
        ? `${path.join(dir, 'model.onnx')} is missing, and ${past.join(', ')} need${past.length === 1 ? 's' : ''} a key/value cache from another graph; export the model without past (optimum-cli export onnx --task feature-extraction or text-generation without "-with-past")`
        : `${path.join(dir, 'model.onnx')} is missing (looked at the top and in onnx/)`);
    }
  } else {
    throw new ModelFolderError(p, `${p} is not a folder`);
  }
  const at = (f: string): string => path.join(dir, f);
  const optionalFile = async (f: string): Promise<string | undefined> => ((await isFile(at(f))) ? at(f) : undefined);
  const files: ModelFiles = { dir, model, config: at('config.json'), tokenizer: at('tokenizer.json'), variants };
  const tc = await optionalFile('tokenizer_config.json');
  if (tc) files.tokenizerConfig = tc;
  const sm = await optionalFile('special_tokens_map.json');
  if (sm) files.specialTokensMap = sm;
  const lj = await optionalFile('attention-lens.json');
  if (lj) files.lensJson = lj;
  return files;
}
