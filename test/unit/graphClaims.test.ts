// Issue 19 item 6: what an ONNX graph claims is bounded on the host before the page allocates from
// it (src/models/graphClaims.ts): weights' dims against the data they hold, external offsets and
// lengths against their files, node and initializer counts. Each refusal names the file; real graphs
// (the Hub forms, the fused ones, the bundled model) pass.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GRAPH_LIMITS, checkGraphClaims } from '../../src/models/graphClaims';
import { MAX_MODEL_BYTES, ModelFolderError, loadModelFolder } from '../../src/models/modelFolder';
import { ELEM } from '../../src/shared/onnxGraph/model';
import { encodeField, message } from '../../src/shared/onnxGraph/proto';
import { ensureFusedModels } from '../fixtures/fusedModels';
import { HUB_FORMS, ensureHubForms, hubForm } from '../fixtures/hubForms';
import { ModelSpec, buildModel } from '../fixtures/onnxBuilder';
import { modelFs } from '../../src/env/node/modelFs';

/** The host's check on a graph file, opened as loadModelFolder opens it. */
async function claimsOf(file: string, sizes: Map<string, number>, maxBytes: number): Promise<{ nodes: number; initializers: number }> {
  const graph = await modelFs.open(file);
  try {
    return await checkGraphClaims(graph, file, sizes, maxBytes);
  } finally {
    await graph.close();
  }
}

const ROOT = path.resolve(__dirname, '..', '..', '..');

