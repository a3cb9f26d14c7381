// The browser host's model files (src/env/browser/uriModelFs.ts) over an in-memory file system that
// answers as vscode.dev does for the extension's own files: fake stat (size 0), no listing.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { resolveUserPath } from '../../src/env/browser/userPath';
import { uriBasename, uriDirname, uriJoin, uriModelFs } from '../../src/env/browser/uriModelFs';
import { findModelFiles, KNOWN_GRAPHS } from '../../src/models/layout';
import { loadModelFolder, ModelFolderError } from '../../src/models/modelFolder';
import { streamModel } from '../../src/models/modelTransfer';
import type { ModelChunkMessage } from '../../src/shared/protocol';
import { MemoryFs } from '../support/memoryFs';

const MODELS = path.resolve(__dirname, '../../../models');
const EXT = 'https://attention-lens.vscode-unpkg.net/attention-lens/0.1.0/extension';

/** The bundled model `name`'s files at `base` in `mem`. */
function addModel(mem: MemoryFs, name: string, base: string, graphAt = 'model.onnx'): Buffer {
  const dir = path.join(MODELS, name);
  for (const f of ['config.json', 'tokenizer.json']) mem.put(`${base}/${f}`, fs.readFileSync(path.join(dir, f)));
  const graph = fs.readFileSync(path.join(dir, 'model.onnx'));
  mem.put(`${base}/${graphAt}`, graph);
  return graph;
}

describe('web host: Uri strings as model locations', () => {
  it('joins, takes the parent and the name, keeping ?query and never climbing past the authority', () => {
    assert.strictEqual(uriJoin(`${EXT}/`, 'models', 'my model', 'onnx/model.onnx'), `${EXT}/models/my%20model/onnx/model.onnx`);
    assert.strictEqual(uriJoin('vscode-vfs://github/o/r?ref=main', 'a.json'), 'vscode-vfs://github/o/r/a.json?ref=main');
    assert.strictEqual(uriJoin('file:///m/onnx', '..', 'config.json'), 'file:///m/config.json');
    assert.strictEqual(uriDirname('https://host/a/b.onnx'), 'https://host/a');
    assert.strictEqual(uriDirname('https://host/a'), 'https://host/');
    assert.strictEqual(uriBasename(`${EXT}/models/my%20model`), 'my model');
  });

  it('resolves a relative modelPath in the workspace folder and keeps a Uri; a disk path stays for the loader to refuse', () => {
    assert.strictEqual(resolveUserPath('models/gpt2', 'vscode-vfs://github/o/r'), 'vscode-vfs://github/o/r/models/gpt2');
    assert.strictEqual(resolveUserPath('file:///w/m', 'vscode-vfs://github/o/r'), 'file:///w/m');
    assert.strictEqual(resolveUserPath('/home/me/gpt2', 'vscode-vfs://github/o/r'), '/home/me/gpt2');
    assert.strictEqual(resolveUserPath('~/gpt2', 'vscode-vfs://github/o/r'), '~/gpt2');
  });
});

