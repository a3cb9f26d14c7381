// A large model's bytes by messages: the host streams a file in chunks, every message passes the
// protocol's validation, and the page's side reassembles exactly the file, with progress.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chunkUri, streamModel } from '../../src/models/modelTransfer';

// Small chunks keep the test quick; the host's real size (CHUNK_BYTES) only changes how many.
const CHUNK = 256 * 1024;
import { CHUNK_SCHEME, ModelChunkMessage, ToHost, parseToHost, parseToWebview } from '../../src/shared/protocol';
import { fetchBytes, receiveChunk, setChunkRequester } from '../../webview/fetchModel';

describe('large models by messages', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-chunks-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a file of 2.5 chunks arrives whole, in order, with progress, through validated messages', async () => {
    const file = path.join(dir, 'model.onnx');
    const bytes = new Uint8Array(Math.floor(CHUNK * 2.5));
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 12)) % 251;
    fs.writeFileSync(file, bytes);
    const st = fs.statSync(file);
    const uri = chunkUri(file, st.size, st.mtimeMs);
    assert.ok(uri.startsWith(CHUNK_SCHEME));
    let sent = 0;
    setChunkRequester((m: ToHost) => {
      const req = parseToHost(m);
      assert.strictEqual(req.type, 'modelRequest');
      if (req.type !== 'modelRequest') return;
      void streamModel(file, req.key, async (c) => {
        sent++;
        const checked = parseToWebview(c);
        assert.strictEqual(checked.type, 'modelChunk');
        receiveChunk(checked as ModelChunkMessage);
        return true;
      }, () => true, CHUNK);
    });
    const progress: number[] = [];
    const got = await fetchBytes(uri, (loaded) => progress.push(loaded));
    assert.strictEqual(sent, 3);
    assert.deepStrictEqual(progress, [CHUNK, 2 * CHUNK, bytes.length]);
    assert.strictEqual(got.length, bytes.length);
    assert.ok(Buffer.from(got).equals(Buffer.from(bytes)));
  });

  it('a read failure on the host fails the page\'s load with its message', async () => {
    setChunkRequester((m: ToHost) => {
      if (m.type !== 'modelRequest') return;
      receiveChunk(parseToWebview({ type: 'modelChunk', key: m.key, offset: 0, total: 0, data: new Uint8Array(0), error: 'model.onnx could not be read: EACCES' }) as ModelChunkMessage);
    });
    await assert.rejects(fetchBytes(`${CHUNK_SCHEME}x`), /model\.onnx could not be read: EACCES/);
  });

  it('chunks are validated: bytes only, at most 64 MB', () => {
    assert.throws(() => parseToWebview({ type: 'modelChunk', key: 'k', offset: 0, total: 3, data: [1, 2, 3] }), /modelChunk\.data must be bytes/);
    assert.throws(() => parseToWebview({ type: 'modelChunk', key: 'k', offset: 0, total: 1, data: new Uint8Array(64 * 1024 * 1024 + 1) }), /a chunk has at most/);
    assert.throws(() => parseToHost({ type: 'modelRequest' }), /modelRequest\.key must be a string/);
  });
});
