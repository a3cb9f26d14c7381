// Fetching a set of files of one commit into the cache: each into blobs/<etag>.incomplete, resumed
// with Range (a 206 continues, a 200 starts again: huggingface_hub file_download.py::http_get) within
// this download and across windows, its hash checked against the Hub's before it is renamed to its
// blob; only then is it linked into snapshots/<commit>/. Nothing half-written is ever used.
import { blobPath, repoDir, snapshotDir, writeMainRef } from './cache';
import { resolveUrl } from './endpoint';
import { HubError } from './errors';
import { joinPath, type HubFiles } from './files';
import { hubGet, networkError, type HubHttp } from './http';
import type { RepoFile } from './listing';
import { ProgressMeter, type DownloadProgress } from './progress';

export interface DownloadJob {
  repo: string;
  sha: string;
  files: RepoFile[];
  cache: string;
}

/** Room kept free beyond the files themselves. */
const SPARE_BYTES = 64 * 1024 * 1024;
const MAX_ATTEMPTS = 6;
const BATCH_BYTES = 1024 * 1024;

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function etagOf(f: RepoFile, repo: string): string {
  const e = f.lfsSha256 ?? f.gitOid;
  if (!e) throw new HubError('badListing', `the Hub's file list for ${repo} gives ${f.path} no hash`);
  return e;
}

function unquote(v: string | null): string | undefined {
  return v === null ? undefined : v.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** Fetches what is missing and links the snapshot; returns the snapshot folder. */
export async function downloadFiles(h: HubHttp, files: HubFiles, job: DownloadJob, onProgress: (p: DownloadProgress) => void): Promise<string> {
  const dir = repoDir(job.cache, job.repo);
  const missing: RepoFile[] = [];
  let have = 0;
  let need = 0;
  for (const f of job.files) {
    const blob = blobPath(dir, etagOf(f, job.repo));
    if ((await files.size(blob)) === f.size) {
      have += f.size;
      continue;
    }
    const partial = Math.min((await files.size(`${blob}.incomplete`)) ?? 0, f.size);
    have += partial;
    need += f.size - partial;
    missing.push(f);
  }
  const total = job.files.reduce((s, f) => s + f.size, 0);
  const free = await files.freeBytes(job.cache);
  if (free !== undefined && free < need + SPARE_BYTES) {
    throw new HubError('disk', `${job.repo} needs ${Math.ceil(need / 1e6)} MB more in ${job.cache}, and only ${Math.floor(free / 1e6)} MB are free`);
  }
  const meter = new ProgressMeter(total, have);
  onProgress(meter.add(0, missing[0]?.path ?? ''));
  for (const f of missing) await downloadBlob(h, files, job, dir, f, meter, onProgress);
  const snap = snapshotDir(dir, job.sha);
  for (const f of job.files) await files.linkOrCopy(blobPath(dir, etagOf(f, job.repo)), joinPath(snap, f.path));
  await writeMainRef(files, dir, job.sha);
  return snap;
}

async function downloadBlob(
  h: HubHttp, files: HubFiles, job: DownloadJob, dir: string, f: RepoFile, meter: ProgressMeter, onProgress: (p: DownloadProgress) => void,
): Promise<void> {
  const etag = etagOf(f, job.repo);
  const blob = blobPath(dir, etag);
  const partial = `${blob}.incomplete`;
  let at = (await files.size(partial)) ?? 0;
  if (at > f.size) {
    await files.remove(partial);
    at = 0;
  }
  const what = { repo: job.repo, file: f.path };
  let lastError: HubError | undefined;
  for (let attempt = 0; at < f.size || attempt === 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS) throw lastError ?? new HubError('network', `${job.repo}/${f.path} stopped arriving`);
    if (at === f.size) break;
    const { response, hubHeaders } = await hubGet(h, resolveUrl(h.endpoint, job.repo, job.sha, f.path), what, at);
    checkHeaders(hubHeaders, job, f);
    let restart = at > 0 && response.status === 200;
    if (response.status === 206) {
      const start = /bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
      if (!start || Number(start[1]) !== at) restart = true;
    } else if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new HubError('server', `the Hub answered HTTP ${response.status} for ${job.repo}/${f.path}`);
    }
    if (restart) {
      // The server sent the whole file (or another range): start again from byte 0.
      onProgress(meter.add(-at, f.path));
      at = 0;
      if (response.status === 206) {
        await response.body?.cancel().catch(() => undefined);
        await files.remove(partial);
        continue;
      }
    }
    const writer = await files.append(partial, at === 0);
    try {
      const reader = response.body?.getReader();
      if (!reader) throw new HubError('network', `the Hub sent no body for ${f.path}`);
      // Chunks arrive at 16–64 kB: written in batches of 1 MB, far fewer writes; progress still per chunk.
      let batch: Uint8Array[] = [];
      let batched = 0;
      const flush = async (): Promise<void> => {
        if (batched === 0) return;
        await writer.write(batch.length === 1 ? batch[0]! : concat(batch, batched));
        at += batched;
        batch = [];
        batched = 0;
      };
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (at + batched + value.length > f.size) throw new HubError('integrity', `the Hub sent more than the ${f.size} bytes of ${job.repo}/${f.path}`);
          batch.push(value);
          batched += value.length;
          onProgress(meter.add(value.length, f.path));
          if (batched >= BATCH_BYTES) await flush();
        }
      } finally {
        await flush(); // what arrived before a dropped connection is kept for the resume
      }
      lastError = undefined;
    } catch (e) {
      const err = networkError(e, h.signal, `${job.repo}/${f.path}`);
      if (err.kind !== 'network') throw err;
      lastError = err; // the connection dropped: the next attempt resumes where it stopped
    } finally {
      await writer.close();
    }
  }
  const kind = f.lfsSha256 ? 'sha256' : 'git-sha1';
  const got = await files.digest(partial, kind);
  if (got !== etag) {
    await files.remove(partial);
    throw new HubError('integrity', `${job.repo}/${f.path} arrived damaged (its ${kind} is not the Hub's): removed; download again`);
  }
  await files.rename(partial, blob);
}

/** The Hub's headers must agree with the listing: same commit, same hash, same size. */
function checkHeaders(headers: Headers, job: DownloadJob, f: RepoFile): void {
  const commit = headers.get('x-repo-commit');
  if (commit !== null && commit !== job.sha) throw new HubError('integrity', `the Hub served ${f.path} from commit ${commit}, not ${job.sha}`);
  const linked = unquote(headers.get('x-linked-etag'));
  if (f.lfsSha256 && linked !== undefined && linked !== f.lfsSha256) {
    throw new HubError('integrity', `the Hub's sha256 for ${job.repo}/${f.path} (${linked}) is not its listing's (${f.lfsSha256}): refused`);
  }
  const size = headers.get('x-linked-size');
  if (size !== null && Number(size) !== f.size) {
    throw new HubError('integrity', `the Hub's size for ${job.repo}/${f.path} (${size}) is not its listing's (${f.size}): refused`);
  }
}
