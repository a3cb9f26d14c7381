// Which variant of a Hugging Face ONNX repository a graph file is, from its name as
// transformers.js names them (utils/dtypes.js): {base}{suffix}.onnx, the suffix by dtype. Pure;
// the host ranks a folder's graphs with it and the panel header names the one that runs.

export type GraphDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';

const SUFFIX: [RegExp, GraphDtype][] = [
  [/_q4f16$/, 'q4f16'], [/_fp16$/, 'fp16'], [/_quantized$/, 'q8'], [/_int8$/, 'int8'], [/_uint8$/, 'uint8'],
  [/_bnb4$/, 'bnb4'], [/_q4$/, 'q4'],
];

/** The dtype a graph file's name says (model_quantized.onnx → q8); fp32 without a suffix. */
export function graphDtype(fileName: string): GraphDtype {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.onnx$/, '');
  return SUFFIX.find(([re]) => re.test(base))?.[1] ?? 'fp32';
}

/** What the header says of the graph that runs: "onnx/model_quantized.onnx (q8)". */
export function graphLabel(fileName: string): string {
  return `${fileName} (${graphDtype(fileName)})`;
}
