// Hugging Face config.json (as transformers writes it for GPT-2, BERT, DistilBERT, RoBERTa, Llama,
// Qwen2), tokenizer_config.json / special_tokens_map.json and attention-lens.json, read into the one
// model description; our own contract's config.json still reads as before.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { describeModel } from '../../src/models/describe';
import { architectureOf, isHuggingFaceConfig, parseHuggingFaceConfig } from '../../src/models/hfConfig';
import { readTokenizerSettings } from '../../src/models/tokenizerFiles';
import { parseModelConfig } from '../../src/shared/modelConfig';

const BUNDLED = path.resolve(__dirname, '../../../models/default');

// The fields each architecture's config.json has, under the names transformers uses for it.
const GPT2 = {
  activation_function: 'gelu_new', architectures: ['GPT2LMHeadModel'], bos_token_id: 50256, eos_token_id: 50256,
  model_type: 'gpt2', n_ctx: 1024, n_embd: 768, n_head: 12, n_layer: 12, n_positions: 1024, vocab_size: 50257,
};
const BERT = {
  architectures: ['BertForMaskedLM'], hidden_size: 768, max_position_embeddings: 512, model_type: 'bert',
  num_attention_heads: 12, num_hidden_layers: 12, pad_token_id: 0, type_vocab_size: 2, vocab_size: 30522,
};
const DISTILBERT = {
  architectures: ['DistilBertForMaskedLM'], dim: 768, max_position_embeddings: 512, model_type: 'distilbert',
  n_heads: 12, n_layers: 6, pad_token_id: 0, vocab_size: 30522,
};
const LLAMA = {
  architectures: ['LlamaForCausalLM'], bos_token_id: 1, eos_token_id: 2, hidden_size: 2048, max_position_embeddings: 2048,
  model_type: 'llama', num_attention_heads: 32, num_hidden_layers: 22, num_key_value_heads: 4, vocab_size: 32000,
};
const QWEN2 = {
  architectures: ['Qwen2ForCausalLM'], bos_token_id: 151643, eos_token_id: [151645, 151643], hidden_size: 896,
  max_position_embeddings: 32768, model_type: 'qwen2', num_attention_heads: 14, num_hidden_layers: 24, num_key_value_heads: 2,
  vocab_size: 151936,
};

