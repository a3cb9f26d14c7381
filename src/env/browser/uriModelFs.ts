// Model files through a VS Code-style file system (vscode.workspace.fs in the browser worker host),
// with locations as Uri strings. Kept free of the vscode module (the file system and the Uri parser
// are passed in) so unit tests can give it an in-memory one that behaves like vscode.dev's.
import type { FileInfo, Loc, ModelFs, OpenFile } from '../../models/modelFs';

/** The part of vscode.FileSystem used here; `U` is vscode.Uri in the host. */
export interface UriFileSystem<U> {
  stat(uri: U): PromiseLike<{ type: number; size: number; mtime: number; ctime: number }>;
  readFile(uri: U): PromiseLike<Uint8Array>;
  readDirectory(uri: U): PromiseLike<[string, number][]>;
  writeFile(uri: U, data: Uint8Array): PromiseLike<void>;
  createDirectory(uri: U): PromiseLike<void>;
}

const FILE = 1;
const DIRECTORY = 2;
/** A Uri's `scheme://authority`, or its `scheme:` where the path follows at once (vscode-userdata:/User/…, the global storage on vscode.dev). */
const SCHEME = /^[a-z][\w+.-]+:(\/\/[^/?#]*|(?=\/))/i;

/** The Uri's text up to the end of its path, and what follows (?query#fragment). */
function split(loc: Loc): [string, string] {
  const i = loc.search(/[?#]/);
  return i < 0 ? [loc, ''] : [loc.slice(0, i), loc.slice(i)];
}

export function uriJoin(dir: Loc, ...names: string[]): Loc {
  const [head, rest] = split(dir);
  let p = head.replace(/\/+$/, '');
  for (const seg of names.flatMap((n) => n.split(/[\\/]/))) {
    if (seg === '' || seg === '.') continue;
    p = seg === '..' ? uriDirname(p) : `${p}/${encodeURIComponent(seg)}`;
  }
  return p + rest;
}

export function uriDirname(loc: Loc): Loc {
  const [head, rest] = split(loc);
  const root = SCHEME.exec(head)?.[0].length ?? 0;
  const i = head.replace(/\/+$/, '').lastIndexOf('/');
  return (i <= root ? `${head.slice(0, root)}/` : head.slice(0, i)) + rest;
}

export function uriBasename(loc: Loc): string {
  const [head] = split(loc);
  const last = head.replace(/\/+$/, '').split('/').pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Node's codes for vscode.FileSystemError's, so model code tells "missing" from "unreadable" alike on both hosts. */
const CODES: Record<string, string> = { FileNotFound: 'ENOENT', FileIsADirectory: 'EISDIR', NoPermissions: 'EACCES', FileNotADirectory: 'ENOTDIR' };

function withCode(e: unknown): Error {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  const err: Error & { code?: string } = new Error(message);
  if (typeof code === 'string') err.code = CODES[code] ?? code;
  // A fetched file that is not there fails with code Unknown and the HTTP status text.
  if (code === 'Unknown' && /\bNot Found\b/i.test(message)) err.code = 'ENOENT';
  return err;
}

/** vscode.dev serves the extension's own files by fetch: every stat says "a file, 0 bytes, time 0". */
function looksFetched(st: { type: number; size: number; mtime: number; ctime: number }): boolean {
  return st.type === FILE && st.size === 0 && st.mtime === 0 && st.ctime === 0;
}

export function uriModelFs<U>(fs: UriFileSystem<U>, parse: (loc: Loc) => U): ModelFs {
  const readBytes = async (loc: Loc): Promise<Uint8Array> => {
    try {
      return await fs.readFile(parse(loc));
    } catch (e) {
      throw withCode(e);
    }
  };
  const stat = async (loc: Loc): Promise<FileInfo | undefined> => {
    try {
      const st = await fs.stat(parse(loc));
      if (looksFetched(st)) return { type: 'unknown', size: undefined, mtimeMs: 0 };
      return { type: (st.type & DIRECTORY) !== 0 ? 'dir' : 'file', size: st.size, mtimeMs: st.mtime };
    } catch {
      return undefined;
    }
  };
  return {
    join: uriJoin,
    dirname: uriDirname,
    basename: uriBasename,
    unreadable: (loc) => (SCHEME.test(loc) ? undefined
      : `${loc} is a path on a disk, which VS Code for the Web cannot read; open the model's folder in the workspace and choose it with "Attention Lens: Choose model…" → Browse…, or set attentionLens.modelPath relative to the workspace folder`),
    stat,
    async isFile(loc) {
      const st = await stat(loc);
      if (st?.type !== 'unknown') return st?.type === 'file';
      // A fetched file exists when it can be read.
      return readBytes(loc).then(() => true, () => false);
    },
    readBytes,
    async open(loc): Promise<OpenFile> {
      // No ranged reads through vscode.workspace.fs: the file is read once and sliced.
      const bytes = await readBytes(loc);
      return { size: bytes.length, read: async (pos, len) => bytes.subarray(pos, Math.min(bytes.length, pos + len)), close: async () => undefined };
    },
    async list(dir) {
      try {
        return (await fs.readDirectory(parse(dir))).map(([name]) => name);
      } catch {
        return undefined;
      }
    },
    async writeBytes(loc, data) {
      try {
        await fs.createDirectory(parse(uriDirname(loc)));
        await fs.writeFile(parse(loc), data);
      } catch (e) {
        throw withCode(e);
      }
    },
  };
}
