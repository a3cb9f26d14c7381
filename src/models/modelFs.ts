// What the model code needs from the host's files, so one model loader serves the Node host (local
// paths, ranged reads) and the browser worker host (Uris through vscode.workspace.fs). The host's
// implementation is src/env/node/modelFs.ts or src/env/browser/modelFs.ts; each build takes its own.

/**
 * Where a file is, as the host's ModelFs understands it: a local path on the Node host, a Uri's
 * string in the browser host. Model code only passes it back to the same ModelFs (and shows it).
 */
export type Loc = string;

export interface FileInfo {
  /** 'unknown': the file system answers every stat alike (vscode.dev serves the extension's own files by fetch). */
  type: 'file' | 'dir' | 'unknown';
  /** undefined where the size reported cannot be trusted (vscode.dev reports 0): read the bytes to know. */
  size: number | undefined;
  mtimeMs: number;
}

/** A file open for reading parts of it; `size` is exact (taken from the bytes where stat cannot tell). */
export interface OpenFile {
  readonly size: number;
  read(pos: number, len: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface ModelFs {
  join(dir: Loc, ...names: string[]): Loc;
  dirname(loc: Loc): Loc;
  basename(loc: Loc): string;
  /** Why `loc` cannot be read by this host at all (a typed path in a browser), else undefined. */
  unreadable(loc: Loc): string | undefined;
  /** undefined when nothing is there. */
  stat(loc: Loc): Promise<FileInfo | undefined>;
  /** Whether a file is there, for sure: where stat cannot tell, the file is read. */
  isFile(loc: Loc): Promise<boolean>;
  /** The whole file; errors carry `code` ('ENOENT' when missing). */
  readBytes(loc: Loc): Promise<Uint8Array>;
  /** Ranged reads where the host has them (Node); elsewhere the file is read whole once, then sliced. */
  open(loc: Loc): Promise<OpenFile>;
  /** Names in a folder, or undefined where folders cannot be listed (vscode.dev's extension files). */
  list(dir: Loc): Promise<string[] | undefined>;
  /** Writes the whole file, creating its folders. */
  writeBytes(loc: Loc, data: Uint8Array): Promise<void>;
}

/** The error's code as Node names it ('ENOENT'…), or undefined. */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Bytes as text, the way Node's readFile(…, 'utf8') decodes them (bad sequences become U+FFFD). */
export function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}
