// Hub ONNX folders on the host (test/fixtures/make_hub_forms.py builds them): which graph a
// folder of several is opened with, the external data files a graph names (found from disk, each
// checked to exist and to fit with the graph), and what the header says of the graph.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { externalLocations } from '../../src/models/externalData';
import { ModelFolderError, loadModelFolder } from '../../src/models/modelFolder';
import { graphDtype, graphLabel } from '../../src/shared/graphVariant';
import { ensureHubForms } from '../fixtures/hubForms';

describe('Hub ONNX folders on the host', function () {
  this.timeout(300_000);
  let forms: string;
  let tmp: string;
  before(() => { forms = ensureHubForms(); });
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-hub-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A copy of a form's folder without some of its graphs (symlinks keep it cheap). */
  let copies = 0;
  const copyOf = (form: string, without: string[] = []): string => {
    const to = path.join(tmp, `${form}-${copies++}`);
    for (const rel of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', ...fs.readdirSync(path.join(forms, form, 'onnx')).map((f) => `onnx/${f}`)]) {
      if (without.includes(rel)) continue;
      fs.mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
      fs.symlinkSync(path.join(forms, form, rel), path.join(to, rel));
    }
    return to;
  };

  it('a folder of several graphs opens onnx/model.onnx (fp32), else decoder_model_merged.onnx, else the quantized one; all are offered', async () => {
    const all = await loadModelFolder(path.join(forms, 'gpt2-variants'), false);
    assert.strictEqual(path.relative(all.dir, all.modelFile), path.join('onnx', 'model.onnx'));
    assert.deepStrictEqual(all.files.variants.map((v) => path.basename(v)), ['model.onnx', 'decoder_model_merged.onnx', 'model_quantized.onnx', 'model_q4.onnx', 'model_fp16.onnx']);
    const merged = await loadModelFolder(copyOf('gpt2-variants', ['onnx/model.onnx']), false);
    assert.strictEqual(path.basename(merged.modelFile), 'decoder_model_merged.onnx');
    const quantized = await loadModelFolder(copyOf('gpt2-variants', ['onnx/model.onnx', 'onnx/decoder_model_merged.onnx']), false);
    assert.strictEqual(path.basename(quantized.modelFile), 'model_quantized.onnx');
    // a file named in modelPath (or picked in Browse…) is used as named
    const q4 = await loadModelFolder(path.join(forms, 'gpt2-variants', 'onnx', 'model_q4.onnx'), false);
    assert.strictEqual(path.basename(q4.modelFile), 'model_q4.onnx');
  });

  it('finds the external data files the graph names, read from disk field by field', async () => {
    assert.deepStrictEqual(await externalLocations(path.join(forms, 'llama-external', 'onnx', 'model.onnx')), ['model.onnx_data', 'model.onnx_data_1']);
    assert.deepStrictEqual(await externalLocations(path.join(forms, 'gpt2-external', 'model.onnx')), ['model.onnx.data']);
    assert.deepStrictEqual(await externalLocations(path.join(forms, 'gpt2-variants', 'onnx', 'model.onnx')), []);
    const m = await loadModelFolder(path.join(forms, 'llama-merged-external'), false);
    assert.deepStrictEqual(m.externalData.map((f) => [f.location, f.sizeBytes]),
      [['decoder_model_merged.onnx_data', fs.statSync(path.join(forms, 'llama-merged-external', 'onnx', 'decoder_model_merged.onnx_data')).size]]);
  });

  it('a missing external data file, or a graph and its files over the limit, get a message naming the files and sizes', async () => {
    const dir = copyOf('llama-external', ['onnx/model.onnx_data_1']);
    await assert.rejects(loadModelFolder(dir, false), (e: Error) => e instanceof ModelFolderError
      && /onnx[\\/]model\.onnx_data_1 is missing: model\.onnx keeps its weights there \(ONNX external data\)/.test(e.message));
    const whole = path.join(forms, 'llama-external');
    const graph = fs.statSync(path.join(whole, 'onnx', 'model.onnx')).size;
    await assert.rejects(loadModelFolder(whole, false, graph + 1000), (e: Error) => e instanceof ModelFolderError
      && /^.*model\.onnx \(0 MB\) and its external data model\.onnx_data \(1 MB\), model\.onnx_data_1 \(1 MB\) are 1 MB together; Attention Lens loads models of at most 0 MB/.test(e.message));
  });

  it('names the graph and its dtype as transformers.js names the files', () => {
    assert.deepStrictEqual(['model.onnx', 'onnx/model_quantized.onnx', 'model_q4.onnx', 'model_q4f16.onnx', 'model_fp16.onnx', 'decoder_model_merged_int8.onnx', 'model_bnb4.onnx'].map(graphDtype),
      ['fp32', 'q8', 'q4', 'q4f16', 'fp16', 'int8', 'bnb4']);
    assert.strictEqual(graphLabel('onnx/model_quantized.onnx'), 'onnx/model_quantized.onnx (q8)');
  });
});
