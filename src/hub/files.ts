// What the Hub client needs from the machine it runs on: files and the environment. The client
// (src/hub/) uses only these, so the web build can give it a browser implementation; the Node one is
// src/env/node/. Paths are plain strings joined with '/', which Node accepts on every platform; in the
// browser host they are Uri strings (src/env/browser/nodeFiles.ts).

/** A file being written; bytes go to the end. */
export interface FileWriter {
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface HubFiles {
  /** The size of a file, or undefined when there is none (a folder counts as none). */
  size(path: string): Promise<number | undefined>;
  exists(path: string): Promise<boolean>;
  readText(path: string): Promise<string | undefined>;
  /** Writes through a temporary file and a rename, so a reader never sees half of it. */
  writeTextAtomic(path: string, text: string): Promise<void>;
  /** Opens `path` for appending (creating it and its folders); `truncate` empties it first. */
  append(path: string, truncate: boolean): Promise<FileWriter>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  mkdirs(path: string): Promise<void>;
  /** Names in a folder, [] when there is none. */
  list(path: string): Promise<string[]>;
  /** A relative symlink at `link` pointing to `target`; a copy where the file system refuses links. */
  linkOrCopy(target: string, link: string): Promise<'link' | 'copy'>;
  /** Lowercase hex digest: sha256 (LFS files) or git's blob sha1 (small files). */
  digest(path: string, kind: 'sha256' | 'git-sha1'): Promise<string>;
  /** Bytes free where `path` (or its nearest existing parent) lives, or undefined when unknown. */
  freeBytes(path: string): Promise<number | undefined>;
}

/** The environment variables and home folder the Hub's conventions read. */
export interface HubEnv {
  get(name: string): string | undefined;
  home: string;
}

export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  // A Uri string (the browser host's paths) keeps the two slashes of its `scheme://authority`.
  const head = /^[a-z][\w+.-]+:\/\//i.exec(joined)?.[0] ?? '';
  return head + joined.slice(head.length).replace(/\/+/g, '/');
}

export function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? p.slice(0, Math.max(i, 0) + 1) : p.slice(0, i);
}
