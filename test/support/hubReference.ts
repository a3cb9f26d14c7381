// The reference for a Hub form: onnxruntime-node (CPU) on the form's reference graph — the same
// weights with every Softmax output added by the onnx library (make_hub_forms.py writes it beside the
// form under _reference/). Used by the browser tests (the page) and the VS Code tests (the panel).
import * as ort from 'onnxruntime-node';

/** The Softmax outputs for `ids` with no past (use_cache_branch false, empty past): [layer] → heads·S·S. */
export async function hubReference(referenceFile: string, ids: readonly number[], kvHeads: number, headDim: number): Promise<Float32Array[]> {
  const s = await ort.InferenceSession.create(referenceFile);
  try {
    const i64 = (v: (i: number) => number): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(v(i))), [1, ids.length]);
    const feeds: Record<string, ort.Tensor> = {};
    for (const n of s.inputNames) {
      if (n === 'input_ids') feeds[n] = i64((i) => ids[i]);
      else if (n === 'attention_mask') feeds[n] = i64(() => 1);
      else if (n === 'position_ids') feeds[n] = i64((i) => i);
      else if (n === 'use_cache_branch') feeds[n] = new ort.Tensor('bool', [false], [1]);
      else feeds[n] = new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    }
    const names = s.outputNames.filter((n) => /Softmax/.test(n));
    if (names.length === 0) throw new Error(`${referenceFile} exposes no Softmax output`);
    const out = await s.run(feeds, names);
    return names.map((n) => Float32Array.from(out[n].data as Float32Array));
  } finally {
    await s.release();
  }
}

/** The largest |exported − reference| over every layer, head, query and key (S tokens). */
export function maxAbsDiff(exported: number[][][][], reference: readonly Float32Array[], S: number): number {
  if (exported.length !== reference.length) throw new Error(`${exported.length} layers exported, ${reference.length} in the reference`);
  let worst = 0;
  exported.forEach((heads, l) => heads.forEach((rows, h) => rows.forEach((r, i) => {
    for (let j = 0; j < S; j++) worst = Math.max(worst, Math.abs((r[j] ?? 0) - reference[l][(h * S + i) * S + j]));
  })));
  return worst;
}