const matMul = (extra: Partial<ModelSpec> = {}): ModelSpec => ({
  inputs: [{ name: 'x', dims: [1, 2] }],
  outputs: [{ name: 'y', dims: [1, 2] }],
  nodes: [{ opType: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'], attributes: [] }],
  initializers: { w: [[2, 2], [1, 0, 0, 1]] },
  ...extra,
});

/** An initializer field written by hand: dims, float, name, then the given data fields. */
const tensor = (name: string, dims: number[], data: Uint8Array[]): Uint8Array =>
  message([...dims.map((d) => encodeField(1, d)), encodeField(2, ELEM.float), encodeField(8, name), ...data]);

describe('what an ONNX graph claims, bounded before anything is allocated from it', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-claims-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: Uint8Array): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  const refuses = async (file: string, sizes: Map<string, number>, re: RegExp): Promise<void> => {
    await assert.rejects(claimsOf(file, sizes, MAX_MODEL_BYTES), (e: Error) => {
      assert.ok(e instanceof ModelFolderError, String(e));
      assert.strictEqual(e.file, file);
      assert.ok(e.message.startsWith(file), e.message);
      assert.match(e.message, re);
      assert.match(e.message, /refused before anything is allocated from it$/);
      return true;
    });
  };

  it('a small graph that holds what it claims passes, with its counts', async () => {
    const counts = await claimsOf(write('ok.onnx', buildModel(matMul())), new Map(), MAX_MODEL_BYTES);
    assert.deepStrictEqual(counts, { nodes: 1, initializers: 1 });
  });

  it('an initializer claiming [2^20, 2^20] floats while holding 16 bytes is refused, naming it and both sizes', async () => {
    const file = write('huge-dims.onnx', buildModel(matMul({ initializers: { w: [[1 << 20, 1 << 20], [1, 0, 0, 1]] } })));
    await refuses(file, new Map(), /initializer "w" is \[1048576, 1048576\] of float32 \(4\.40e\+3 GB\), more than the panel can hold/);
  });

  it('dims within the panel\'s memory but beyond the data held are refused', async () => {
    const file = write('short-data.onnx', buildModel(matMul({ initializers: { w: [[1000, 1000], [1, 0, 0, 1]] } })));
    await refuses(file, new Map(), /claims initializer "w" is \[1000, 1000\] of float32 \(4\.00 MB\) but holds 16 bytes/);
  });

  it('a negative dimension, and a rank over the bound, are refused', async () => {
    await refuses(write('negative.onnx', buildModel(matMul({ initializers: { w: [[2, -2], [1, 0, 0, 1]] } }))), new Map(), /"w" a negative dimension \(-2\)/);
    const rank = new Array<number>(GRAPH_LIMITS.rank + 1).fill(1);
    await refuses(write('rank.onnx', buildModel(matMul({ initializers: { w: [rank, [1]] } }))), new Map(), /rank 33, over 32/);
  });

  it('external data said to lie past the end of its file, or longer than it says, is refused', async () => {
    const ext = (entries: [string, string][]): Uint8Array => {
      const ed = entries.map(([k, v]) => encodeField(13, message([encodeField(1, k), encodeField(2, v)])));
      return spliceIntoGraph(buildModel(matMul({ initializers: {} })), encodeField(5, tensor('w', [2, 2], [...ed, encodeField(14, 1)])));
    };
    const sizes = new Map([['model.onnx_data', 16]]);
    assert.deepStrictEqual(await claimsOf(write('ext-ok.onnx', ext([['location', 'model.onnx_data'], ['offset', '0'], ['length', '16']])), sizes, MAX_MODEL_BYTES), { nodes: 1, initializers: 1 });
    await refuses(write('ext-past.onnx', ext([['location', 'model.onnx_data'], ['offset', '4096'], ['length', '16']])), sizes, /offset 4096, length 16 of model\.onnx_data, which has 16 bytes/);
    await refuses(write('ext-short.onnx', ext([['location', 'model.onnx_data'], ['offset', '8'], ['length', '8']])), sizes, /"w" is \[2, 2\] of float32 \(16 bytes\) but keeps 8 bytes of it in model\.onnx_data/);
    await refuses(write('ext-absurd.onnx', ext([['location', 'model.onnx_data'], ['offset', '0'], ['length', '99999999999999999999']])), sizes, /length 99999999999999999999 of model\.onnx_data/);
  });

  it('a Constant node\'s tensor is bounded too', async () => {
    const constant = encodeField(1, message([
      encodeField(2, 'c'), encodeField(3, 'const'), encodeField(4, 'Constant'),
      encodeField(5, message([encodeField(1, 'value'), encodeField(5, tensor('', [1 << 16, 1 << 16], [encodeField(9, new Uint8Array(8))])), encodeField(20, 4)])),
    ]));
    await refuses(write('constant.onnx', buildModel(matMul({ rawNodes: [constant] }))), new Map(), /a node's tensor "" is \[65536, 65536\] of float32 \(17\.2 GB\)/);
  });

  it('real graphs pass: every Hub form and graph variant, the fused decoders, the bundled models', async function () {
    this.timeout(300_000);
    const forms = ensureHubForms();
    const files: string[] = [];
    for (const form of HUB_FORMS) {
      const f = hubForm(forms, form);
      for (const g of fs.readdirSync(path.dirname(f.modelFile)).filter((n) => n.endsWith('.onnx'))) files.push(path.join(path.dirname(f.modelFile), g));
    }
    files.push(...Object.values(ensureFusedModels()).map((d) => path.join(d, 'model.onnx')));
    for (const m of ['default', 'encoder']) if (fs.existsSync(path.join(ROOT, 'models', m, 'model.onnx'))) files.push(path.join(ROOT, 'models', m, 'model.onnx'));
    assert.ok(files.length >= 15, files.join(', '));
    for (const file of files) {
      const sizes = new Map(fs.readdirSync(path.dirname(file)).filter((n) => /\.onnx[._]data/.test(n)).map((n) => [n, fs.statSync(path.join(path.dirname(file), n)).size]));
      const c = await claimsOf(file, sizes, MAX_MODEL_BYTES);
      assert.ok(c.nodes > 0 && c.initializers > 0, `${file}: ${JSON.stringify(c)}`);
    }
    // and through the folder check the host runs before the page is asked to load
    await loadModelFolder(hubForm(forms, 'llama-external').dir, false);
  });
});

/** `model` with `field` appended to its graph's fields (the graph is the model's field 7). */
function spliceIntoGraph(model: Uint8Array, field: Uint8Array): Uint8Array {
  // buildModel writes ir_version (field 1), producer (2), then the graph (7): find the graph's header.
  let pos = 0;
  const varint = (): number => {
    let v = 0;
    let s = 1;
    for (;;) {
      const b = model[pos++];
      v += (b & 0x7f) * s;
      s *= 128;
      if ((b & 0x80) === 0) return v;
    }
  };
  for (;;) {
    const start = pos;
    const tag = varint();
    const len = tag % 8 === 2 ? varint() : (varint(), 0);
    if (tag >> 3 === 7) {
      const graph = model.subarray(pos, pos + len);
      const rest = model.subarray(pos + len);
      return message([model.subarray(0, start), encodeField(7, message([graph, field])), rest]);
    }
    pos += len;
  }
}
