// An in-memory file system shaped like vscode.workspace.fs, keyed by Uri strings, for the browser
// host's ModelFs (src/env/browser/uriModelFs.ts). 'fetch' answers as vscode.dev answers for the
// extension's own files (FetchFileSystemProvider): every stat "a file, 0 bytes, time 0", whatever the
// name; no listing; a missing file fails its read with code Unknown and the HTTP status text.
// 'disk' answers as a real provider does (File System Access, a remote folder).
import type { UriFileSystem } from '../../src/env/browser/uriModelFs';

const FILE = 1;
const DIRECTORY = 2;

export class MemoryFs implements UriFileSystem<string> {
  readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  reads = 0;
  constructor(readonly mode: 'fetch' | 'disk') {}

  put(uri: string, data: Uint8Array | string): void {
    this.files.set(uri, { data: typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data), mtime: 1_700_000_000_000 + this.files.size });
  }

  private isDir(uri: string): boolean {
    const prefix = uri.replace(/\/+$/, '') + '/';
    return [...this.files.keys()].some((k) => k.startsWith(prefix));
  }

  async stat(uri: string): Promise<{ type: number; size: number; mtime: number; ctime: number }> {
    if (this.mode === 'fetch') return { type: FILE, size: 0, mtime: 0, ctime: 0 };
    const f = this.files.get(uri);
    if (f) return { type: FILE, size: f.data.length, mtime: f.mtime, ctime: f.mtime };
    if (this.isDir(uri)) return { type: DIRECTORY, size: 0, mtime: 1, ctime: 1 };
    throw Object.assign(new Error(`${uri} not found`), { code: 'FileNotFound' });
  }

  async readFile(uri: string): Promise<Uint8Array> {
    const f = this.files.get(uri);
    if (!f) throw Object.assign(new Error(this.mode === 'fetch' ? 'Not Found' : `${uri} not found`), { code: this.mode === 'fetch' ? 'Unknown' : 'FileNotFound' });
    this.reads++;
    return new Uint8Array(f.data);
  }

  async readDirectory(uri: string): Promise<[string, number][]> {
    if (this.mode === 'fetch') throw Object.assign(new Error('Not Supported'), { code: 'Unknown' });
    const prefix = uri.replace(/\/+$/, '') + '/';
    const names = new Map<string, number>();
    for (const k of this.files.keys()) {
      if (!k.startsWith(prefix)) continue;
      const [first, ...rest] = k.slice(prefix.length).split('/');
      names.set(decodeURIComponent(first), rest.length > 0 ? DIRECTORY : FILE);
    }
    return [...names];
  }

  async writeFile(uri: string, data: Uint8Array): Promise<void> {
    if (this.mode === 'fetch') throw Object.assign(new Error('read-only'), { code: 'NoPermissions' });
    this.put(uri, data);
  }

  async createDirectory(): Promise<void> {
    // Folders exist as prefixes of their files' Uris.
  }
}
