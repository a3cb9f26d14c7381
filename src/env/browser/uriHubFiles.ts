// The Hub client's files (src/hub/files.ts) through a VS Code-style file system: vscode.workspace.fs in
// the browser worker host, where paths are Uri strings under the extension's global storage. Kept free
// of the vscode module (the file system and the Uri parser are passed in) so unit tests can run it
// over an in-memory one.
//
// workspace.fs has no append and no links. A file being downloaded (`append`) is kept as numbered part
// files in `<path>.parts/`, one per write, so each byte is written once and what arrived survives a
// closed window (the next download resumes from the parts' total); it is joined into `<path>` when it
// is first read whole (digest or rename), once. Snapshots get copies of their blobs.
import { parentOf, type FileWriter, type HubFiles } from '../../hub/files';
import type { UriFileSystem } from './uriModelFs';

/** The part of vscode.FileSystem used here beyond what model reading needs. */
export interface UriHubFileSystem<U> extends UriFileSystem<U> {
  rename(from: U, to: U, options: { overwrite: boolean }): PromiseLike<void>;
  delete(uri: U, options: { recursive: boolean; useTrash: boolean }): PromiseLike<void>;
  copy(from: U, to: U, options: { overwrite: boolean }): PromiseLike<void>;
}

const FILE = 1;
const PARTS = '.parts';

const partName = (i: number): string => String(i).padStart(8, '0');
/** A digest in lowercase hex (also src/env/browser/contentHash.ts). */
export const hex = (b: ArrayBuffer): string => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/**
 * @param estimate the browser's storage estimate (navigator.storage.estimate), where there is one: it
 *   bounds what the origin may still store, which is what a download into browser storage can use.
 */
export function uriHubFiles<U>(fs: UriHubFileSystem<U>, parse: (p: string) => U, estimate?: () => Promise<{ quota?: number; usage?: number }>): HubFiles {
  const stat = async (p: string): Promise<{ type: number; size: number } | undefined> => {
    try {
      return await fs.stat(parse(p));
    } catch {
      return undefined;
    }
  };
  const fileSize = async (p: string): Promise<number | undefined> => {
    const st = await stat(p);
    return st && (st.type & FILE) !== 0 ? st.size : undefined;
  };
  const names = async (dir: string): Promise<string[]> => {
    try {
      return (await fs.readDirectory(parse(dir))).map(([name]) => name);
    } catch {
      return [];
    }
  };
  /** The part files of `p`, in order. */
  const parts = async (p: string): Promise<string[]> => (await names(p + PARTS)).filter((n) => /^\d{8}$/.test(n)).sort();
  const remove = async (p: string): Promise<void> => {
    for (const target of [p, p + PARTS]) {
      if (await stat(target)) await fs.delete(parse(target), { recursive: true, useTrash: false });
    }
  };
  /** `p`'s bytes; parts are joined into `p` first (one read and one write of each byte). */
  const whole = async (p: string): Promise<Uint8Array> => {
    const list = await parts(p);
    if ((await fileSize(p)) !== undefined || list.length === 0) return fs.readFile(parse(p));
    const chunks: Uint8Array[] = [];
    for (const n of list) chunks.push(await fs.readFile(parse(`${p}${PARTS}/${n}`)));
    const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    await fs.writeFile(parse(p), out);
    await fs.delete(parse(p + PARTS), { recursive: true, useTrash: false });
    return out;
  };

  return {
    async size(p) {
      const direct = await fileSize(p);
      if (direct !== undefined) return direct;
      const list = await parts(p);
      if (list.length === 0) return undefined;
      let total = 0;
      for (const n of list) total += (await fileSize(`${p}${PARTS}/${n}`)) ?? 0;
      return total;
    },
    exists: async (p) => (await stat(p)) !== undefined || (await parts(p)).length > 0,
    async readText(p) {
      try {
        return new TextDecoder().decode(await fs.readFile(parse(p)));
      } catch {
        return undefined;
      }
    },
    async writeTextAtomic(p, text) {
      const tmp = `${p}.${Date.now()}.tmp`;
      await fs.createDirectory(parse(parentOf(p)));
      await fs.writeFile(parse(tmp), new TextEncoder().encode(text));
      await fs.rename(parse(tmp), parse(p), { overwrite: true });
    },
    async append(p, truncate): Promise<FileWriter> {
      if (truncate) await remove(p);
      // A file joined earlier (say the window closed between join and rename) becomes the first part.
      if ((await fileSize(p)) !== undefined) {
        await fs.delete(parse(p + PARTS), { recursive: true, useTrash: false }).then(undefined, () => undefined);
        await fs.createDirectory(parse(p + PARTS));
        await fs.rename(parse(p), parse(`${p}${PARTS}/${partName(0)}`), { overwrite: true });
      }
      await fs.createDirectory(parse(p + PARTS));
      const list = await parts(p);
      let next = list.length === 0 ? 0 : Number(list[list.length - 1]) + 1;
      return {
        write: async (data) => {
          if (data.length > 0) await fs.writeFile(parse(`${p}${PARTS}/${partName(next++)}`), data);
        },
        close: async () => undefined,
      };
    },
    async rename(from, to) {
      if ((await parts(from)).length > 0) await whole(from);
      await fs.createDirectory(parse(parentOf(to)));
      await fs.rename(parse(from), parse(to), { overwrite: true });
    },
    remove,
    mkdirs: async (p) => {
      await fs.createDirectory(parse(p));
    },
    list: names,
    async linkOrCopy(target, link) {
      // No links through workspace.fs: a copy, as huggingface_hub makes where symlinks fail.
      await fs.createDirectory(parse(parentOf(link)));
      await fs.copy(parse(target), parse(link), { overwrite: true });
      return 'copy';
    },
    async digest(p, kind) {
      // A file's bytes are never shared memory (the type allows it; subtle.digest does not).
      const bytes = (await whole(p)) as Uint8Array<ArrayBuffer>;
      if (kind === 'sha256') return hex(await crypto.subtle.digest('SHA-256', bytes));
      // git hashes "blob <size>\0" + content: the ETag the Hub gives small files.
      const head = new TextEncoder().encode(`blob ${bytes.length}\0`);
      const all = new Uint8Array(head.length + bytes.length);
      all.set(head);
      all.set(bytes, head.length);
      return hex(await crypto.subtle.digest('SHA-1', all));
    },
    async freeBytes() {
      if (!estimate) return undefined;
      try {
        const { quota, usage } = await estimate();
        return quota !== undefined && usage !== undefined ? Math.max(0, quota - usage) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
