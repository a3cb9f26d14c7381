import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ModelFolderError, chooseModelFolder, loadModelFolder, loadWithFallback, resolveUserPath, settingsFilesMention,
} from '../../src/models/modelFolder';
import { checkOnnxBytes } from '../../src/models/onnxCheck';

const BUNDLED = path.resolve(__dirname, '../../../models/default');
const ONNX = fs.readFileSync(path.join(BUNDLED, 'model.onnx'));

describe('model folder: the bundled model', () => {
  it('passes every check', async () => {
    const m = await loadModelFolder(BUNDLED, true);
    assert.strictEqual(m.bundled, true);
    assert.strictEqual(m.sizeBytes, ONNX.length);
    assert.strictEqual(m.config.num_layers > 0, true);
    assert.strictEqual(m.tokenizer.vocabSize, m.config.vocab_size);
  });
});

describe('model folder: broken folders name the file and the problem', () => {
  let dir: string;
  const file = (f: string): string => path.join(dir, f);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-model-'));
    for (const f of ['config.json', 'tokenizer.json']) fs.copyFileSync(path.join(BUNDLED, f), file(f));
    fs.symlinkSync(path.join(BUNDLED, 'model.onnx'), file('model.onnx'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function problem(maxBytes?: number): Promise<ModelFolderError> {
    try {
      await loadModelFolder(dir, false, maxBytes);
    } catch (e) {
      assert.ok(e instanceof ModelFolderError, `expected a ModelFolderError, got ${e}`);
      return e;
    }
    throw new assert.AssertionError({ message: 'the folder was accepted' });
  }

  it('a copy of the bundled model is accepted', async () => {
    const m = await loadModelFolder(dir, false);
    assert.strictEqual(m.bundled, false);
  });

  it('missing folder', async () => {
    fs.rmSync(dir, { recursive: true });
    const e = await problem();
    assert.strictEqual(e.file, dir);
    assert.match(e.message, /does not exist/);
  });

  it('missing model.onnx', async () => {
    fs.rmSync(file('model.onnx'));
    const e = await problem();
    assert.strictEqual(e.file, file('model.onnx'));
    assert.match(e.message, /model\.onnx is missing/);
  });

  it('truncated model.onnx', async () => {
    fs.rmSync(file('model.onnx'));
    fs.writeFileSync(file('model.onnx'), ONNX.subarray(0, ONNX.length - 100));
    const e = await problem();
    assert.strictEqual(e.file, file('model.onnx'));
    assert.match(e.message, /model\.onnx is truncated: its \w+ needs \d+ bytes but the file has \d+/);
  });

  it('model.onnx that is not ONNX', async () => {
    fs.rmSync(file('model.onnx'));
    fs.writeFileSync(file('model.onnx'), '<html>not found</html>');
    const e = await problem();
    assert.match(e.message, /model\.onnx is not an ONNX model/);
  });

  it('model.onnx over the size limit is refused before it is read', async () => {
    const e = await problem(1024 * 1024);
    assert.strictEqual(e.file, file('model.onnx'));
    const mb = Math.round(ONNX.length / (1024 * 1024));
    assert.match(e.message, new RegExp(`model\\.onnx is ${mb} MB; Attention Lens loads models of at most 1 MB`));
  });

  it('config.json that is not JSON', async () => {
    fs.writeFileSync(file('config.json'), '{"name": "x",');
    const e = await problem();
    assert.strictEqual(e.file, file('config.json'));
    assert.match(e.message, /config\.json is not valid JSON/);
  });

  it('config.json over 16 MB is refused before it is read', async () => {
    // Valid JSON padded with spaces: only its size is wrong.
    fs.writeFileSync(file('config.json'), fs.readFileSync(file('config.json'), 'utf8') + ' '.repeat(17 * 2 ** 20));
    const e = await problem();
    assert.strictEqual(e.file, file('config.json'));
    assert.match(e.message, /config\.json is 17 MB, more than the 16 MB a model's settings file may be/);
  });

  it('config.json with a wrong field', async () => {
    const c = JSON.parse(fs.readFileSync(file('config.json'), 'utf8'));
    c.num_heads = 'six';
    fs.writeFileSync(file('config.json'), JSON.stringify(c));
    const e = await problem();
    assert.match(e.message, /config\.json\.num_heads must be an integer/);
  });

  it('config.json whose max_tokens is beyond what the extension supports', async () => {
    const c = JSON.parse(fs.readFileSync(file('config.json'), 'utf8'));
    c.max_tokens = 100_000;
    fs.writeFileSync(file('config.json'), JSON.stringify(c));
    assert.match((await problem()).message, /max_tokens 100000 is more than Attention Lens supports \(8192\)/);
  });

  it('tokenizer.json that is not JSON', async () => {
    fs.writeFileSync(file('tokenizer.json'), 'version: 1');
    const e = await problem();
    assert.strictEqual(e.file, file('tokenizer.json'));
    assert.match(e.message, /tokenizer\.json is not valid JSON/);
  });

  it('tokenizer.json of an unknown model type', async () => {
    const t = JSON.parse(fs.readFileSync(file('tokenizer.json'), 'utf8'));
    t.model = { type: 'NoSuchModel' };
    fs.writeFileSync(file('tokenizer.json'), JSON.stringify(t));
    const e = await problem();
    assert.strictEqual(e.file, file('tokenizer.json'));
    assert.match(e.message, /tokenizer\.json: model\.type "NoSuchModel" is not a tokenizer model Attention Lens reads \(BPE, WordPiece, Unigram\)/);
  });

  it('config vocab_size smaller than the tokenizer', async () => {
    const c = JSON.parse(fs.readFileSync(file('config.json'), 'utf8'));
    const maxId = c.vocab_size - 1;
    c.vocab_size = 100;
    fs.writeFileSync(file('config.json'), JSON.stringify(c));
    const e = await problem();
    assert.strictEqual(e.file, file('tokenizer.json'));
    assert.match(e.message, new RegExp(`tokenizer\\.json produces token ids up to ${maxId}, but .*config\\.json says the model's vocab_size is 100`));
  });

  it('a special token the tokenizer does not have', async () => {
    const c = JSON.parse(fs.readFileSync(file('config.json'), 'utf8'));
    c.special_tokens.bos = '<s>';
    fs.writeFileSync(file('config.json'), JSON.stringify(c));
    assert.match((await problem()).message, /names "<s>" as the bos token, but .*tokenizer\.json has no such token/);
  });

  it('falls back to the bundled model with a warning that names the problem', async () => {
    fs.writeFileSync(file('config.json'), '[]');
    const { model, warning } = await loadWithFallback({ dir, bundled: false, notice: null }, BUNDLED);
    assert.strictEqual(model.bundled, true);
    assert.strictEqual(model.dir, BUNDLED);
    assert.match(warning ?? '', new RegExp(`The model in .* cannot be used: .*config\\.json.*Using the bundled model instead`));
  });

  it('uses a good folder without a warning', async () => {
    const { model, warning } = await loadWithFallback({ dir, bundled: false, notice: null }, BUNDLED);
    assert.strictEqual(model.dir, dir);
    assert.strictEqual(warning, null);
  });
});

describe('model folder: the ONNX framing check', () => {
  it('accepts the bundled model and refuses every shorter prefix tried', async () => {
    await checkOnnxBytes(ONNX);
    for (const n of [0, 1, 2, 10, 100, ONNX.length >> 1, ONNX.length - 1]) {
      await assert.rejects(checkOnnxBytes(ONNX.subarray(0, n)), /model\.onnx (is empty|is truncated|has no graph)/, `prefix of ${n} bytes`);
    }
  });

  it('refuses a file with no graph', async () => {
    // ir_version = 8 (field 1, varint), nothing else
    await assert.rejects(checkOnnxBytes(Uint8Array.from([0x08, 0x08])), /has no graph/);
  });
});

describe('model folder: which folder is used', () => {
  const B = '/ext/models/default';

  it('is the bundled model when nothing is set', () => {
    assert.deepStrictEqual(chooseModelFolder({}, true, '/ws', B), { dir: B, bundled: true, notice: null });
    assert.deepStrictEqual(chooseModelFolder({ globalValue: '  ' }, true, '/ws', B), { dir: B, bundled: true, notice: null });
  });

  it('is the user setting, or in a trusted workspace the workspace setting', () => {
    assert.strictEqual(chooseModelFolder({ globalValue: '/m/user' }, false, '/ws', B).dir, '/m/user');
    assert.strictEqual(chooseModelFolder({ globalValue: '/m/user', workspaceValue: 'models/ws' }, true, '/ws', B).dir, '/ws/models/ws');
    assert.strictEqual(chooseModelFolder({ workspaceValue: '/a', workspaceFolderValue: '/b' }, true, '/ws', B).dir, '/b');
  });

  it('ignores a workspace setting in an untrusted workspace and says why', () => {
    const c = chooseModelFolder({ workspaceValue: '/evil/model' }, false, '/ws', B);
    assert.strictEqual(c.dir, B);
    assert.strictEqual(c.bundled, true);
    assert.match(c.notice ?? '', /not trusted, so its attentionLens\.modelPath setting is not used; the bundled model is used/);
    const u = chooseModelFolder({ workspaceValue: '/evil/model', globalValue: '/m/user' }, false, '/ws', B);
    assert.strictEqual(u.dir, '/m/user');
    assert.match(u.notice ?? '', /the path from your user settings is used/);
  });

  it('finds a workspace modelPath in settings files VS Code hides it from (untrusted)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-ws-'));
    const settings = path.join(dir, 'settings.json');
    fs.writeFileSync(settings, '{\n  // a comment\n  "editor.tabSize": 2,\n}');
    assert.strictEqual(await settingsFilesMention([path.join(dir, 'missing.json'), settings]), false);
    fs.writeFileSync(settings, '{ "attentionLens.modelPath": "../../evil", }');
    assert.strictEqual(await settingsFilesMention([path.join(dir, 'missing.json'), settings]), true);
    fs.rmSync(dir, { recursive: true });
  });

  it('resolves ~ and relative paths', () => {
    assert.strictEqual(resolveUserPath('~/m', '/ws'), path.join(os.homedir(), 'm'));
    assert.strictEqual(resolveUserPath('m/x', '/ws'), '/ws/m/x');
    assert.strictEqual(resolveUserPath('m', undefined), path.join(os.homedir(), 'm'));
    assert.strictEqual(resolveUserPath('/abs/../m', '/ws'), '/m');
  });
});
