// The Hugging Face cache every client shares (huggingface.co/docs/hub/local-cache):
//   $HF_HUB_CACHE/models--{org}--{name}/{blobs/<etag>, snapshots/<commit>/<path> → ../../blobs/<etag>, refs/main}
// so a model fetched here is one Python, JS or llama.cpp already sees, and theirs are ours.
import { joinPath, type HubEnv, type HubFiles } from './files';
import { graphDtype } from './variants';

function home(env: HubEnv): string {
  return env.get('HF_HOME')?.trim() || joinPath(env.get('XDG_CACHE_HOME')?.trim() || joinPath(env.home, '.cache'), 'huggingface');
}

/** $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function hubCacheDir(env: HubEnv): string {
  return env.get('HF_HUB_CACHE')?.trim() || joinPath(home(env), 'hub');
}

/** HF_HUB_OFFLINE=1 (or true/yes/on): the cache only, no request at all. */
export function isOffline(env: HubEnv): boolean {
  return /^(1|true|yes|on)$/i.test(env.get('HF_HUB_OFFLINE')?.trim() ?? '');
}

/** HF_TOKEN (or the older HUGGING_FACE_HUB_TOKEN), else the file `huggingface-cli login` writes. */
export async function envToken(env: HubEnv, files: HubFiles): Promise<string | undefined> {
  const fromEnv = env.get('HF_TOKEN')?.trim() || env.get('HUGGING_FACE_HUB_TOKEN')?.trim();
  if (fromEnv) return fromEnv;
  return (await files.readText(joinPath(home(env), 'token')))?.trim() || undefined;
}

export function repoDir(cache: string, repo: string): string {
  return joinPath(cache, `models--${repo.replace('/', '--')}`);
}

export function blobPath(dir: string, etag: string): string {
  return joinPath(dir, 'blobs', etag);
}

export function snapshotDir(dir: string, sha: string): string {
  return joinPath(dir, 'snapshots', sha);
}

export async function readMainRef(files: HubFiles, dir: string): Promise<string | undefined> {
  const sha = (await files.readText(joinPath(dir, 'refs', 'main')))?.trim();
  return sha && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
}

export function writeMainRef(files: HubFiles, dir: string, sha: string): Promise<void> {
  return files.writeTextAtomic(joinPath(dir, 'refs', 'main'), sha);
}

export interface CachedModel {
  repo: string;
  sha: string;
  /** The snapshot folder. */
  dir: string;
  /** Graphs present in it (repo paths), with their dtype. */
  graphs: { path: string; dtype: string }[];
}

/** The files in a snapshot (repo paths), the top and onnx/ (where the graphs are). */
export async function snapshotFiles(files: HubFiles, dir: string): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  for (const sub of ['', 'onnx']) {
    for (const name of await files.list(joinPath(dir, sub))) {
      const p = sub === '' ? name : `${sub}/${name}`;
      const size = await files.size(joinPath(dir, p));
      if (size !== undefined) out.push({ path: p, size });
    }
  }
  return out;
}

/** Models in the cache at refs/main with at least one graph Attention Lens can run. */
export async function cachedModels(files: HubFiles, cache: string): Promise<CachedModel[]> {
  const out: CachedModel[] = [];
  for (const name of (await files.list(cache)).sort()) {
    const m = /^models--([^-].*?)--(.+)$/.exec(name);
    if (!m) continue;
    const dir = joinPath(cache, name);
    const sha = await readMainRef(files, dir);
    if (!sha) continue;
    const snap = snapshotDir(dir, sha);
    const present = await snapshotFiles(files, snap);
    if (!present.some((f) => f.path === 'config.json') || !present.some((f) => f.path === 'tokenizer.json')) continue;
    const graphs = present.flatMap((f) => {
      const dtype = graphDtype(f.path);
      return dtype ? [{ path: f.path, dtype }] : [];
    });
    if (graphs.length > 0) out.push({ repo: `${m[1]}/${m[2]}`, sha, dir: snap, graphs });
  }
  return out;
}
