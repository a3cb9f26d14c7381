// The browser host's Hub cache (src/env/browser/uriHubFiles.ts) over an in-memory file system shaped
// like vscode.workspace.fs: a download kept as numbered parts (no append there), resumed by another
// window from the parts' total, joined once, hashed with crypto.subtle as Node's crypto hashes; and a
// whole download from the local Hub with the browser's own redirect following, into Uri paths.
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import { uriHubFiles } from '../../src/env/browser/uriHubFiles';
import { uriModelFs } from '../../src/env/browser/uriModelFs';
import { modelFs } from '../../src/env/node/modelFs';
import { folderDisplayName } from '../../src/models/describe';
import { cachedModels, hubCacheDir } from '../../src/hub/cache';
import { downloadFiles } from '../../src/hub/download';
import { joinPath } from '../../src/hub/files';
import { fetchListing } from '../../src/hub/listing';
import { variantsOf } from '../../src/hub/variants';
import { client } from '../support/hubClient';
import { GRANTED_TOKEN, HubServer } from '../support/hubServer';
import { testRepos, type TestRepos } from '../support/hubRepos';
import { MemoryFs } from '../support/memoryFs';

const STORE = 'vscode-userdata:/User/globalStorage/attention-lens.attention-lens';
const same = (p: string): string => p;
const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('Hub cache in the browser host: parts, resume, digest', () => {
  const file = `${STORE}/hub/models--a--b/blobs/abc.incomplete`;

  it('keeps each write as a numbered part, sums them as the size, and a second window continues after the last', async () => {
    const mem = new MemoryFs('disk');
    const first = uriHubFiles(mem, same);
    const w = await first.append(file, true);
    await w.write(bytes(1000, 1));
    await w.write(bytes(500, 2));
    await w.close();
    assert.deepStrictEqual(await first.list(`${file}.parts`), ['00000000', '00000001']);
    assert.strictEqual(await first.size(file), 1500);
    assert.ok(await first.exists(file));

    // Another window: a fresh instance over the same storage resumes at byte 1500.
    const second = uriHubFiles(mem, same);
    assert.strictEqual(await second.size(file), 1500);
    const w2 = await second.append(file, false);
    await w2.write(bytes(700, 3));
    await w2.close();
    assert.deepStrictEqual(await second.list(`${file}.parts`), ['00000000', '00000001', '00000002']);
    assert.strictEqual(await second.size(file), 2200);

    // truncate starts again
    const w3 = await second.append(file, true);
    await w3.write(bytes(10, 4));
    await w3.close();
    assert.strictEqual(await second.size(file), 10);
    await second.remove(file);
    assert.strictEqual(await second.size(file), undefined);
    assert.strictEqual(mem.files.size, 0);
  });

  it('joins the parts once when hashed: sha256 and git\'s blob sha1 equal Node\'s, each byte written twice in all, then renamed to its blob', async () => {
    const mem = new MemoryFs('disk');
    const files = uriHubFiles(mem, same);
    const parts = [bytes(3000, 5), bytes(1, 6), bytes(4096, 7)];
    const all = Buffer.concat(parts);
    const w = await files.append(file, true);
    for (const p of parts) await w.write(p);
    await w.close();
    const sha256 = crypto.createHash('sha256').update(all).digest('hex');
    const sha1 = crypto.createHash('sha1').update(`blob ${all.length}\0`).update(all).digest('hex');
    assert.strictEqual(await files.digest(file, 'sha256'), sha256);
    assert.strictEqual(mem.written, 2 * all.length, 'parts once, the joined file once');
    assert.deepStrictEqual(await files.list(`${file}.parts`), [], 'the parts are gone once joined');
    assert.strictEqual(await files.digest(file, 'git-sha1'), sha1);
    assert.strictEqual(mem.written, 2 * all.length, 'a second digest reads the joined file, writes nothing');
    const blob = file.replace(/\.incomplete$/, '');
    await files.rename(file, blob);
    assert.strictEqual(await files.size(file), undefined);
    assert.deepStrictEqual(Buffer.from(await mem.readFile(blob)), all);
  });

  it('a file joined before the window closed (not yet renamed) is resumed as its first part', async () => {
    const mem = new MemoryFs('disk');
    const files = uriHubFiles(mem, same);
    const w = await files.append(file, true);
    await w.write(bytes(100, 8));
    await w.write(bytes(50, 9));
    await w.close();
    await files.digest(file, 'sha256');
    const again = await uriHubFiles(mem, same).append(file, false);
    await again.write(bytes(25, 10));
    await again.close();
    assert.deepStrictEqual(await files.list(`${file}.parts`), ['00000000', '00000001']);
    assert.strictEqual(await files.size(file), 175);
    const expected = crypto.createHash('sha256').update(Buffer.concat([bytes(100, 8), bytes(50, 9), bytes(25, 10)])).digest('hex');
    assert.strictEqual(await files.digest(file, 'sha256'), expected);
  });

  it('free space is the storage estimate\'s quota less usage where there is one, else unknown; snapshots get copies', async () => {
    const mem = new MemoryFs('disk');
    assert.strictEqual(await uriHubFiles(mem, same, async () => ({ quota: 5e9, usage: 1e9 })).freeBytes(STORE), 4e9);
    assert.strictEqual(await uriHubFiles(mem, same, async () => ({ quota: 5e9 })).freeBytes(STORE), undefined);
    assert.strictEqual(await uriHubFiles(mem, same, async () => { throw new Error('no'); }).freeBytes(STORE), undefined);
    assert.strictEqual(await uriHubFiles(mem, same).freeBytes(STORE), undefined);
    const files = uriHubFiles(mem, same);
    mem.put(`${STORE}/blob`, 'hello');
    assert.strictEqual(await files.linkOrCopy(`${STORE}/blob`, `${STORE}/snap/a/b.txt`), 'copy');
    assert.strictEqual(await files.readText(`${STORE}/snap/a/b.txt`), 'hello');
    await files.writeTextAtomic(`${STORE}/refs/main`, 'abc');
    assert.strictEqual(await files.readText(`${STORE}/refs/main`), 'abc');
    assert.deepStrictEqual([...mem.files.keys()].filter((k) => k.endsWith('.tmp')), []);
  });

  it('joins Uri paths keeping scheme://authority, and scheme:/path as it is', () => {
    assert.strictEqual(joinPath('vscode-remote://localhost:8080/home/u/.local', 'hub', 'models--a--b'), 'vscode-remote://localhost:8080/home/u/.local/hub/models--a--b');
    assert.strictEqual(joinPath(STORE, 'hub'), `${STORE}/hub`);
    assert.strictEqual(joinPath('file:///tmp/x/', 'hub'), 'file:///tmp/x/hub');
    assert.strictEqual(joinPath('/home//u/', 'hub'), '/home/u/hub');
  });
});

