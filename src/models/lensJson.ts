// attention-lens.json: an optional file a user puts beside a downloaded model folder to give it a
// display name, say causal/bidirectional where config.json cannot, and name heads. Checked like
// every other file; a head outside the model is refused with the file's name. Pure.
import { HeadRole, ModelConfig, NamedHead, checkModelConfig, namedHead } from '../shared/modelConfig';
import { Check, ValidationError, arrayOf, int, object, oneOf, optional, str } from '../shared/validate';

export const LENS_JSON = 'attention-lens.json';

export interface LensJson {
  name?: string;
  architecture?: 'causal' | 'bidirectional';
  heads?: { pronoun?: [number, number]; code?: [number, number] };
  trained_heads?: HeadRole[];
  named_heads?: NamedHead[];
}

const layerHead: Check<[number, number]> = (v, w) => {
  const a = arrayOf(int, 2)(v, w);
  if (a.length !== 2) throw new ValidationError(`${w} must be [layer, head]`);
  return [a[0], a[1]];
};

const check = object<LensJson>({
  name: optional(str),
  architecture: optional(oneOf('causal', 'bidirectional')),
  heads: optional(object({ pronoun: optional(layerHead), code: optional(layerHead) })),
  trained_heads: optional(arrayOf(oneOf<HeadRole>('pronoun', 'code'), 2)),
  named_heads: optional(arrayOf(namedHead, 256)),
});

export function parseLensJson(raw: unknown): LensJson {
  return check(raw, LENS_JSON);
}

/** The description with attention-lens.json's additions; throws when they do not fit the model. */
export function applyLensJson(config: ModelConfig, extra: LensJson): ModelConfig {
  const out: ModelConfig = { ...config };
  if (extra.name !== undefined && extra.name.trim() !== '') out.name = extra.name.trim();
  if (extra.architecture !== undefined) out.architecture = extra.architecture;
  if (extra.heads !== undefined) out.heads = { ...config.heads, ...extra.heads };
  if (extra.trained_heads !== undefined) out.trained_heads = extra.trained_heads;
  if (extra.named_heads !== undefined) out.named_heads = extra.named_heads;
  checkModelConfig(out, LENS_JSON);
  return out;
}
