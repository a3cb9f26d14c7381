// An in-memory file system shaped like vscode.workspace.fs, keyed by Uri strings, for the browser
// host's ModelFs (src/env/browser/uriModelFs.ts). 'fetch' answers as vscode.dev answers for the
// extension's own files (FetchFileSystemProvider): every stat "a file, 0 bytes, time 0", whatever the
// name; no listing; a missing file fails its read with code Unknown and the HTTP status text.
// 'disk' answers as a real provider does (File System Access, a remote folder, the global storage),
// with rename, delete and copy for the Hub's cache there (src/env/browser/uriHubFiles.ts).
import type { UriHubFileSystem } from '../../src/env/browser/uriHubFiles';

const FILE = 1;
const DIRECTORY = 2;

export class MemoryFs implements UriHubFileSystem<string> {
  readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  reads = 0;
  /** Bytes written through writeFile, so a test can tell O(n) from O(n²). */
  written = 0;
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
    this.written += data.length;
    this.put(uri, data);
  }

  /** The Uris at `uri` (a file) or under it (a folder). */
  private under(uri: string): string[] {
    const prefix = uri.replace(/\/+$/, '') + '/';
    return [...this.files.keys()].filter((k) => k === uri || k.startsWith(prefix));
  }

  private missing(uri: string): Error {
    return Object.assign(new Error(`${uri} not found`), { code: 'FileNotFound' });
  }

  async rename(from: string, to: string, options: { overwrite: boolean }): Promise<void> {
    const moved = this.under(from);
    if (moved.length === 0) throw this.missing(from);
    if (!options.overwrite && this.under(to).length > 0) throw Object.assign(new Error(`${to} exists`), { code: 'FileExists' });
    for (const k of this.under(to)) this.files.delete(k);
    for (const k of moved) {
      this.files.set(to + k.slice(from.length), this.files.get(k)!);
      this.files.delete(k);
    }
  }

  async delete(uri: string, options: { recursive: boolean }): Promise<void> {
    const gone = this.under(uri);
    if (gone.length === 0) throw this.missing(uri);
    if (!options.recursive && !this.files.has(uri)) throw Object.assign(new Error(`${uri} is a folder`), { code: 'FileIsADirectory' });
    for (const k of gone) this.files.delete(k);
  }

  async copy(from: string, to: string, options: { overwrite: boolean }): Promise<void> {
    const f = this.files.get(from);
    if (!f) throw this.missing(from);
    if (!options.overwrite && this.files.has(to)) throw Object.assign(new Error(`${to} exists`), { code: 'FileExists' });
    this.put(to, f.data);
  }

  async createDirectory(): Promise<void> {
    // Folders exist as prefixes of their files' Uris.
  }
}
