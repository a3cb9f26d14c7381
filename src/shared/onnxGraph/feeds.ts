// The values fed to a graph's inputs for one run of batch 1 (see inputs.ts for which input gets
// what): plain typed arrays and shapes, so the page (onnxruntime-web) and the tests
// (onnxruntime-node) wrap them in their own Tensor class.
import { FeedType, InputPlan } from './inputs';

export type FeedData = BigInt64Array | Int32Array | Float32Array | Uint16Array | Uint8Array;

export interface Feed {
  name: string;
  type: FeedType;
  data: FeedData;
  dims: number[];
}

function filled(type: FeedType, n: number, value: (i: number) => number): FeedData {
  switch (type) {
    case 'int64': return BigInt64Array.from({ length: n }, (_, i) => BigInt(value(i)));
    case 'int32': return Int32Array.from({ length: n }, (_, i) => value(i));
    case 'float32': return Float32Array.from({ length: n }, (_, i) => value(i));
    case 'bool': return Uint8Array.from({ length: n }, (_, i) => (value(i) ? 1 : 0));
    // float16 bits: only 0 and 1 occur (1.0 = 0x3c00)
    case 'float16': return Uint16Array.from({ length: n }, (_, i) => (value(i) ? 0x3c00 : 0));
  }
}

/** One feed per planned input, for the token ids `ids`. */
export function makeFeeds(plans: readonly InputPlan[], ids: readonly number[]): Feed[] {
  const seq = ids.length;
  return plans.map((p): Feed => {
    switch (p.role) {
      case 'input_ids': return { name: p.name, type: p.type, data: filled(p.type, seq, (i) => ids[i]), dims: [1, seq] };
      case 'attention_mask': return { name: p.name, type: p.type, data: filled(p.type, seq, () => 1), dims: [1, seq] };
      case 'token_type_ids': return { name: p.name, type: p.type, data: filled(p.type, seq, () => 0), dims: [1, seq] };
      case 'position_ids': return { name: p.name, type: p.type, data: filled(p.type, seq, (i) => i), dims: [1, seq] };
      case 'use_cache_branch': return { name: p.name, type: p.type, data: filled(p.type, 1, () => 0), dims: [1] };
      case 'past': {
        const dims = p.emptyShape ?? [1, 1, 0, 1];
        return { name: p.name, type: p.type, data: filled(p.type, 0, () => 0), dims };
      }
    }
  });
}