describe('Hub cache in the browser host: a download from the local Hub', function () {
  this.timeout(60000);
  let server: HubServer;
  let repos: TestRepos;
  before(async () => {
    repos = testRepos();
    server = await HubServer.start([repos.gpt2]);
  });
  after(async () => {
    await server.close();
    fs.rmSync(repos.dir, { recursive: true, force: true });
  });

  it('downloads with the fetch following redirects into the global storage, resumes a dropped graph from its parts, and the cache lists the model', async () => {
    const mem = new MemoryFs('disk');
    const files = uriHubFiles(mem, same);
    const cache = hubCacheDir({ get: (n) => (n === 'HF_HOME' ? STORE : undefined), home: '' });
    assert.strictEqual(cache, `${STORE}/hub`);
    const h = client(server, GRANTED_TOKEN, { redirects: 'browser' });
    const l = await fetchListing(h, 'test-org/tiny-gpt2');
    // fp32: the CDN serves a blob under the first path with its bytes, and the q8 graph here has onnx/model.onnx's.
    const v = variantsOf(l.files).find((x) => x.dtype === 'fp32')!;
    const graph = repos.gpt2.files.find((f) => f.path === v.graph)!;
    server.drop.set(v.graph, Math.floor(graph.size / 3));
    server.requests.length = 0;
    const snap = await downloadFiles(h, files, { repo: 'test-org/tiny-gpt2', sha: l.sha, files: v.files, cache }, () => undefined);
    assert.strictEqual(snap, `${cache}/models--test-org--tiny-gpt2/snapshots/${l.sha}`);
    assert.deepStrictEqual(Buffer.from(await mem.readFile(`${snap}/${v.graph}`)), fs.readFileSync(graph.source));
    assert.ok(server.requests.some((r) => r.server === 'cdn' && r.headers.range === `bytes=${Math.floor(graph.size / 3)}-`), 'the dropped graph resumed with Range');
    assert.ok(![...mem.files.keys()].some((k) => k.includes('.incomplete')), 'nothing incomplete left');
    // The panel's header names the repo, not the commit folder (here and on disk alike).
    assert.strictEqual(folderDisplayName(snap, uriModelFs(mem, same)), 'test-org/tiny-gpt2');
    assert.strictEqual(folderDisplayName(`/home/u/.cache/huggingface/hub/models--org--na-me/snapshots/${l.sha}`, modelFs), 'org/na-me');
    assert.strictEqual(folderDisplayName('/models/my-gpt2', modelFs), 'my-gpt2');
    const listed = await cachedModels(files, cache);
    assert.deepStrictEqual(listed.map((m) => [m.repo, m.dir, m.graphs.map((g) => g.path).join()]), [['test-org/tiny-gpt2', snap, v.graph]]);
    // The browser's fetch (here Node's, which follows as the Fetch standard says) dropped the token at the CDN.
    const hub = server.requests.filter((r) => r.server === 'hub');
    const cdn = server.requests.filter((r) => r.server === 'cdn');
    assert.ok(hub.length > 0 && cdn.length > 0);
    assert.ok(hub.every((r) => r.headers.authorization === `Bearer ${GRANTED_TOKEN}`));
    assert.ok(cdn.every((r) => r.headers.authorization === undefined), 'the token reached the CDN');
    assert.ok([...hub, ...cdn].every((r) => r.headers['user-agent'] !== 'attention-lens/0.1.0'), 'no User-Agent of ours in the browser mode');
  });
});
