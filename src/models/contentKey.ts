// The SHA-256 of a model's files, sent with init so the page can keep the bytes in its own cache
// and a later panel or window takes them from there instead of moving them again (issue 20:
// moving a 244 MB graph into the webview was 72 % of a cold Explain). Hashing reads the file once
// per host; a file whose size and modification time are unchanged is not read again.
import { sha256Of } from '../env/node/contentHash';
import type { Loc, OpenFile } from './modelFs';

const known = new Map<string, string>();
/** Enough for every model a session switches between; the oldest is forgotten first. */
const KEEP = 64;

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
    known.set(key, sha256);
    if (known.size > KEEP) known.delete(known.keys().next().value as string);
  }
  return sha256;
}