describe('model description: Hugging Face config.json as it is', () => {
  it('GPT-2: n_layer, n_head, n_positions, n_embd; causal; bos/eos ids', () => {
    const c = parseHuggingFaceConfig(GPT2, 'gpt2');
    assert.strictEqual(c.architecture, 'causal');
    assert.strictEqual(c.num_layers, 12);
    assert.strictEqual(c.num_heads, 12);
    assert.strictEqual(c.max_tokens, 1024);
    assert.strictEqual(c.hidden_size, 768);
    assert.strictEqual(c.head_dim, 64);
    assert.strictEqual(c.vocab_size, 50257);
    assert.strictEqual(c.num_kv_heads, undefined);
    assert.deepStrictEqual(c.special_token_ids, { bos: 50256, eos: 50256 });
    assert.strictEqual(c.source, 'huggingface');
    assert.strictEqual(c.model_type, 'gpt2');
    assert.strictEqual(c.name, 'gpt2 (gpt2)');
    assert.strictEqual(c.prepend_bos, undefined);
    assert.strictEqual(parseHuggingFaceConfig({ ...GPT2, _name_or_path: 'HuggingFaceTB/SmolLM2-135M' }, 'x').name, 'HuggingFaceTB/SmolLM2-135M');
    assert.strictEqual(parseHuggingFaceConfig({ ...GPT2, _name_or_path: '/tmp/tmpa1b2/model' }, 'gpt2-export').name, 'gpt2 (gpt2-export)');
  });

  it('BERT and DistilBERT: their own names; bidirectional', () => {
    const b = parseHuggingFaceConfig(BERT, 'bert-base-uncased');
    assert.deepStrictEqual([b.architecture, b.num_layers, b.num_heads, b.max_tokens, b.head_dim], ['bidirectional', 12, 12, 512, 64]);
    assert.deepStrictEqual(b.special_token_ids, { pad: 0 });
    const d = parseHuggingFaceConfig(DISTILBERT, 'distilbert');
    assert.deepStrictEqual([d.architecture, d.num_layers, d.num_heads, d.hidden_size], ['bidirectional', 6, 12, 768]);
  });

  it('Llama and Qwen2: grouped-query kv heads; a long context is capped at 8192; an eos list keeps its first', () => {
    const l = parseHuggingFaceConfig(LLAMA, 'TinyLlama');
    assert.deepStrictEqual([l.architecture, l.num_layers, l.num_heads, l.num_kv_heads, l.head_dim], ['causal', 22, 32, 4, 64]);
    const q = parseHuggingFaceConfig(QWEN2, 'qwen');
    assert.strictEqual(q.max_tokens, 8192);
    assert.strictEqual(q.context, 32768);
    assert.strictEqual(q.num_kv_heads, 2);
    assert.strictEqual(q.special_token_ids?.eos, 151645);
  });

  it('causal or bidirectional from architectures, model_type and is_decoder', () => {
    assert.strictEqual(architectureOf({ architectures: ['RobertaForMaskedLM'] }), 'bidirectional');
    assert.strictEqual(architectureOf({ architectures: ['BertModel'], model_type: 'bert' }), 'bidirectional');
    assert.strictEqual(architectureOf({ architectures: ['DistilBertModel'] }), 'bidirectional');
    assert.strictEqual(architectureOf({ model_type: 'xlm-roberta' }), 'bidirectional');
    assert.strictEqual(architectureOf({ architectures: ['MistralForCausalLM'] }), 'causal');
    assert.strictEqual(architectureOf({ architectures: ['GPTNeoXForCausalLM'] }), 'causal');
    assert.strictEqual(architectureOf({ model_type: 'llama' }), 'causal');
    assert.strictEqual(architectureOf({ model_type: 'bert', is_decoder: true }), 'causal');
    assert.strictEqual(architectureOf({ model_type: 'somethingnew', is_decoder: true }), 'causal');
    assert.throws(() => architectureOf({ model_type: 'somethingnew' }), /does not say whether the model is causal or bidirectional.*attention-lens\.json/);
    assert.throws(() => architectureOf({ model_type: 't5', is_encoder_decoder: true }), /encoder-decoder model \(t5\)/);
  });

  it('refuses a config with no depth or heads, or kv heads that do not divide the heads', () => {
    assert.throws(() => parseHuggingFaceConfig({ model_type: 'gpt2', n_head: 12 }, 'x'), /gives no number of layers \(looked for num_hidden_layers, n_layer/);
    assert.throws(() => parseHuggingFaceConfig({ model_type: 'gpt2', n_layer: 2 }, 'x'), /gives no number of attention heads/);
    assert.throws(() => parseHuggingFaceConfig({ model_type: 'gpt2', n_layer: 'two', n_head: 2 }, 'x'), /config\.json\.n_layer \(number of layers\) must be a positive integer/);
    assert.throws(() => parseHuggingFaceConfig({ ...LLAMA, num_key_value_heads: 5 }, 'x'), /32 attention heads cannot share 5 key\/value heads/);
  });

  it('refuses a config that claims more than any real model before anything is sized from it', () => {
    const claims: [Record<string, number>, RegExp][] = [
      [{ num_hidden_layers: 1_000_000 }, /config\.json\.num_hidden_layers \(number of layers\) is 1000000, more than Attention Lens accepts \(1024\)/],
      [{ num_attention_heads: 4096, num_key_value_heads: 8 }, /num_attention_heads \(number of attention heads\) is 4096/],
      [{ hidden_size: 1 << 20 }, /hidden_size \(hidden size\) is 1048576, more than Attention Lens accepts \(131072\)/],
      [{ head_dim: 65536 }, /head_dim \(head size\) is 65536/],
      [{ vocab_size: 2 ** 31 }, /vocab_size \(vocabulary size\) is 2147483648/],
      [{ max_position_embeddings: 2 ** 40 }, /max_position_embeddings \(context length\) is 1099511627776/],
    ];
    for (const [claim, message] of claims) {
      assert.throws(() => parseHuggingFaceConfig({ ...LLAMA, ...claim }, 'x'), message);
    }
    // A real large model's numbers still pass (Llama 3.1 405B: 126 layers, 128 heads, 16384 hidden, 131072 positions).
    const big = parseHuggingFaceConfig({ ...LLAMA, num_hidden_layers: 126, num_attention_heads: 128, hidden_size: 16384, max_position_embeddings: 131072, vocab_size: 128256 }, 'x');
    assert.strictEqual(big.num_layers, 126);
  });

  it('tells the two kinds of config.json apart', () => {
    assert.strictEqual(isHuggingFaceConfig(GPT2), true);
    assert.strictEqual(isHuggingFaceConfig(DISTILBERT), true);
    assert.strictEqual(isHuggingFaceConfig(JSON.parse(fs.readFileSync(path.join(BUNDLED, 'config.json'), 'utf8'))), false);
    assert.strictEqual(isHuggingFaceConfig([]), false);
  });
});

describe('model description: tokenizer_config.json and special_tokens_map.json', () => {
  it('reads token names (plain or AddedToken objects) and the add_bos/eos flags; tokenizer_config wins', () => {
    const s = readTokenizerSettings(
      { bos_token: '<s>', eos_token: { content: '</s>', lstrip: false }, unk_token: '<unk>' },
      { bos_token: { __type: 'AddedToken', content: '<s>' }, add_bos_token: true, add_eos_token: false, model_max_length: 2048, pad_token: null },
    );
    assert.deepStrictEqual(s, { special_tokens: { bos: '<s>', eos: '</s>', unk: '<unk>' }, add_bos_token: true, add_eos_token: false, model_max_length: 2048 });
    const bert = readTokenizerSettings(undefined, { cls_token: '[CLS]', sep_token: '[SEP]', mask_token: '[MASK]', model_max_length: 1e30 });
    assert.deepStrictEqual(bert, { special_tokens: { cls: '[CLS]', sep: '[SEP]', mask: '[MASK]' } });
    assert.throws(() => readTokenizerSettings([], undefined), /special_tokens_map\.json must hold a JSON object/);
  });

  it('all files together make one description', () => {
    const c = describeModel({
      folderName: 'tiny-llama',
      config: JSON.stringify(LLAMA),
      tokenizerConfig: JSON.stringify({ add_bos_token: true, bos_token: '<s>', eos_token: '</s>' }),
      specialTokensMap: JSON.stringify({ unk_token: '<unk>' }),
    });
    assert.deepStrictEqual(c.special_tokens, { bos: '<s>', eos: '</s>', unk: '<unk>' });
    assert.strictEqual(c.add_bos_token, true);
    assert.strictEqual(c.num_kv_heads, 4);
  });
});

describe('model description: attention-lens.json and our contract', () => {
  it('our contract config.json reads as before', () => {
    const text = fs.readFileSync(path.join(BUNDLED, 'config.json'), 'utf8');
    assert.deepStrictEqual(describeModel({ folderName: 'default', config: text }), parseModelConfig(text));
    assert.strictEqual(parseModelConfig(text).prepend_bos, true);
  });

  it('adds a display name, named heads and trained heads; settles an unknown model type', () => {
    const c = describeModel({
      folderName: 'gpt2',
      config: JSON.stringify(GPT2),
      lensJson: JSON.stringify({
        name: 'GPT-2 small', heads: { pronoun: [5, 1] }, trained_heads: [],
        named_heads: [{ name: 'previous token', layer: 4, head: 11 }],
      }),
    });
    assert.strictEqual(c.name, 'GPT-2 small');
    assert.deepStrictEqual(c.heads, { pronoun: [5, 1] });
    assert.deepStrictEqual(c.named_heads, [{ name: 'previous token', layer: 4, head: 11 }]);
    const odd = describeModel({
      folderName: 'odd', config: JSON.stringify({ model_type: 'newthing', num_hidden_layers: 2, num_attention_heads: 2 }),
      lensJson: JSON.stringify({ architecture: 'bidirectional' }),
    });
    assert.strictEqual(odd.architecture, 'bidirectional');
  });

  it('names the file at fault', () => {
    const bad = (lensJson: string): unknown => describeModel({ folderName: 'g', config: JSON.stringify(GPT2), lensJson });
    assert.throws(() => bad('{"named_heads": [{"name": "x", "layer": 12, "head": 0}]}'),
      (e: Error & { fileName?: string }) => e.fileName === 'attention-lens.json' && /"x" \[12, 0\] is outside 12 layers × 12 heads/.test(e.message));
    assert.throws(() => bad('{"name": 3}'), (e: Error & { fileName?: string }) => e.fileName === 'attention-lens.json' && /attention-lens\.json\.name must be a string/.test(e.message));
    assert.throws(() => describeModel({ folderName: 'g', config: JSON.stringify(GPT2), tokenizerConfig: '{' }),
      (e: Error & { fileName?: string }) => e.fileName === 'tokenizer_config.json' && /tokenizer_config\.json is not valid JSON/.test(e.message));
  });
});
