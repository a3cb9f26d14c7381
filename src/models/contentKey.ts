// The SHA-256 of a model's files, sent with init so the page can keep the bytes in its own cache
// and a later panel or window takes them from there instead of moving them again (issue 20:
// moving a 244 MB graph into the webview was 72 % of a cold Explain). A file whose size and
// modification time are unchanged is not read again: not in this host, nor (with a store given at
// activation) in a later window's, where hashing 244 MB took 0.4 s of the cold command.
import { sha256Of } from '../env/node/contentHash';
import type { Loc, OpenFile } from './modelFs';

/** Where hashes outlive the host: VS Code's globalState, or anything that reads and writes the same way. */
export interface HashStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const STORE_KEY = 'attentionLens.modelHashes';
/** Enough for every model a user switches between; the oldest is forgotten first. */
const KEEP = 64;

const known = new Map<string, string>();
let store: HashStore | null = null;

/** Keeps hashes in `s` from now on, and takes those it already holds. */
export function rememberHashesIn(s: HashStore): void {
  store = s;
  const held = s.get<[string, string][]>(STORE_KEY);
  if (!Array.isArray(held)) return;
  for (const e of held) {
    if (Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string' && /^[0-9a-f]{64}$/.test(e[1])) known.set(e[0], e[1]);
  }
}

/**
 * The file's SHA-256. `mtimeMs` 0 means the host cannot tell when the file changed (vscode.dev's
 * extension files): such a file is hashed every time, never remembered.
 */
export async function contentSha256(loc: Loc, file: OpenFile, mtimeMs: number): Promise<string> {
  const key = `${file.size}:${mtimeMs}:${loc}`;
  const hit = mtimeMs > 0 ? known.get(key) : undefined;
  if (hit) return hit;
  const sha256 = await sha256Of(file);
  if (mtimeMs > 0) {
    known.delete(key);
    known.set(key, sha256);
    while (known.size > KEEP) known.delete(known.keys().next().value as string);
    void Promise.resolve(store?.update(STORE_KEY, [...known])).catch(() => undefined);
  }
  return sha256;
}
