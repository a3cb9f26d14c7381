// The page's IndexedDB, promised: the runtime's and the models' caches (webview/runtimeCache.ts,
// webview/modelCache.ts) open their databases and wait for their transactions through these.

/** Opens `name` at `version`, creating `stores` when the database is new or older. */
export function openDb(name: string, version: number, stores: readonly string[]): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => {
      for (const s of stores) if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB would not open'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another page'));
  });
}

/** Settles when `tx` commits (or fails). */
export function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** Runs `use` on the open database and closes it after, whatever happens. */
export async function withDb<T>(name: string, version: number, stores: readonly string[], use: (db: IDBDatabase) => Promise<T>): Promise<T> {
  const db = await openDb(name, version, stores);
  try {
    return await use(db);
  } finally {
    db.close();
  }
}
