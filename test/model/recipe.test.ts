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

  // reproduce.sh replays how the shipped models were trained (models/README.md, "Reproducing the shipped models"):
  // the same parts at a few steps each, from the models just built as stand-ins for the committed starting points
  it('replays the shipped models\' sessions: resumes at the recorded steps, averages three checkpoints, starts the encoder from the decoder\'s second-session end, and gives the same weights twice', function () {
    this.timeout(400_000);
    const work = path.join(tmp, 'work');
    const env = { ...process.env, RECIPE_DOWNLOADS: path.join(ROOT, '.cache', 'recipe-downloads') };
    const reproduce = (args: string[]) => {
      const run = spawnSync('bash', [path.join(ROOT, 'models/recipe/reproduce.sh'), '--tiny', '--work', work, ...args], { encoding: 'utf8', env });
      assert.strictEqual(run.status, 0, run.stderr.slice(-3000) + run.stdout.slice(-2000));
      return run.stdout + run.stderr;
    };
    const first = path.join(tmp, 'reproduced');
    reproduce(['--out', first, '--pretrained', path.join(tmp, 'causal'),
      '--encoder-tokenizer', path.join(tmp, 'bidirectional', 'tokenizer.json')]);
    for (const m of ['default', 'encoder']) {
      for (const f of ['model.onnx', 'tokenizer.json', 'config.json']) assert.ok(fs.existsSync(path.join(first, m, f)), `${m}/${f}`);
    }
    // the decoder: the mean of the third session's checkpoints, after the mix changes at the recorded resumes
    // (tiny steps 3, 6, 8, 12 stand for 293, 673, 861, 1,458) and a clock of each session's pace
    const dec = JSON.parse(fs.readFileSync(path.join(work, 'run-decoder-average', 'train_state.json'), 'utf8'));
    assert.deepStrictEqual(dec.averaged.map((a: { step: number }) => a.step), [16, 18, 20]);
    assert.strictEqual(dec.step, 20);
    assert.deepStrictEqual(dec.mix_history, [
      { from_step: 3, mix: [3, 3, 8] }, { from_step: 6, mix: [3, 4, 8] },
      { from_step: 8, mix: [6, 4, 8] }, { from_step: 12, mix: [6, 6, 8] }]);
    assert.deepStrictEqual(dec.clock.map((c: { from_step: number }) => c.from_step), [0, 3, 6, 8, 9, 12, 15]);
    assert.ok(fs.existsSync(path.join(work, 'run-decoder', 'ckpt-step15.pt')), 'the second session\'s end is kept');
    // the encoder: from that checkpoint, stopped at its shipped step's stand-in
    const enc = JSON.parse(fs.readFileSync(path.join(work, 'run-encoder', 'train_state.json'), 'utf8'));
    assert.strictEqual(enc.step, 3);
    assert.strictEqual(enc.wino_rows, 2);
    assert.match(enc.init, /decoder-step15/);
    // the schedule follows the recorded pace, not the wall clock: the encoder again gives byte-identical weights
    // (compare_models.py --expect-identical fails the run otherwise)
    const log = reproduce(['encoder', '--out', path.join(tmp, 'reproduced-again'), '--encoder-tokenizer',
      path.join(tmp, 'bidirectional', 'tokenizer.json'), '--compare-encoder', path.join(first, 'encoder'), '--expect-identical']);
    assert.match(log, /model\.onnx byte-identical, tokenizer\.json byte-identical, config\.json byte-identical/);
    assert.match(log, /token embedding +max abs difference 0, relative 0/);
  });
});
