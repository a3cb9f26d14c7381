// The model recipe runs end to end on its tiny configuration: corpus from packages, tokenizer,
// training, ONNX export checked against PyTorch, probes and card.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');

describe('model recipe (tiny configuration)', function () {
  this.timeout(180_000);

  it('rebuilds a model folder that honours the contract, with a card of measured numbers', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recipe-'));
    const out = path.join(tmp, 'model');
    // downloads are cached in the recipe's own work folder so CI fetches each package once
    const run = spawnSync('bash', [path.join(ROOT, 'models/recipe/build.sh'), '--tiny', '--work', path.join(tmp, 'work'), '--out', out],
      { encoding: 'utf8', env: { ...process.env, RECIPE_DOWNLOADS: path.join(ROOT, '.cache', 'recipe-downloads') } });
    assert.strictEqual(run.status, 0, run.stderr.slice(-3000) + run.stdout.slice(-2000));
    for (const f of ['model.onnx', 'tokenizer.json', 'config.json', 'MODEL_CARD.md']) assert.ok(fs.existsSync(path.join(out, f)), f);
    const cfg = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    assert.strictEqual(cfg.architecture, 'causal');
    assert.strictEqual(cfg.heads.pronoun.length, 2);
    const card = fs.readFileSync(path.join(out, 'MODEL_CARD.md'), 'utf8');
    assert.match(card, /Pronoun probe \(`probes\/pronoun.json`, \d+ sentences\)/);
    assert.match(card, /max abs attention difference \d\.\d+e-\d+/);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
