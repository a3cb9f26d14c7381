// The model contract's config.json, typed and checked (see models/README.md).
import { Check, ValidationError, arrayOf, bool, int, object, oneOf, optional, str } from './validate';

export type Architecture = 'causal' | 'bidirectional';

export type SpecialRole = 'bos' | 'eos' | 'pad' | 'unk' | 'cls' | 'sep' | 'mask';
export type SpecialTokens = { [R in SpecialRole]?: string };
export type SpecialTokenIds = { [R in SpecialRole]?: number };
export type HeadRole = 'pronoun' | 'code';

export interface NamedHead { name: string; layer: number; head: number; trained?: boolean }

/**
 * The one description of a model, whatever its folder held: our contract's config.json, or a
 * Hugging Face config.json (src/models/hfConfig.ts) with its tokenizer files and attention-lens.json.
 */
export interface ModelConfig {
  name: string;
  architecture: Architecture;
  num_layers: number;
  num_heads: number;
  /** Most tokens per run: the model's context, capped at what Attention Lens supports. */
  max_tokens: number;
  vocab_size?: number;
  head_dim?: number;
  hidden_size?: number;
  /** Grouped-query attention: key/value heads shared by num_heads query heads (absent: one each). */
  num_kv_heads?: number;
  /** Positions the model declares, before max_tokens caps them. */
  context?: number;
  /** Hugging Face model_type (gpt2, bert, llama…). */
  model_type?: string;
  source?: 'contract' | 'huggingface';
  special_tokens: SpecialTokens;
  special_token_ids?: SpecialTokenIds;
  /** tokenizer_config.json's flags, where the folder has one. */
  add_bos_token?: boolean;
  add_eos_token?: boolean;
  /** Prepend the bos token to every input (the default model was trained that way). */
  prepend_bos?: boolean;
  /** The heads the model card names for pronouns and code identifiers: [layer, head], 0-based. */
  heads?: { pronoun?: [number, number]; code?: [number, number] };
  /** Roles in `heads` whose head was trained for it with an auxiliary loss (not found afterwards). */
  trained_heads?: HeadRole[];
  /** Heads named in attention-lens.json. */
  named_heads?: NamedHead[];
  /** The tokenizer's family as the panel header shows it ("byte-level BPE", "WordPiece"…). */
  tokenizer_family?: string;
}

const layerHead: Check<[number, number]> = (v, w) => {
  const a = arrayOf(int, 2)(v, w);
  if (a.length !== 2) throw new ValidationError(`${w} must be [layer, head]`);
  return [a[0], a[1]];
};

export const namedHead = object<NamedHead>({ name: str, layer: int, head: int, trained: optional(bool) });

const checkConfig = object<ModelConfig>({
  name: str,
  architecture: oneOf('causal', 'bidirectional'),
  num_layers: int,
  num_heads: int,
  max_tokens: int,
  vocab_size: optional(int),
  head_dim: optional(int),
  hidden_size: optional(int),
  num_kv_heads: optional(int),
  context: optional(int),
  model_type: optional(str),
  source: optional(oneOf('contract', 'huggingface')),
  special_tokens: object({
    bos: optional(str), eos: optional(str), pad: optional(str), unk: optional(str), cls: optional(str), sep: optional(str), mask: optional(str),
  }),
  special_token_ids: optional(object({
    bos: optional(int), eos: optional(int), pad: optional(int), unk: optional(int), cls: optional(int), sep: optional(int), mask: optional(int),
  })),
  add_bos_token: optional(bool),
  add_eos_token: optional(bool),
  prepend_bos: optional(bool),
  heads: optional(object({ pronoun: optional(layerHead), code: optional(layerHead) })),
  trained_heads: optional(arrayOf(oneOf<HeadRole>('pronoun', 'code'), 2)),
  named_heads: optional(arrayOf(namedHead, 256)),
  tokenizer_family: optional(str),
});

/** Parses config.json's text (our contract); throws ValidationError saying what is wrong. */
export function parseModelConfig(text: string): ModelConfig {
  return checkContractConfig(parseJson(text, 'config.json'));
}

export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Checks an already parsed contract config.json. */
export function checkContractConfig(raw: unknown): ModelConfig {
  const c = checkConfig(raw, 'config.json');
  checkModelConfig(c, 'config.json');
  return c;
}

/** The checks every description must pass, whichever file it came from. */
export function checkModelConfig(c: ModelConfig, file: string): void {
  for (const k of ['num_layers', 'num_heads', 'max_tokens'] as const) {
    if (c[k] < 1) throw new ValidationError(`${file}.${k} must be at least 1`);
  }
  if (c.num_kv_heads !== undefined && (c.num_kv_heads < 1 || c.num_heads % c.num_kv_heads !== 0)) {
    throw new ValidationError(`${file}: ${c.num_heads} heads cannot share ${c.num_kv_heads} key/value heads`);
  }
  const outside = (lh: readonly [number, number]): boolean => lh[0] < 0 || lh[0] >= c.num_layers || lh[1] < 0 || lh[1] >= c.num_heads;
  for (const [kind, lh] of Object.entries(c.heads ?? {})) {
    if (lh && outside(lh)) {
      throw new ValidationError(`${file}.heads.${kind} [${lh}] is outside ${c.num_layers} layers × ${c.num_heads} heads`);
    }
  }
  for (const h of c.named_heads ?? []) {
    if (outside([h.layer, h.head])) {
      throw new ValidationError(`${file}: the head named ${JSON.stringify(h.name)} [${h.layer}, ${h.head}] is outside ${c.num_layers} layers × ${c.num_heads} heads`);
    }
  }
}
