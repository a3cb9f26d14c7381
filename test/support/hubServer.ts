// A local Hugging Face Hub for tests, on 127.0.0.1: one port answers as huggingface.co does (model
// info, the tree paginated with Link, resolve with X-Repo-Commit / X-Linked-Etag / X-Linked-Size and
// a 302 for LFS files, the X-Error-Code errors, 429 with RateLimit), the other as its CDN does (the
// signed blob URL, Range → 206). Faults are switched on per test: a dropped connection, a 200 to a
// Range, damaged bytes, a hostile listing. Every request is recorded, headers included. Both answer
// CORS as the Hub and its CDN do, so a browser (the web pass's worker host) can read them.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { GRANTED_TOKEN, PLAIN_TOKEN } from './hubTokens';

export interface ServedFile { path: string; size: number; sha256: string; gitSha1: string; lfs: boolean; source: string }
export interface ServedRepo { id: string; sha: string; files: ServedFile[]; gated: boolean; private: boolean; license?: string; extraEntries?: object[] }
export interface Recorded { server: 'hub' | 'cdn'; method: string; url: string; headers: http.IncomingHttpHeaders }

/** Tokens the server knows (hubTokens.ts). */
export { GRANTED_TOKEN, PLAIN_TOKEN };

/** What a page may read of an answer: the Hub's own headers, and those a resumed or paged read needs. */
const EXPOSED = 'X-Repo-Commit, X-Linked-Etag, X-Linked-Size, X-Error-Code, X-Error-Message, ETag, Link, Content-Range, Accept-Ranges, Content-Length, RateLimit, Retry-After';

/**
 * CORS on every answer (the Hub echoes the page's origin, its CDN says *); true when this was a
 * preflight, answered here: a request with a token or a Range header is preflighted by the browser.
 */
function cors(q: http.IncomingMessage, r: http.ServerResponse, echoOrigin: boolean): boolean {
  const origin = q.headers.origin;
  r.setHeader('access-control-allow-origin', echoOrigin && origin ? origin : '*');
  if (echoOrigin) r.setHeader('vary', 'Origin');
  r.setHeader('access-control-expose-headers', EXPOSED);
  if (q.method !== 'OPTIONS') return false;
  r.writeHead(204, {
    'access-control-allow-methods': 'GET, HEAD, OPTIONS',
    'access-control-allow-headers': 'authorization, range, content-type, user-agent',
    'access-control-max-age': '86400',
  }).end();
  return true;
}

const isLfs = (p: string): boolean => /\.onnx$|\.onnx_data(_\d+)?$|\.onnx\.data$/.test(p);

function hashFile(file: string): { sha256: string; gitSha1: string; size: number } {
  const size = fs.statSync(file).size;
  const a = crypto.createHash('sha256');
  const b = crypto.createHash('sha1').update(`blob ${size}\0`);
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) {
    a.update(buf.subarray(0, n));
    b.update(buf.subarray(0, n));
  }
  fs.closeSync(fd);
  return { sha256: a.digest('hex'), gitSha1: b.digest('hex'), size };
}

/** A repo from {repo path: file on disk}, its commit derived from its content. */
export function makeRepo(id: string, files: Record<string, string>, opts: { gated?: boolean; private?: boolean; license?: string } = {}): ServedRepo {
  const served = Object.entries(files).map(([p, source]) => ({ path: p, source, lfs: isLfs(p), ...hashFile(source) }));
  const sha = crypto.createHash('sha1').update(id + served.map((f) => f.path + f.sha256).join()).digest('hex');
  return { id, sha, files: served, gated: opts.gated ?? false, private: opts.private ?? false, ...(opts.license ? { license: opts.license } : {}) };
}

export class HubServer {
  readonly requests: Recorded[] = [];
  /** Faults, each used once then cleared. */
  rateLimit = { count: 0, seconds: 1 };
  drop = new Map<string, number>(); // repo path → bytes sent before the connection is cut
  ignoreRange = new Set<string>();
  damage = new Set<string>();
  /** The CDN's speed in bytes a second (0: as fast as it goes), so a user has time to cancel. */
  throttle = 0;
  pageSize = 2;
  private hub!: http.Server;
  private cdn!: http.Server;
  hubUrl = '';
  cdnUrl = '';

  constructor(readonly repos: ServedRepo[]) {}

  static async start(repos: ServedRepo[]): Promise<HubServer> {
    const s = new HubServer(repos);
    s.hub = http.createServer((q, r) => s.answerHub(q, r));
    s.cdn = http.createServer((q, r) => s.answerCdn(q, r));
    s.hubUrl = await listen(s.hub);
    s.cdnUrl = await listen(s.cdn);
    return s;
  }

  close(): Promise<void> {
    this.hub.closeAllConnections();
    this.cdn.closeAllConnections();
    return Promise.all([new Promise((r) => this.hub.close(r)), new Promise((r) => this.cdn.close(r))]).then(() => undefined);
  }

  private token(q: http.IncomingMessage): string | undefined {
    const m = /^Bearer (.+)$/.exec(q.headers.authorization ?? '');
    return m && (m[1] === GRANTED_TOKEN || m[1] === PLAIN_TOKEN) ? m[1] : undefined;
  }

  private fail(r: http.ServerResponse, status: number, code: string): void {
    r.writeHead(status, { 'x-error-code': code, 'content-type': 'application/json' }).end(JSON.stringify({ error: code }));
  }

