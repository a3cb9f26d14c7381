// The runtime's .wasm kept in the webview's IndexedDB, keyed by its SHA-256 (baked in at build
// time), so only the first panel ever pays for moving 14 MB into the page. VS Code keeps a panel
// type's webview origin across panels and windows; a new extension version has a new hash, and
// storing it drops the old ones. Every failure (no IndexedDB, quota, a blocked upgrade) is a miss.

const DB_NAME = 'attention-lens-runtime';
const STORE = 'wasm';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB would not open'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another page'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** The runtime stored under `sha256`, or null (none, or IndexedDB unusable). */
export async function cachedRuntime(sha256: string): Promise<ArrayBuffer | null> {
  try {
    const db = await open();
    try {
      const tx = db.transaction(STORE, 'readonly');
      const req = tx.objectStore(STORE).get(sha256);
      await done(tx);
      const v: unknown = req.result;
      return v instanceof ArrayBuffer ? v : null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** Keeps `bytes` under `sha256` and drops every runtime whose key is not in `keep` (earlier builds). */
export async function storeRuntime(sha256: string, bytes: ArrayBuffer, keep: readonly string[]): Promise<boolean> {
  try {
    const db = await open();
    try {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      const keys = store.getAllKeys();
      keys.onsuccess = () => {
        for (const k of keys.result) if (typeof k === 'string' && !keep.includes(k)) store.delete(k);
      };
      store.put(bytes, sha256);
      await done(tx);
      return true;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
