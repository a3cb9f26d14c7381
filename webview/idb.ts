// The page's IndexedDB, promised: the runtime's and the models' caches (webview/runtimeCache.ts,
// webview/modelCache.ts) open their databases and wait for their transactions through these.

function openAt(name: string, version: number | undefined, stores: readonly string[]): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
    req.onupgradeneeded = () => {
      for (const s of stores) if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB would not open'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another page'));
  });
}

/**
 * Opens `name` with its `stores`, creating what is missing: a database that some other code opened
 * first (at any version, without these stores) is upgraded one version rather than left unusable.
 */
export async function openDb(name: string, stores: readonly string[]): Promise<IDBDatabase> {
  const db = await openAt(name, undefined, stores);
  if (stores.every((s) => db.objectStoreNames.contains(s))) return db;
  const next = db.version + 1;
  db.close();
  return openAt(name, next, stores);
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
export async function withDb<T>(name: string, stores: readonly string[], use: (db: IDBDatabase) => Promise<T>): Promise<T> {
  const db = await openDb(name, stores);
  try {
    return await use(db);
  } finally {
    db.close();
  }
}
