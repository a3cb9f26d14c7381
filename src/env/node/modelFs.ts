// Model files on the Node host: local paths, with ranged reads so a 1 GB graph is never read whole
// to be checked or sent in chunks. The browser host's twin is src/env/browser/modelFs.ts.
import { promises as fs } from 'fs';
import * as path from 'path';
import type { FileInfo, ModelFs, OpenFile } from '../../models/modelFs';

async function open(p: string): Promise<OpenFile> {
  const handle = await fs.open(p, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(pos, len) {
      const buf = new Uint8Array(Math.max(0, Math.min(len, size - pos)));
      if (buf.length > 0) await handle.read(buf, 0, buf.length, pos);
      return buf;
    },
    close: () => handle.close(),
  };
}

export const modelFs: ModelFs = {
  join: (dir, ...names) => path.join(dir, ...names),
  dirname: (p) => path.dirname(p),
  basename: (p) => path.basename(p),
  unreadable: () => undefined,
  async stat(p): Promise<FileInfo | undefined> {
    try {
      const st = await fs.stat(p);
      return { type: st.isDirectory() ? 'dir' : 'file', size: st.size, mtimeMs: st.mtimeMs };
    } catch {
      return undefined;
    }
  },
  async isFile(p) {
    try {
      return (await fs.stat(p)).isFile();
    } catch {
      return false;
    }
  },
  readBytes: (p) => fs.readFile(p),
  open,
  async list(dir) {
    try {
      return await fs.readdir(dir);
    } catch {
      return [];
    }
  },
  async writeBytes(p, data) {
    await fs.mkdir(path.dirname(p), { recursive: true });
    await fs.writeFile(p, data);
  },
};
