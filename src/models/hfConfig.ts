// A Hugging Face config.json as transformers writes it, read into the model description. Field
// names differ per architecture (GPT-2's n_layer, BERT's num_hidden_layers…), so each quantity is
// looked up under every name it is known by. Pure: unit-tested without VS Code.
import type { Architecture, ModelConfig, SpecialTokenIds } from '../shared/modelConfig';
import { ValidationError } from '../shared/validate';

/** Attention Lens analyses at most this many tokens per run (the protocol's limit). */
export const MAX_CONTEXT = 8192;

type Json = Record<string, unknown>;

const NAMES = {
  layers: ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers'],
  heads: ['num_attention_heads', 'n_head', 'num_heads', 'n_heads'],
  kvHeads: ['num_key_value_heads', 'num_kv_heads', 'n_kv_heads'],
  context: ['max_position_embeddings', 'n_positions', 'n_ctx', 'max_seq_len', 'seq_length'],
  hidden: ['hidden_size', 'n_embd', 'd_model', 'dim'],
  headDim: ['head_dim'],
  vocab: ['vocab_size', 'n_vocab'],
} as const;

// What a config may claim before anything is sized from it: a file from the Hub is untrusted input, and
// these are far above any real model (Llama 3.1 405B: 126 layers, 128 heads, hidden 16384, vocab 128256).
const LIMITS: Record<keyof typeof NAMES, number> = {
  layers: 1024, heads: 1024, kvHeads: 1024, context: 64 * 1024 * 1024, hidden: 131072, headDim: 4096, vocab: 4 * 1024 * 1024,
};

// Model types whose attention sees the whole input. Anything else with a causal head, or unknown
// with is_decoder, is causal; an unknown type without either is refused rather than guessed.
const ENCODER_TYPES = new Set([
  'bert', 'roberta', 'distilbert', 'albert', 'electra', 'xlm-roberta', 'camembert', 'deberta', 'deberta-v2',
  'mpnet', 'modernbert', 'nomic_bert', 'ernie', 'xlm', 'flaubert', 'mobilebert', 'squeezebert', 'layoutlm',
  'roformer', 'funnel', 'ibert', 'megatron-bert', 'nezha', 'rembert', 'canine', 'esm', 'data2vec-text',
]);
const DECODER_TYPES = new Set([
  'gpt2', 'gpt_neo', 'gpt_neox', 'gptj', 'gpt_bigcode', 'llama', 'mistral', 'mixtral', 'qwen2', 'qwen3', 'phi',
  'phi3', 'gemma', 'gemma2', 'gemma3_text', 'opt', 'bloom', 'falcon', 'stablelm', 'starcoder2', 'olmo', 'olmo2',
  'smollm3', 'codegen', 'mpt', 'cohere', 'granite', 'ctrl', 'openai-gpt', 'xglm', 'biogpt', 'tinyllama',
]);

/** True when the text's JSON looks like transformers' config (not our own contract). */
export function isHuggingFaceConfig(raw: unknown): raw is Json {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const r = raw as Json;
  return typeof r.model_type === 'string' || Array.isArray(r.architectures) || NAMES.layers.some((k) => k !== 'num_layers' && k in r);
}

function lookup(raw: Json, key: keyof typeof NAMES, what: string): { value: number; name: string } | undefined {
  for (const n of NAMES[key]) {
    const v = raw[n];
    if (v === undefined || v === null) continue;
    if (!Number.isInteger(v) || (v as number) < 1) throw new ValidationError(`config.json.${n} (${what}) must be a positive integer`);
    if ((v as number) > LIMITS[key]) {
      throw new ValidationError(`config.json.${n} (${what}) is ${String(v)}, more than Attention Lens accepts (${LIMITS[key]}); refused before anything is allocated`);
    }
    return { value: v as number, name: n };
  }
  return undefined;
}

function required(raw: Json, key: keyof typeof NAMES, what: string): number {
  const found = lookup(raw, key, what);
  if (!found) throw new ValidationError(`config.json gives no ${what} (looked for ${NAMES[key].join(', ')})`);
  return found.value;
}

