// A model file's SHA-256 in the browser worker host: Web Crypto hashes whole buffers only, and the
// browser host's open file is already held whole (src/env/browser/uriModelFs.ts), so it reads it
// once. The Node host's twin is src/env/node/contentHash.ts.
import type { OpenFile } from '../../models/modelFs';
import { hex } from './uriHubFiles';

export async function sha256Of(file: OpenFile): Promise<string> {
  // A file's bytes are never shared memory (the type allows it; subtle.digest does not).
  const bytes = (await file.read(0, file.size)) as Uint8Array<ArrayBuffer>;
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}