  private answerHub(q: http.IncomingMessage, r: http.ServerResponse): void {
    this.requests.push({ server: 'hub', method: q.method ?? '', url: q.url ?? '', headers: q.headers });
    if (cors(q, r, true)) return;
    if (this.rateLimit.count > 0) {
      this.rateLimit.count--;
      r.writeHead(429, { ratelimit: `"resolvers";r=0;t=${this.rateLimit.seconds}`, 'ratelimit-policy': '"fixed window";"resolvers";q=3000;w=300' }).end();
      return;
    }
    const url = new URL(q.url ?? '/', this.hubUrl);
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/(revision|tree)\/([^/]+)$/.exec(url.pathname);
    const res = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const id = api?.[1] ?? res?.[1];
    const repo = this.repos.find((x) => x.id === id);
    const token = this.token(q);
    if (!repo || (repo.private && !token)) return this.fail(r, token ? 404 : 401, 'RepoNotFound');
    const rev = decodeURIComponent(api?.[3] ?? res?.[2] ?? '');
    if (rev !== 'main' && rev !== repo.sha) return this.fail(r, 404, 'RevisionNotFound');
    if (api?.[2] === 'revision') {
      const body = { id: repo.id, sha: repo.sha, gated: repo.gated ? 'manual' : false, private: repo.private, cardData: repo.license ? { license: repo.license } : {}, siblings: repo.files.map((f) => ({ rfilename: f.path })) };
      r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    if (api?.[2] === 'tree') return this.tree(repo, url, r);
    if (!res) return this.fail(r, 404, 'EntryNotFound');
    if (repo.gated && token !== GRANTED_TOKEN) return this.fail(r, token ? 403 : 401, 'GatedRepo');
    const file = repo.files.find((f) => f.path === decodeURIComponent(res[3]!));
    if (!file) return this.fail(r, 404, 'EntryNotFound');
    const headers: http.OutgoingHttpHeaders = { 'x-repo-commit': repo.sha, etag: `"${file.lfs ? file.sha256 : file.gitSha1}"` };
    if (!file.lfs) return this.body(file, q, r, headers);
    headers['x-linked-etag'] = `"${file.sha256}"`;
    headers['x-linked-size'] = String(file.size);
    headers.location = `${this.cdnUrl}/blobs/${file.sha256}?X-Amz-Signature=${crypto.randomBytes(8).toString('hex')}`;
    r.writeHead(302, headers).end();
  }

  private tree(repo: ServedRepo, url: URL, r: http.ServerResponse): void {
    const dirs = [...new Set(repo.files.filter((f) => f.path.includes('/')).map((f) => f.path.split('/')[0]!))];
    const entries: object[] = [
      ...dirs.map((d) => ({ type: 'directory', path: d, oid: '0'.repeat(40), size: 0 })),
      ...repo.files.map((f) => ({ type: 'file', path: f.path, size: f.size, oid: f.lfs ? crypto.createHash('sha1').update(f.sha256).digest('hex') : f.gitSha1, ...(f.lfs ? { lfs: { oid: f.sha256, size: f.size, pointerSize: 134 } } : {}) })),
      ...(repo.extraEntries ?? []),
    ];
    const at = Number(url.searchParams.get('cursor') ?? '0');
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
    if (at + this.pageSize < entries.length) {
      headers.link = `<${this.hubUrl}${url.pathname}?recursive=true&expand=false&cursor=${at + this.pageSize}>; rel="next"`;
    }
    r.writeHead(200, headers).end(JSON.stringify(entries.slice(at, at + this.pageSize)));
  }

  private answerCdn(q: http.IncomingMessage, r: http.ServerResponse): void {
    this.requests.push({ server: 'cdn', method: q.method ?? '', url: q.url ?? '', headers: q.headers });
    if (cors(q, r, false)) return;
    const m = /^\/blobs\/([0-9a-f]{64})\?X-Amz-Signature=/.exec(q.url ?? '');
    const file = this.repos.flatMap((x) => x.files).find((f) => f.sha256 === m?.[1]);
    if (!file) return void r.writeHead(403).end('signature');
    this.body(file, q, r, {});
  }

  /** The file's bytes, from `Range: bytes=N-` on when asked (206), with this test's faults. */
  private body(file: ServedFile, q: http.IncomingMessage, r: http.ServerResponse, headers: http.OutgoingHttpHeaders): void {
    const range = /^bytes=(\d+)-$/.exec(q.headers.range ?? '');
    let start = range && !this.ignoreRange.delete(file.path) ? Number(range[1]) : 0;
    if (start > file.size) start = file.size;
    const status = start > 0 ? 206 : 200;
    if (status === 206) headers['content-range'] = `bytes ${start}-${file.size - 1}/${file.size}`;
    headers['content-length'] = String(file.size - start);
    headers['accept-ranges'] = 'bytes';
    r.writeHead(status, headers);
    if (q.method === 'HEAD' || start === file.size) return void r.end();
    const cut = this.drop.get(file.path);
    if (cut !== undefined) this.drop.delete(file.path);
    const damaged = this.damage.delete(file.path);
    const stream = fs.createReadStream(file.source, { start, ...(cut !== undefined ? { end: Math.max(start, cut - 1) } : {}) });
    stream.on('data', (chunk) => {
      const b = chunk as Buffer;
      if (damaged) b[0] = b[0]! ^ 0xff;
      r.write(b);
      if (this.throttle > 0) {
        stream.pause();
        setTimeout(() => stream.resume(), (1000 * b.length) / this.throttle);
      }
    });
    r.on('close', () => stream.destroy());
    stream.on('end', () => (cut !== undefined ? r.socket?.destroy() : r.end()));
  }
}

function listen(s: http.Server): Promise<string> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
}
