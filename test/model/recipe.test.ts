// The model recipe runs end to end on its tiny configuration, for both architectures: corpus from packages,
// labelled generated text, tokenizer, training with the auxiliary head losses, fp16 ONNX export checked against
// PyTorch, probes and card.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');

describe('model recipe (tiny configuration)', function () {
  this.timeout(180_000);
  let tmp: string;
  // one work folder for both runs: the corpus and the generated text are built once
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recipe-')); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const architecture of ['causal', 'bidirectional']) {
    it(`rebuilds a ${architecture} model folder that honours the contract, with trained heads and a card of measured numbers`, () => {
      const out = path.join(tmp, architecture);
      // the encoder starts from the decoder just built, as the bundled one starts from models/default: this reads
      // weights back from a shipped graph (fp16, int8 embedding) into another vocabulary
      const init = architecture === 'bidirectional' ? ['--init', path.join(tmp, 'causal')] : [];
      // downloads are cached in the repository's .cache so CI fetches each package once
      const run = spawnSync('bash', [path.join(ROOT, 'models/recipe/build.sh'), '--tiny', '--architecture', architecture,
        '--work', path.join(tmp, 'work'), '--out', out, ...init],
      { encoding: 'utf8', env: { ...process.env, RECIPE_DOWNLOADS: path.join(ROOT, '.cache', 'recipe-downloads') } });
      assert.strictEqual(run.status, 0, run.stderr.slice(-3000) + run.stdout.slice(-2000));
      for (const f of ['model.onnx', 'tokenizer.json', 'config.json', 'MODEL_CARD.md']) assert.ok(fs.existsSync(path.join(out, f)), f);
      const cfg = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
      assert.strictEqual(cfg.architecture, architecture);
      assert.strictEqual(cfg.heads.pronoun.length, 2);
      assert.deepStrictEqual(cfg.trained_heads, ['code', 'pronoun']);
      const card = fs.readFileSync(path.join(out, 'MODEL_CARD.md'), 'utf8');
      assert.match(card, /Pronoun probe \(`probes\/pronoun.json`, \d+ sentences/);
      assert.match(card, /max abs attention difference \d\.\d+e-\d+/);
      assert.match(card, /of the 5000 most frequent prose words \(after a space\) are one token/);
    });
  }
});
