// Which models the page's cache keeps (webview/modelCache.ts): the most recently used first, within
// a byte budget. Pure, so the policy is tested without a browser.

export interface CacheEntry { sha256: string; bytes: number; usedAt: number }

export interface CachePlan {
  /** Whether the incoming model is stored (not when it alone is over the budget, or already there). */
  store: boolean;
  /** Entries to delete first, least recently used first. */
  evict: string[];
}

/** What storing `incoming` means for a cache holding `entries`, within `budget` bytes. */
export function planStore(entries: readonly CacheEntry[], incoming: { sha256: string; bytes: number }, budget: number): CachePlan {
  if (entries.some((e) => e.sha256 === incoming.sha256) || incoming.bytes > budget) return { store: false, evict: [] };
  const oldestFirst = [...entries].sort((a, b) => a.usedAt - b.usedAt);
  let held = entries.reduce((s, e) => s + e.bytes, 0);
  const evict: string[] = [];
  for (const e of oldestFirst) {
    if (held + incoming.bytes <= budget) break;
    evict.push(e.sha256);
    held -= e.bytes;
  }
  return { store: true, evict };
}

/** The most the cache holds: 2 GiB, and never more than half of what the browser lets the page store. */
export const MODEL_CACHE_MAX_BYTES = 2 * 1024 ** 3;

export function cacheBudget(quotaBytes: number | undefined, max = MODEL_CACHE_MAX_BYTES): number {
  return quotaBytes !== undefined && Number.isFinite(quotaBytes) && quotaBytes >= 0 ? Math.min(max, Math.floor(quotaBytes / 2)) : max;
}