describe('web host: bundled models with vscode.dev\'s fake stat and no listing', () => {
  for (const name of ['default', 'encoder']) {
    it(`loads the bundled ${name} by known names, its size from the bytes (stat says 0)`, async () => {
      const mem = new MemoryFs('fetch');
      const base = `${EXT}/models/${name}`;
      const graph = addModel(mem, name, base);
      const webFs = uriModelFs(mem, (s) => s);
      assert.strictEqual(await webFs.list(base), undefined, 'vscode.dev cannot list the extension\'s folders');
      const m = await loadModelFolder(base, true, undefined, webFs);
      assert.strictEqual(m.modelFile, `${base}/model.onnx`);
      assert.strictEqual(m.sizeBytes, graph.length);
      const config = JSON.parse(fs.readFileSync(path.join(MODELS, name, 'config.json'), 'utf8')) as { name: string };
      assert.strictEqual(m.config.name, config.name);
      assert.ok(m.tokenizer.encode('Hello world').length > 0);
      // stat says "a file" for every name: absent optional files must not be taken as present.
      assert.strictEqual(m.files.tokenizerConfig, undefined);
      assert.strictEqual(m.files.lensJson, undefined);
      assert.deepStrictEqual(m.externalData, []);
    });
  }

  it('finds a graph in onnx/ by its known name when the top has none', async () => {
    const mem = new MemoryFs('fetch');
    const base = `${EXT}/models/hub`;
    addModel(mem, 'default', base, 'onnx/model_quantized.onnx');
    const files = await findModelFiles(base, uriModelFs(mem, (s) => s));
    assert.strictEqual(files.model, `${base}/onnx/model_quantized.onnx`);
    assert.deepStrictEqual(KNOWN_GRAPHS.slice(0, 2), ['model.onnx', 'decoder_model_merged.onnx']);
  });

  it('refuses a graph past the limit from its bytes, though stat said 0', async () => {
    const mem = new MemoryFs('fetch');
    const base = `${EXT}/models/default`;
    addModel(mem, 'default', base);
    await assert.rejects(loadModelFolder(base, true, 1024 * 1024, uriModelFs(mem, (s) => s)),
      (e: Error) => e instanceof ModelFolderError && /model\.onnx is 5 MB; Attention Lens loads models of at most 1 MB/.test(e.message));
  });

  it('says a missing config.json is missing (a fetch 404), naming the Uri', async () => {
    const mem = new MemoryFs('fetch');
    const base = `${EXT}/models/default`;
    addModel(mem, 'default', base);
    mem.files.delete(`${base}/config.json`);
    await assert.rejects(loadModelFolder(base, true, undefined, uriModelFs(mem, (s) => s)),
      (e: Error) => e instanceof ModelFolderError && e.message === `${base}/config.json is missing`);
  });

  it('sends a graph in chunks from one whole read, each chunk its own buffer', async () => {
    const mem = new MemoryFs('fetch');
    const base = `${EXT}/models/default`;
    const graph = addModel(mem, 'default', base);
    const got: ModelChunkMessage[] = [];
    const done = await streamModel(`${base}/model.onnx`, 'k', async (m) => {
      got.push(m);
      return true;
    }, () => true, 2 * 1024 * 1024, uriModelFs(mem, (s) => s));
    assert.strictEqual(done, true);
    assert.strictEqual(mem.reads, 1);
    assert.strictEqual(got.length, Math.ceil(graph.length / (2 * 1024 * 1024)));
    for (const m of got) assert.strictEqual(m.data.byteLength, m.data.buffer.byteLength);
    assert.ok(Buffer.concat(got.map((m) => m.data)).equals(graph));
  });

  it('refuses a path typed for a disk, saying what to do instead', async () => {
    const webFs = uriModelFs(new MemoryFs('fetch'), (s) => s);
    await assert.rejects(loadModelFolder('/home/me/gpt2', false, undefined, webFs),
      (e: Error) => e instanceof ModelFolderError && /VS Code for the Web cannot read/.test(e.message) && /Choose model…/.test(e.message));
  });
});

describe('web host: a folder the user opened (real stat, listing)', () => {
  it('lists every graph in onnx/ and picks full precision first', async () => {
    const mem = new MemoryFs('disk');
    const base = 'vscode-vfs://github/me/repo/gpt2';
    const graph = addModel(mem, 'default', base, 'onnx/model_quantized.onnx');
    mem.put(`${base}/onnx/model.onnx`, graph);
    mem.put(`${base}/onnx/model_fp16.onnx`, graph);
    const webFs = uriModelFs(mem, (s) => s);
    const files = await findModelFiles(base, webFs);
    assert.deepStrictEqual(files.variants.map((v) => v.slice(base.length + 1)), ['onnx/model.onnx', 'onnx/model_quantized.onnx', 'onnx/model_fp16.onnx']);
    const st = await webFs.stat(files.model);
    assert.strictEqual(st?.size, graph.length);
  });

  it('writes a file (the download cache) and reads it back', async () => {
    const mem = new MemoryFs('disk');
    const webFs = uriModelFs(mem, (s) => s);
    const at = 'vscode-userdata:/User/globalStorage/attention-lens/hub/x/config.json';
    await webFs.writeBytes(at, new TextEncoder().encode('{"a":1}'));
    assert.strictEqual(new TextDecoder().decode(await webFs.readBytes(at)), '{"a":1}');
    await assert.rejects(webFs.readBytes(`${at}.missing`), (e: Error & { code?: string }) => e.code === 'ENOENT');
  });
});