/** Causal or bidirectional, from architectures, model_type and is_decoder; throws when nothing says. */
export function architectureOf(raw: Json): Architecture {
  if (raw.is_encoder_decoder === true) {
    throw new ValidationError(`config.json describes an encoder-decoder model (${String(raw.model_type ?? 'unknown type')}); Attention Lens runs decoder-only or encoder-only models`);
  }
  const archs = Array.isArray(raw.architectures) ? raw.architectures.filter((a): a is string => typeof a === 'string') : [];
  for (const a of archs) {
    if (/ForCausalLM$|LMHeadModel$/.test(a)) return 'causal';
    if (/ForMaskedLM$|ForSequenceClassification$|ForTokenClassification$|ForQuestionAnswering$|ForMultipleChoice$|ForPreTraining$|ForNextSentencePrediction$/.test(a)) {
      return raw.is_decoder === true ? 'causal' : 'bidirectional';
    }
  }
  if (raw.is_decoder === true) return 'causal';
  const type = typeof raw.model_type === 'string' ? raw.model_type.toLowerCase() : '';
  if (ENCODER_TYPES.has(type)) return 'bidirectional';
  if (DECODER_TYPES.has(type)) return 'causal';
  for (const a of archs) {
    if (/^(Bert|Roberta|DistilBert|Albert|Electra|XLMRoberta|Deberta|MPNet|ModernBert)/.test(a)) return 'bidirectional';
    if (/^(GPT|Llama|Mistral|Qwen|Phi|Gemma|OPT|Bloom|Falcon)/i.test(a)) return 'causal';
  }
  throw new ValidationError(`config.json does not say whether the model is causal or bidirectional (model_type ${JSON.stringify(raw.model_type ?? null)}, architectures ${JSON.stringify(archs)}); add "is_decoder": true for a decoder, or an attention-lens.json with "architecture"`);
}

/** The special-token ids config.json gives (bos_token_id, …); a list (Llama 3's eos) keeps its first. */
export function specialTokenIds(raw: Json): SpecialTokenIds {
  const out: SpecialTokenIds = {};
  for (const role of ['bos', 'eos', 'pad', 'unk', 'cls', 'sep', 'mask'] as const) {
    let v = raw[`${role}_token_id`];
    if (Array.isArray(v)) v = v[0];
    if (Number.isInteger(v) && (v as number) >= 0) out[role] = v as number;
  }
  return out;
}

/**
 * Reads transformers' config.json (already parsed) into the model description. `folderName` names
 * a model whose config has no name of its own; the display name may be replaced by attention-lens.json,
 * and `architecture` (from attention-lens.json) settles a model type this module does not know.
 */
export function parseHuggingFaceConfig(raw: Json, folderName: string, architecture?: Architecture): ModelConfig {
  const num_layers = required(raw, 'layers', 'number of layers');
  const num_heads = required(raw, 'heads', 'number of attention heads');
  const kv = lookup(raw, 'kvHeads', 'number of key/value heads')?.value;
  if (kv !== undefined && num_heads % kv !== 0) {
    throw new ValidationError(`config.json: ${num_heads} attention heads cannot share ${kv} key/value heads`);
  }
  const hidden = lookup(raw, 'hidden', 'hidden size')?.value;
  const headDim = lookup(raw, 'headDim', 'head size')?.value ?? (hidden !== undefined && hidden % num_heads === 0 ? hidden / num_heads : undefined);
  const context = lookup(raw, 'context', 'context length')?.value;
  const modelType = typeof raw.model_type === 'string' ? raw.model_type : undefined;
  // transformers writes the hub id it loaded ("gpt2"), or a local path, which names nothing useful.
  const id = typeof raw._name_or_path === 'string' ? raw._name_or_path.trim() : '';
  const nameFromConfig = id !== '' && !/^([/\\~.]|[A-Za-z]:)/.test(id) ? id : undefined;
  const config: ModelConfig = {
    name: nameFromConfig ?? (modelType ? `${modelType} (${folderName})` : folderName),
    architecture: architecture ?? architectureOf(raw),
    num_layers,
    num_heads,
    // A model that declares no context (rotary Llama variants may not) still gets a bounded window.
    max_tokens: Math.min(context ?? 2048, MAX_CONTEXT),
    special_tokens: {},
    special_token_ids: specialTokenIds(raw),
    source: 'huggingface',
  };
  if (context !== undefined) config.context = context;
  if (modelType !== undefined) config.model_type = modelType;
  const vocab = lookup(raw, 'vocab', 'vocabulary size')?.value;
  if (vocab !== undefined) config.vocab_size = vocab;
  if (hidden !== undefined) config.hidden_size = hidden;
  if (headDim !== undefined) config.head_dim = headDim;
  if (kv !== undefined && kv !== num_heads) config.num_kv_heads = kv;
  return config;
}
