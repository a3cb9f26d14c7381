// The bundled model honours the model contract that the extension relies on.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { parseModelConfig } from '../../src/shared/modelConfig';

const MODEL_DIR = path.resolve(__dirname, '../../../models/default');

describe('bundled model (models/default) contract', function () {
  this.timeout(60_000);
  const config = parseModelConfig(fs.readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8'));
  let session: ort.InferenceSession;

  before(async () => {
    session = await ort.InferenceSession.create(path.join(MODEL_DIR, 'model.onnx'));
  });

  it('has the files of a model folder, and a model under 16 MB', () => {
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

  it('names pronoun and code heads inside the model', () => {
    assert.ok(config.heads?.pronoun && config.heads?.code, 'config.json names no heads');
  });

  it('vocabulary of tokenizer.json and of the graph agree', async () => {
    const tok = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'tokenizer.json'), 'utf8'));
    const vocab = Object.keys(tok.model.vocab).length;
    assert.strictEqual(vocab, config.vocab_size);
    const out = await session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from([0n, 1n]), [1, 2]) });
    assert.strictEqual(out.logits.dims[2], vocab);
  });

  for (const seq of [1, 37, 512]) {
    it(`returns attention probabilities at ${seq} tokens: [1, heads, seq, seq], rows sum to 1, nothing on later tokens`, async () => {
      const ids = BigInt64Array.from({ length: seq }, (_, i) => BigInt(i === 0 ? 0 : (i * 7919) % config.vocab_size!));
      const out = await session.run({ input_ids: new ort.Tensor('int64', ids, [1, seq]) });
      for (let l = 0; l < config.num_layers; l++) {
        const a = out[`attentions.${l}`];
        assert.deepStrictEqual(a.dims, [1, config.num_heads, seq, seq]);
        assert.deepStrictEqual(out[`queries.${l}`].dims.slice(0, 3), [1, config.num_heads, seq]);
        const data = a.data as Float32Array;
        for (let h = 0; h < config.num_heads; h++) {
          for (let i = 0; i < seq; i++) {
            let sum = 0;
            for (let j = 0; j < seq; j++) {
              const w = data[(h * seq + i) * seq + j];
              if (j > i) assert.strictEqual(w, 0, `layer ${l} head ${h}: token ${i} attends to later token ${j}`);
              sum += w;
            }
            assert.ok(Math.abs(sum - 1) < 1e-4, `layer ${l} head ${h} row ${i} sums to ${sum}`);
          }
        }
      }
    });
  }

  it('refuses more tokens than its context', async () => {
    const ids = new BigInt64Array(config.max_tokens + 1);
    await assert.rejects(session.run({ input_ids: new ort.Tensor('int64', ids, [1, ids.length]) }));
  });
});
