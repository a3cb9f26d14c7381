// "Clear the panel's cache": the page's model and runtime caches emptied (the page keeps the model it
// has loaded; the next panel or window moves the files from the host again).
import type { CacheClearedMessage } from '../src/shared/protocol';
import { clearModelCache } from './modelCache';
import { clearRuntimeCache } from './runtimeCache';

export async function clearPageCaches(): Promise<CacheClearedMessage> {
  try {
    const models = await clearModelCache();
    const runtime = await clearRuntimeCache();
    return { type: 'cacheCleared', files: models.files, bytes: models.bytes + runtime };
  } catch (e) {
    return { type: 'cacheCleared', files: 0, bytes: 0, error: (e as Error).message || String(e) };
  }
}
