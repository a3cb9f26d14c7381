// The bundled models honour the model contract that the extension relies on: the decoder (models/default)
// and the encoder (models/encoder).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { parseModelConfig } from '../../src/shared/modelConfig';

const MODELS = path.resolve(__dirname, '../../../models');

for (const [folder, architecture] of [['default', 'causal'], ['encoder', 'bidirectional']] as const) {
  const MODEL_DIR = path.join(MODELS, folder);

  describe(`bundled model (models/${folder}) contract`, function () {
    this.timeout(120_000);
    const config = parseModelConfig(fs.readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8'));
    let session: ort.InferenceSession;

    before(async () => {
      session = await ort.InferenceSession.create(path.join(MODEL_DIR, 'model.onnx'));
    });

    it(`is a ${architecture} model with the files of a model folder, and a model under 16 MB`, () => {
      assert.strictEqual(config.architecture, architecture);
      for (const f of ['model.onnx', 'tokenizer.json', 'config.json', 'MODEL_CARD.md']) {
        assert.ok(fs.existsSync(path.join(MODEL_DIR, f)), `${f} is missing`);
      }
      assert.ok(fs.statSync(path.join(MODEL_DIR, 'model.onnx')).size <= 16 * 1024 * 1024);
    });

    it('takes input_ids and returns logits, attentions, queries and keys per layer', () => {
      assert.deepStrictEqual(session.inputNames, ['input_ids']);
      for (let l = 0; l < config.num_layers; l++) {
        for (const n of [`attentions.${l}`, `queries.${l}`, `keys.${l}`]) assert.ok(session.outputNames.includes(n), n);
      }
      assert.ok(session.outputNames.includes('logits'));
    });

    it('names pronoun and code heads inside the model, both trained', () => {
      assert.ok(config.heads?.pronoun && config.heads?.code, 'config.json names no heads');
      const raw = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8')) as { trained_heads?: string[] };
      assert.deepStrictEqual([...(raw.trained_heads ?? [])].sort(), ['code', 'pronoun']);
    });

    it('vocabulary of tokenizer.json and of the graph agree', async () => {
      const tok = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'tokenizer.json'), 'utf8'));
      const vocab = Object.keys(tok.model.vocab).length;
      assert.strictEqual(vocab, config.vocab_size);
      const out = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from([0n, 1n]), [1, 2]) });
      assert.strictEqual(out.logits.dims[2], vocab);
    });

    for (const seq of [1, 37, 512]) {
      it(`returns fp32 attention probabilities at ${seq} tokens: [1, heads, seq, seq], rows sum to 1${architecture === 'causal' ? ', nothing on later tokens' : ''}`, async () => {
        const ids = BigInt64Array.from({ length: seq }, (_, i) => BigInt(i === 0 ? 0 : (i * 7919) % config.vocab_size!));
        const out = await session.run({ input_ids: new ort.Tensor('int64', ids, [1, seq]) });
        for (let l = 0; l < config.num_layers; l++) {
          const a = out[`attentions.${l}`];
          assert.strictEqual(a.type, 'float32');
          assert.deepStrictEqual(a.dims, [1, config.num_heads, seq, seq]);
          assert.deepStrictEqual(out[`queries.${l}`].dims.slice(0, 3), [1, config.num_heads, seq]);
          const data = a.data as Float32Array;
          let later = 0;
          for (let h = 0; h < config.num_heads; h++) {
            for (let i = 0; i < seq; i++) {
              let sum = 0;
              for (let j = 0; j < seq; j++) {
                const w = data[(h * seq + i) * seq + j];
                if (j > i) {
                  if (architecture === 'causal') assert.strictEqual(w, 0, `layer ${l} head ${h}: token ${i} attends to later token ${j}`);
                  later += w;
                }
                sum += w;
              }
              assert.ok(Math.abs(sum - 1) < 1e-4, `layer ${l} head ${h} row ${i} sums to ${sum}`);
            }
          }
          // an encoder's tokens see the whole input: some weight lands on later tokens
          if (architecture === 'bidirectional' && seq > 1) assert.ok(later > 0, `layer ${l}: no attention on later tokens`);
        }
      });
    }

    it('refuses more tokens than its context', async () => {
      const ids = new BigInt64Array(config.max_tokens + 1);
      await assert.rejects(session.run({ input_ids: new ort.Tensor('int64', ids, [1, ids.length]) }));
    });
  });
}
