// A repo pinned to one commit: model info gives the sha (and gating, licence), then the tree at that
// sha lists every file with its size and hashes, page by page as the Hub's `Link: <…>; rel="next"`
// says (huggingface_hub _snapshot_download.py, hf_api.py::list_repo_tree). Every entry is checked
// before anything is written from it.
import { HubError } from './errors';
import { infoUrl, treeUrl } from './endpoint';
import { hubGet, readJson, type HubHttp } from './http';

export interface RepoFile {
  path: string;
  size: number;
  /** sha256 of an LFS file (what X-Linked-Etag says and the blob is named by). */
  lfsSha256?: string;
  /** git's blob sha1 (the ETag of a small file). */
  gitOid?: string;
}

export interface RepoListing {
  repo: string;
  /** The 40-hex commit every file is fetched at. */
  sha: string;
  gated: boolean;
  license?: string;
  files: RepoFile[];
}

const MAX_PAGES = 200;
const SHA1 = /^[0-9a-f]{40}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** The next page's URL from a Link header, or undefined. */
export function nextLink(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

/** A path the cache may hold: relative, '/'-separated, no '..', '.', empty or odd parts. */
export function safeRepoPath(p: string): boolean {
  if (p === '' || p.length > 1000 || p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function entry(repo: string, v: unknown): RepoFile | undefined {
  if (!isRecord(v)) throw new HubError('badListing', `the Hub's file list for ${repo} holds an entry that is not an object`);
  if (v.type === 'directory') return undefined;
  const p = v.path;
  if (typeof p !== 'string' || !safeRepoPath(p)) {
    throw new HubError('badListing', `the Hub's file list for ${repo} names a path that is absolute, empty or climbs out (${JSON.stringify(p)}): refused`);
  }
  const size = v.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new HubError('badListing', `the Hub's file list for ${repo} gives ${p} no valid size`);
  const f: RepoFile = { path: p, size };
  if (typeof v.oid === 'string' && SHA1.test(v.oid)) f.gitOid = v.oid;
  if (v.lfs !== undefined && v.lfs !== null) {
    const lfs = v.lfs;
    if (!isRecord(lfs) || typeof lfs.oid !== 'string' || !SHA256.test(lfs.oid)) throw new HubError('badListing', `the Hub's file list for ${repo} gives ${p} no valid sha256`);
    if (lfs.size !== size) throw new HubError('badListing', `the Hub's file list for ${repo} gives ${p} two sizes (${size} and ${String(lfs.size)}): refused`);
    f.lfsSha256 = lfs.oid;
  }
  return f;
}

/** Model info at `revision` (pins the commit), then the whole tree at that commit. */
export async function fetchListing(h: HubHttp, repo: string, revision = 'main'): Promise<RepoListing> {
  const info = await readJson((await hubGet(h, infoUrl(h.endpoint, repo, revision), { repo })).response, repo);
  if (!isRecord(info) || typeof info.sha !== 'string' || !SHA1.test(info.sha)) throw new HubError('badListing', `the Hub's model info for ${repo} has no commit sha`);
  const card = isRecord(info.cardData) ? info.cardData : {};
  const listing: RepoListing = { repo, sha: info.sha, gated: info.gated !== false && info.gated !== undefined, files: [] };
  if (typeof card.license === 'string') listing.license = card.license;
  let url: string | undefined = treeUrl(h.endpoint, repo, info.sha);
  const seen = new Set<string>();
  for (let page = 0; url !== undefined; page++) {
    if (page >= MAX_PAGES) throw new HubError('badListing', `the Hub's file list for ${repo} goes on past ${MAX_PAGES} pages`);
    const next = new URL(url, h.endpoint);
    // A next page elsewhere would be an odd Hub: refuse rather than follow it.
    if (next.origin !== h.endpoint.origin) throw new HubError('badListing', `the Hub's file list for ${repo} points to another host`);
    const { response } = await hubGet(h, next.href, { repo });
    const body = await readJson(response, repo);
    if (!Array.isArray(body)) throw new HubError('badListing', `the Hub's file list for ${repo} is not a list`);
    for (const v of body) {
      const f = entry(repo, v);
      if (!f) continue;
      if (seen.has(f.path)) throw new HubError('badListing', `the Hub's file list for ${repo} names ${f.path} twice`);
      seen.add(f.path);
      listing.files.push(f);
    }
    url = nextLink(response.headers.get('link'));
  }
  return listing;
}
