// A model file's SHA-256 on the Node host: read in ranged chunks, so a 1 GB graph is never held
// whole to be hashed. The browser host's twin is src/env/browser/contentHash.ts.
import { createHash } from 'crypto';
import type { OpenFile } from '../../models/modelFs';

const CHUNK = 16 * 1024 * 1024;

export async function sha256Of(file: OpenFile): Promise<string> {
  const h = createHash('sha256');
  for (let pos = 0; pos < file.size; pos += CHUNK) h.update(await file.read(pos, Math.min(CHUNK, file.size - pos)));
  return h.digest('hex');
}
