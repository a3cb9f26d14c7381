// What the page feeds each input a graph declares: token ids, an all-ones attention mask, zero
// token types, positions 0…n−1, empty (length 0) past keys and values, and `false` for a merged
// decoder's cache switch — in the element type the graph declares. Anything else cannot be filled.
import { ELEM, OnnxValue, elemName } from './model';

export type InputRole = 'input_ids' | 'attention_mask' | 'token_type_ids' | 'position_ids' | 'past' | 'use_cache_branch';
export type FeedType = 'int64' | 'int32' | 'float32' | 'float16' | 'bool';

export interface InputPlan {
  name: string;
  role: InputRole;
  type: FeedType;
  /** For `past`: the shape to feed, sequence axis 0. Otherwise null ([1, seq], or [1] for the switch). */
  emptyShape: number[] | null;
}

/** Sizes the graph may leave symbolic in past_key_values' shape, from the model's config. */
export interface PastSizes {
  kvHeads?: number;
  headDim?: number;
}

export class InputError extends Error {
  constructor(readonly input: string, message: string) {
    super(message);
  }
}

const TYPES: Record<number, FeedType> = {
  [ELEM.int64]: 'int64', [ELEM.int32]: 'int32', [ELEM.float]: 'float32', [ELEM.float16]: 'float16', [ELEM.bool]: 'bool',
};
const ACCEPTS: Record<InputRole, FeedType[]> = {
  input_ids: ['int64', 'int32'],
  attention_mask: ['int64', 'int32', 'float32', 'bool'],
  token_type_ids: ['int64', 'int32'],
  position_ids: ['int64', 'int32'],
  past: ['float32', 'float16'],
  use_cache_branch: ['bool'],
};

function roleOf(name: string): InputRole | null {
  if (name === 'input_ids' || name === 'attention_mask' || name === 'token_type_ids' || name === 'position_ids' || name === 'use_cache_branch') return name;
  if (/^(past_key_values|past_key_value|past)[._]/.test(name)) return 'past';
  return null;
}

const shown = (v: OnnxValue): string => `${elemName(v.elemType)}${v.dims ? ` [${v.dims.map((d) => d ?? '?').join(', ')}]` : ''}`;
const FILLS = 'input_ids, attention_mask, token_type_ids, position_ids, past_key_values.* and use_cache_branch';

function pastShape(v: OnnxValue, sizes: PastSizes, file: string): number[] {
  const dims = v.dims;
  if (!dims || dims.length !== 4) {
    throw new InputError(v.name, `${file} declares ${v.name} as ${shown(v)}; Attention Lens feeds past keys and values of shape [batch, kv_heads, past_length, head_dim] only`);
  }
  const fallback = [1, sizes.kvHeads, 0, sizes.headDim];
  return dims.map((d, i) => {
    if (i === 0) return 1;
    if (i === 2) return 0;
    if (typeof d === 'number' && d > 0) return d;
    const f = fallback[i];
    if (f === undefined) {
      throw new InputError(v.name, `${file} leaves axis ${i} of ${v.name} (${shown(v)}) unnamed in size, and config.json does not give it (${i === 1 ? 'num_key_value_heads' : 'head_dim'}), so the empty past cannot be shaped`);
    }
    return f;
  });
}

/** How to fill each of the graph's inputs; throws InputError naming the first one it cannot fill. */
export function planInputs(inputs: readonly OnnxValue[], initializers: ReadonlySet<string>, sizes: PastSizes = {}, file = 'model.onnx'): InputPlan[] {
  const plans: InputPlan[] = [];
  // An input with an initializer of the same name has a default value: onnxruntime uses it.
  for (const v of inputs.filter((i) => !initializers.has(i.name))) {
    const role = roleOf(v.name);
    const type = v.elemType === undefined ? undefined : TYPES[v.elemType];
    if (role === null) {
      throw new InputError(v.name, `${file} asks for an input named ${v.name} (${shown(v)}) that Attention Lens cannot fill; it feeds ${FILLS}`);
    }
    if (type === undefined || !ACCEPTS[role].includes(type)) {
      throw new InputError(v.name, `${file} declares ${v.name} as ${shown(v)}; Attention Lens feeds it as ${ACCEPTS[role].join(' or ')}`);
    }
    if (role !== 'past' && role !== 'use_cache_branch' && v.dims && typeof v.dims[1] === 'number' && v.dims[1] > 1) {
      throw new InputError(v.name, `${file} was exported with a fixed sequence length (${v.name} ${shown(v)}); export it with a dynamic sequence axis`);
    }
    plans.push({ name: v.name, role, type, emptyShape: role === 'past' ? pastShape(v, sizes, file) : null });
  }
  if (!plans.some((p) => p.role === 'input_ids')) {
    throw new InputError('input_ids', `${file} has no input_ids input (its inputs: ${inputs.map((i) => i.name).join(', ')})`);
  }
  return plans;
}
