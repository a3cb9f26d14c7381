// tokenizer_config.json and special_tokens_map.json, as transformers writes them beside
// tokenizer.json: the special tokens' names (a string, or {"content": …} for an AddedToken) and the
// add_bos_token / add_eos_token flags. Which tokens a run adds is decided by the tokenizer
// (post_processor first); these only fill in what tokenizer.json leaves unsaid. Pure.
import type { SpecialRole, SpecialTokens } from '../shared/modelConfig';
import { ValidationError } from '../shared/validate';

export interface TokenizerSettings {
  special_tokens: SpecialTokens;
  add_bos_token?: boolean;
  add_eos_token?: boolean;
  /** model_max_length, when it is a real limit (transformers writes 1e30 for "none"). */
  model_max_length?: number;
}

const ROLES: readonly SpecialRole[] = ['bos', 'eos', 'pad', 'unk', 'cls', 'sep', 'mask'];

function tokenName(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as { content?: unknown }).content === 'string') {
    return (v as { content: string }).content;
  }
  return undefined;
}

function asObject(raw: unknown, file: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ValidationError(`${file} must hold a JSON object`);
  return raw as Record<string, unknown>;
}

/**
 * Merges the two files (either may be absent: undefined). tokenizer_config.json wins where both
 * name a token, as transformers' loader does.
 */
export function readTokenizerSettings(specialTokensMap: unknown, tokenizerConfig: unknown): TokenizerSettings {
  const out: TokenizerSettings = { special_tokens: {} };
  const sources: [unknown, string][] = [[specialTokensMap, 'special_tokens_map.json'], [tokenizerConfig, 'tokenizer_config.json']];
  for (const [raw, file] of sources) {
    if (raw === undefined) continue;
    const o = asObject(raw, file);
    for (const role of ROLES) {
      const name = tokenName(o[`${role}_token`]);
      if (name !== undefined) out.special_tokens[role] = name;
    }
  }
  if (tokenizerConfig !== undefined) {
    const o = asObject(tokenizerConfig, 'tokenizer_config.json');
    if (typeof o.add_bos_token === 'boolean') out.add_bos_token = o.add_bos_token;
    if (typeof o.add_eos_token === 'boolean') out.add_eos_token = o.add_eos_token;
    const m = o.model_max_length;
    if (typeof m === 'number' && Number.isInteger(m) && m > 0 && m < 1e7) out.model_max_length = m;
  }
  return out;
}
