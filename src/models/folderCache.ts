// A model folder is read once, not per run: what was loaded is kept under its path and the
// size and modification time of each of its files, so an edited or replaced file is read again.
import { modelFs } from '../env/node/modelFs';
import type { Loc, ModelFs } from './modelFs';

/** size:mtime of each file ('-' for one that is missing), in order (vscode.dev's files never change: '?:0'). */
export async function stampOf(files: readonly Loc[], fs: ModelFs = modelFs): Promise<string> {
  const parts = await Promise.all(files.map(async (f) => {
    const st = await fs.stat(f);
    return st ? `${st.size ?? '?'}:${st.mtimeMs}` : '-';
  }));
  return parts.join('|');
}

export class FolderCache<T> {
  private readonly entries = new Map<string, { stamp: string; value: Promise<T> }>();
  loads = 0;

  /** @param capacity folders kept (each holds a tokenizer, which can be tens of MB). */
  constructor(private readonly capacity = 4) {}

  /** The value for `key` at `stamp`, loading it when absent or stale; a failed load is not kept. */
  get(key: string, stamp: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) {
      // Most recently used last, so the oldest is evicted first.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    this.loads++;
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { stamp, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
