// The runtime's .wasm kept in the webview's IndexedDB, keyed by its SHA-256 (baked in at build
// time), so only the first panel ever pays for moving 14 MB into the page. VS Code keeps a panel
// type's webview origin across panels and windows; a new extension version has a new hash, and
// storing it drops the old ones. Every failure (no IndexedDB, quota, a blocked upgrade) is a miss.
import { done, withDb } from './idb';

const DB_NAME = 'attention-lens-runtime';
const STORE = 'wasm';

/** The runtime stored under `sha256`, or null (none, or IndexedDB unusable). */
export async function cachedRuntime(sha256: string): Promise<ArrayBuffer | null> {
  try {
    return await withDb(DB_NAME, [STORE], async (db) => {
      const tx = db.transaction(STORE, 'readonly');
      const req = tx.objectStore(STORE).get(sha256);
      await done(tx);
      const v: unknown = req.result;
      return v instanceof ArrayBuffer ? v : null;
    });
  } catch {
    return null;
  }
}

/** Keeps `bytes` under `sha256` and drops every runtime whose key is not in `keep` (earlier builds). */
export async function storeRuntime(sha256: string, bytes: ArrayBuffer, keep: readonly string[]): Promise<boolean> {
  try {
    return await withDb(DB_NAME, [STORE], async (db) => {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      const keys = store.getAllKeys();
      keys.onsuccess = () => {
        for (const k of keys.result) if (typeof k === 'string' && !keep.includes(k)) store.delete(k);
      };
      store.put(bytes, sha256);
      await done(tx);
      return true;
    });
  } catch {
    return false;
  }
}

/** Empties the runtime cache; the bytes it held. Throws when IndexedDB cannot be used. */
export async function clearRuntimeCache(): Promise<number> {
  return withDb(DB_NAME, [STORE], async (db) => {
    const tx = db.transaction(STORE, 'readwrite');
    const all = tx.objectStore(STORE).getAll();
    tx.objectStore(STORE).clear();
    await done(tx);
    return (all.result as unknown[]).reduce<number>((s, v) => s + (v instanceof ArrayBuffer ? v.byteLength : 0), 0);
  });
}
