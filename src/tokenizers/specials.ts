// Which special tokens the tokenizer itself puts around a text: its post_processor
// (TemplateProcessing, BertProcessing, RobertaProcessing, Sequence; ByteLevel adds none), then
// tokenizer_config.json's add_bos_token / add_eos_token, which Hugging Face's Llama-family fast
// tokenizers apply over the template (true adds the token, false takes it away).
import { JsonObject, TokenizerFormatError, field, isObject, tokenName } from './json';

export interface SpecialRef {
  id: number;
  token: string;
}

export interface SpecialPlan {
  prefix: SpecialRef[];
  suffix: SpecialRef[];
}

function pair(v: unknown, where: string): SpecialRef {
  if (!Array.isArray(v) || typeof v[0] !== 'string' || !Number.isInteger(v[1])) {
    throw new TokenizerFormatError(`${where} must be ["token", id]`);
  }
  return { token: v[0], id: v[1] as number };
}

function template(c: JsonObject, where: string): SpecialPlan {
  const single = c.single;
  if (!Array.isArray(single)) throw new TokenizerFormatError(`${where}.single must be a list`);
  const table = isObject(c.special_tokens) ? c.special_tokens : {};
  const plan: SpecialPlan = { prefix: [], suffix: [] };
  let seenSequence = false;
  single.forEach((item: unknown, i) => {
    if (!isObject(item)) throw new TokenizerFormatError(`${where}.single[${i}] must be an object`);
    if (isObject(item.Sequence)) {
      seenSequence = true;
      return;
    }
    const st = item.SpecialToken;
    if (!isObject(st) || typeof st.id !== 'string') throw new TokenizerFormatError(`${where}.single[${i}] must be a SpecialToken or a Sequence`);
    const entry = table[st.id];
    if (!isObject(entry) || !Array.isArray(entry.ids) || !Array.isArray(entry.tokens) || entry.ids.length !== entry.tokens.length) {
      throw new TokenizerFormatError(`${where}.special_tokens has no ids and tokens for ${JSON.stringify(st.id)}`);
    }
    entry.ids.forEach((id: unknown, k) => {
      const token = (entry.tokens as unknown[])[k];
      if (!Number.isInteger(id) || typeof token !== 'string') throw new TokenizerFormatError(`${where}.special_tokens.${st.id} has a bad id or token`);
      (seenSequence ? plan.suffix : plan.prefix).push({ id: id as number, token });
    });
  });
  return plan;
}

/** The special tokens a tokenizer.json's post_processor adds around one text. */
export function postProcessorPlan(cfg: unknown, where = 'post_processor'): SpecialPlan {
  if (cfg === null || cfg === undefined) return { prefix: [], suffix: [] };
  if (!isObject(cfg)) throw new TokenizerFormatError(`${where} must be an object or null`);
  const type = field(cfg, 'type', where);
  switch (type) {
    case 'TemplateProcessing':
      return template(cfg, where);
    case 'BertProcessing':
    case 'RobertaProcessing':
      return { prefix: [pair(cfg.cls, `${where}.cls`)], suffix: [pair(cfg.sep, `${where}.sep`)] };
    case 'ByteLevel':
      return { prefix: [], suffix: [] };
    case 'Sequence': {
      if (!Array.isArray(cfg.processors)) throw new TokenizerFormatError(`${where}.processors must be a list`);
      const plans = cfg.processors.map((p, i) => postProcessorPlan(p, `${where}.processors[${i}]`));
      return { prefix: plans.flatMap((p) => p.prefix), suffix: plans.flatMap((p) => p.suffix) };
    }
    default:
      throw new TokenizerFormatError(`${where}: post-processor type ${JSON.stringify(type)} is not supported (supported: TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence)`);
  }
}

/**
 * Applies tokenizer_config.json's add_bos_token / add_eos_token to the plan. `idOf` looks a token
 * up in the tokenizer; `file` names tokenizer_config.json in messages.
 */
export function applyTokenizerConfig(plan: SpecialPlan, config: unknown, idOf: (t: string) => number | undefined, file = 'tokenizer_config.json'): SpecialPlan {
  if (!isObject(config)) return plan;
  const out: SpecialPlan = { prefix: [...plan.prefix], suffix: [...plan.suffix] };
  const apply = (flag: unknown, nameKey: 'bos_token' | 'eos_token', list: SpecialRef[], atStart: boolean): void => {
    if (typeof flag !== 'boolean') return;
    const name = tokenName(config[nameKey]);
    if (name === undefined) {
      if (flag) throw new TokenizerFormatError(`${file} sets add_${nameKey} but names no ${nameKey}`);
      return;
    }
    const has = list.findIndex((s) => s.token === name);
    if (!flag) {
      if (has >= 0) list.splice(has, 1);
      return;
    }
    if (has >= 0) return;
    const id = idOf(name);
    if (id === undefined) throw new TokenizerFormatError(`${file} names ${JSON.stringify(name)} as ${nameKey}, but tokenizer.json has no such token`);
    if (atStart) list.unshift({ id, token: name });
    else list.push({ id, token: name });
  };
  apply(config.add_bos_token, 'bos_token', out.prefix, true);
  apply(config.add_eos_token, 'eos_token', out.suffix, false);
  return out;
}
