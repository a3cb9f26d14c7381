// The Hub client's file access on Node (src/hub/files.ts): the user's cache on the local disk.
import * as crypto from 'crypto';
import { createReadStream, promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as vscode from 'vscode';
import type { FileWriter, HubEnv, HubFiles } from '../../hub/files';

async function digest(file: string, kind: 'sha256' | 'git-sha1'): Promise<string> {
  const h = crypto.createHash(kind === 'sha256' ? 'sha256' : 'sha1');
  // git hashes "blob <size>\0" + content: the ETag the Hub gives small files.
  if (kind === 'git-sha1') h.update(`blob ${(await fs.stat(file)).size}\0`);
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export const nodeFiles: HubFiles = {
  async size(p) {
    try {
      const st = await fs.stat(p);
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  },
  async exists(p) {
    try {
      await fs.stat(p);
      return true;
    } catch {
      return false;
    }
  },
  async readText(p) {
    try {
      return await fs.readFile(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  async writeTextAtomic(p, text) {
    await fs.mkdir(path.dirname(p), { recursive: true });
    const tmp = `${p}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, text);
    await fs.rename(tmp, p);
  },
  async append(p, truncate): Promise<FileWriter> {
    await fs.mkdir(path.dirname(p), { recursive: true });
    const handle = await fs.open(p, truncate ? 'w' : 'a');
    return {
      write: async (data) => {
        await handle.write(data);
      },
      close: () => handle.close(),
    };
  },
  rename: (from, to) => fs.rename(from, to),
  remove: (p) => fs.rm(p, { force: true, recursive: true }),
  mkdirs: async (p) => {
    await fs.mkdir(p, { recursive: true });
  },
  async list(p) {
    try {
      return await fs.readdir(p);
    } catch {
      return [];
    }
  },
  async linkOrCopy(target, link) {
    await fs.mkdir(path.dirname(link), { recursive: true });
    await fs.rm(link, { force: true });
    try {
      await fs.symlink(path.relative(path.dirname(link), target), link);
      return 'link';
    } catch {
      // Windows without developer mode, some network shares: huggingface_hub copies too.
      await fs.copyFile(target, link);
      return 'copy';
    }
  },
  digest,
  async freeBytes(p) {
    let dir = p;
    for (;;) {
      try {
        const st = await fs.statfs(dir);
        return st.bavail * st.bsize;
      } catch {
        const up = path.dirname(dir);
        if (up === dir) return undefined;
        dir = up;
      }
    }
  },
};

export const nodeEnv: HubEnv = {
  get: (name) => process.env[name],
  home: os.homedir(),
};

/** The environment the Hub's conventions read; the extension's global storage is not used on Node (the user's cache is). */
export function hubEnv(_globalStorage: vscode.Uri): HubEnv {
  return nodeEnv;
}
