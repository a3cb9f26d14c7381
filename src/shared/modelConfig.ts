// The model contract's config.json, typed and checked (see models/README.md).
import { Check, ValidationError, arrayOf, bool, int, object, oneOf, optional, str } from './validate';

export type Architecture = 'causal' | 'bidirectional';

export interface ModelConfig {
  name: string;
  architecture: Architecture;
  num_layers: number;
  num_heads: number;
  max_tokens: number;
  vocab_size?: number;
  head_dim?: number;
  special_tokens: { bos?: string; eos?: string; pad?: string };
  /** Prepend the bos token to every input (the default model was trained that way). */
  prepend_bos?: boolean;
  /** The heads the model card names for pronouns and code identifiers: [layer, head], 0-based. */
  heads?: { pronoun?: [number, number]; code?: [number, number] };
}

const layerHead: Check<[number, number]> = (v, w) => {
  const a = arrayOf(int, 2)(v, w);
  if (a.length !== 2) throw new ValidationError(`${w} must be [layer, head]`);
  return [a[0], a[1]];
};

const checkConfig = object<ModelConfig>({
  name: str,
  architecture: oneOf('causal', 'bidirectional'),
  num_layers: int,
  num_heads: int,
  max_tokens: int,
  vocab_size: optional(int),
  head_dim: optional(int),
  special_tokens: object({ bos: optional(str), eos: optional(str), pad: optional(str) }),
  prepend_bos: optional(bool),
  heads: optional(object({ pronoun: optional(layerHead), code: optional(layerHead) })),
});

/** Parses config.json's text; throws ValidationError saying what is wrong. */
export function parseModelConfig(text: string): ModelConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`config.json is not valid JSON: ${(e as Error).message}`);
  }
  const c = checkConfig(raw, 'config.json');
  for (const k of ['num_layers', 'num_heads', 'max_tokens'] as const) {
    if (c[k] < 1) throw new ValidationError(`config.json.${k} must be at least 1`);
  }
  for (const [kind, lh] of Object.entries(c.heads ?? {})) {
    if (lh && (lh[0] < 0 || lh[0] >= c.num_layers || lh[1] < 0 || lh[1] >= c.num_heads)) {
      throw new ValidationError(`config.json.heads.${kind} [${lh}] is outside ${c.num_layers} layers × ${c.num_heads} heads`);
    }
  }
  return c;
}
