// The Hub client's file access in the browser worker host (twin of src/env/node/nodeFiles.ts). The
// Hub client follows redirects by hand to keep the token off the CDN, which a browser's fetch does
// not allow (a manual redirect is opaque), so Download model… is refused here with what to do
// instead (HUB_UNAVAILABLE), and there is no Hugging Face cache to list: it holds nothing.
import type { FileWriter, HubEnv, HubFiles } from '../../hub/files';

/** Why Download model… cannot run in this host, or undefined where it can. */
export const HUB_UNAVAILABLE: string | undefined =
  'Download model… is not available in VS Code for the Web yet. Download the model in desktop VS Code (or with huggingface-cli), put its folder in your workspace, and choose it with "Attention Lens: Choose model…" → Browse….';

const refuse = (): Promise<never> => Promise.reject(new Error(HUB_UNAVAILABLE));

export const nodeFiles: HubFiles = {
  size: async () => undefined,
  exists: async () => false,
  readText: async () => undefined,
  writeTextAtomic: refuse,
  append: (): Promise<FileWriter> => refuse(),
  rename: refuse,
  remove: refuse,
  mkdirs: refuse,
  list: async () => [],
  linkOrCopy: refuse,
  digest: refuse,
  freeBytes: async () => undefined,
};

export const nodeEnv: HubEnv = {
  get: () => undefined,
  home: '',
};
