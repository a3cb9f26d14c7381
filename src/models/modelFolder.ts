// A model folder, checked on the host before the webview is asked to load anything: its layout
// (src/models/layout.ts), the graph (framed as an ONNX model, at most MAX_MODEL_BYTES), the
// description from config.json and its companions (src/models/describe.ts), tokenizer.json, and
// their consistency. Every problem names the file and what is wrong. Deep graph checks (outputs,
// shapes) need the model running: the webview does those.
import { modelFs } from '../env/node/modelFs';
import { resolveUserPath } from '../env/node/userPath';
import { ModelConfig } from '../shared/modelConfig';
import { checkOnnxOpen } from './onnxCheck';
import { ExternalFile, findExternalData } from './externalData';
import { checkGraphClaims } from './graphClaims';
import { contentSha256 } from './contentKey';
import { TextTokenizer } from '../tokenizers/tokenize';
import { loadTokenizer } from './loadTokenizer';
import { readDescription } from './describe';
import { ModelFolderError } from './errors';
import { FolderCache, stampOf } from './folderCache';
import { ModelFiles, findModelFiles } from './layout';
import { type Loc, type ModelFs, utf8 } from './modelFs';

export { ModelFolderError } from './errors';

/**
 * The largest graph the panel is asked to load. WebAssembly memory is 32-bit (4 GiB at most), and
 * creating a session briefly holds the graph about three times (the fetched bytes, the parsed
 * protobuf, the initialised weights): 1 GiB leaves room for a run's activations and attention.
 */
export const MAX_MODEL_BYTES = 1024 * 1024 * 1024;
/** The protocol carries at most this many tokens per run. */
export const MAX_SUPPORTED_TOKENS = 8192;

export interface ModelFolder {
  dir: Loc;
  modelFile: Loc;
  sizeBytes: number;
  /** The graph file's modification time (names a chunked transfer: src/models/modelTransfer.ts). */
  mtimeMs: number;
  /** The graph's SHA-256: the page keeps the bytes in its cache under it (src/models/contentKey.ts). */
  sha256: string;
  config: ModelConfig;
  tokenizer: TextTokenizer;
  bundled: boolean;
  files: ModelFiles;
  /** The files the graph keeps its weights in (ONNX external data), sent to the page with it. */
  externalData: HashedFile[];
}

export interface HashedFile extends ExternalFile { sha256: string }

const mb = (n: number): string => `${Math.round(n / (1024 * 1024))} MB`;

const tooBig = (modelFile: Loc, sizeBytes: number, maxBytes: number): ModelFolderError =>
  new ModelFolderError(modelFile, `${modelFile} is ${mb(sizeBytes)}; Attention Lens loads models of at most ${mb(maxBytes)} (the panel's WebAssembly memory is 4 GB at most, and loading holds a graph about three times)`);

/** Loads and checks the model at `where` (a folder or an .onnx file); throws ModelFolderError. */
export async function loadModelFolder(where: Loc, bundled: boolean, maxBytes = MAX_MODEL_BYTES, fs: ModelFs = modelFs): Promise<ModelFolder> {
  const files = await findModelFiles(where, fs);
  const modelFile = files.model;
  const st = await fs.stat(modelFile);
  // Refused from its size before it is read where the host knows sizes; else from the bytes.
  if (st?.size !== undefined && st.size > maxBytes) throw tooBig(modelFile, st.size, maxBytes);
  const graph = await fs.open(modelFile).catch((e: Error) => {
    throw new ModelFolderError(modelFile, `${modelFile} cannot be read: ${e.message}`);
  });
  let externalData: HashedFile[];
  let sha256: string;
  const sizeBytes = graph.size;
  const mtimeMs = st?.mtimeMs ?? 0;
  try {
    if (sizeBytes > maxBytes) throw tooBig(modelFile, sizeBytes, maxBytes);
    try {
      await checkOnnxOpen(graph, modelFile);
    } catch (e) {
      throw new ModelFolderError(modelFile, (e as Error).message);
    }
    const external = await findExternalData(modelFile, sizeBytes, maxBytes, fs, graph);
    // What the graph claims (weights' dims, external offsets and lengths, node counts), bounded before the page allocates from it.
    await checkGraphClaims(graph, modelFile, new Map(external.map((f) => [f.location, f.sizeBytes])), maxBytes);
    sha256 = await contentSha256(modelFile, graph, mtimeMs);
    externalData = await hashed(external, fs);
  } finally {
    await graph.close();
  }

  const config = await readDescription(files, fs);
  if (config.source !== 'huggingface' && config.max_tokens > MAX_SUPPORTED_TOKENS) {
    throw new ModelFolderError(files.config, `${files.config}: max_tokens ${config.max_tokens} is more than Attention Lens supports (${MAX_SUPPORTED_TOKENS})`);
  }

  let tokenizer: TextTokenizer;
  try {
    // tokenizer_config.json was read and checked as JSON by readDescription.
    const tokenizerConfig = files.tokenizerConfig ? JSON.parse(utf8(await fs.readBytes(files.tokenizerConfig))) as unknown : undefined;
    tokenizer = await loadTokenizer(files.tokenizer, {
      tokenizerConfig, vocabSize: config.vocab_size, file: files.tokenizer, tokenizerConfigFile: files.tokenizerConfig, configFile: files.config,
    }, fs);
  } catch (e) {
    throw new ModelFolderError(files.tokenizer, (e as Error).message);
  }
  checkConsistency(config, tokenizer, files.config, files.tokenizer);
  config.tokenizer_family = tokenizer.family;
  return { dir: files.dir, modelFile, sizeBytes, mtimeMs, sha256, config, tokenizer, bundled, files, externalData };
}

async function hashed(files: ExternalFile[], fs: ModelFs): Promise<HashedFile[]> {
  const out: HashedFile[] = [];
  for (const f of files) {
    const open = await fs.open(f.file).catch((e: Error) => {
      throw new ModelFolderError(f.file, `${f.file} cannot be read: ${e.message}`);
    });
    try {
      out.push({ ...f, sha256: await contentSha256(f.file, open, f.mtimeMs) });
    } finally {
      await open.close();
    }
  }
  return out;
}

function checkConsistency(config: ModelConfig, tok: TextTokenizer, configFile: string, tokenizerFile: string): void {
  // vocab_size against the ids the tokenizer can produce: checked by loadTokenizer.
  for (const [role, name] of Object.entries(config.special_tokens)) {
    if (name === undefined || tok.tokenToId(name) !== undefined) continue;
    // A downloaded folder's special_tokens_map.json may name tokens its tokenizer never produces:
    // they are dropped rather than refused, since nothing in the run depends on them.
    if (config.source === 'huggingface') {
      delete config.special_tokens[role as keyof ModelConfig['special_tokens']];
      continue;
    }
    throw new ModelFolderError(tokenizerFile, `${configFile} names ${JSON.stringify(name)} as the ${role} token, but ${tokenizerFile} has no such token`);
  }
  if (config.prepend_bos && config.special_tokens.bos === undefined) {
    throw new ModelFolderError(configFile, `${configFile} sets prepend_bos but names no bos token in special_tokens`);
  }
}

const cache = new FolderCache<ModelFolder>();

/** loadModelFolder, once per folder: again only when one of its files changed. */
export async function loadModelFolderCached(where: Loc, bundled: boolean, maxBytes = MAX_MODEL_BYTES, fs: ModelFs = modelFs): Promise<ModelFolder> {
  let files: ModelFiles;
  try {
    files = await findModelFiles(where, fs);
  } catch {
    return loadModelFolder(where, bundled, maxBytes, fs);
  }
  const parts = [files.model, files.config, files.tokenizer, files.tokenizerConfig, files.specialTokensMap, files.lensJson];
  const stamp = await stampOf(parts.filter((f): f is string => f !== undefined), fs);
  return cache.get(`${bundled}:${maxBytes}:${files.model}`, stamp, () => loadModelFolder(where, bundled, maxBytes, fs));
}

/** How many times a folder was actually read (tests check that runs do not re-read it). */
export function folderReads(): number {
  return cache.loads;
}

// ---- which folder ----------------------------------------------------------------------------

/** The setting's values at each level, as vscode's WorkspaceConfiguration.inspect gives them. */
export interface SettingLevels {
  globalValue?: string;
  workspaceValue?: string;
  workspaceFolderValue?: string;
}

export interface ModelChoice {
  dir: Loc;
  bundled: boolean;
  /** Why a configured path was not used, for the user. */
  notice: string | null;
}

/**
 * Picks the model folder: the most specific non-empty modelPath setting, else the bundled model.
 * In an untrusted workspace a path from workspace or folder settings is not used: a workspace
 * could otherwise make the extension load files of its choosing.
 */
export function chooseModelFolder(levels: SettingLevels, trusted: boolean, workspaceRoot: Loc | undefined, bundledDir: Loc): ModelChoice {
  const nonEmpty = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== '' ? v.trim() : undefined);
  const fromWorkspace = nonEmpty(levels.workspaceFolderValue) ?? nonEmpty(levels.workspaceValue);
  const fromUser = nonEmpty(levels.globalValue);
  let notice: string | null = null;
  let chosen: string | undefined;
  if (fromWorkspace !== undefined && trusted) {
    chosen = fromWorkspace;
  } else {
    if (fromWorkspace !== undefined) notice = untrustedNotice(fromUser !== undefined);
    chosen = fromUser;
  }
  if (chosen === undefined) return { dir: bundledDir, bundled: true, notice };
  return { dir: resolveUserPath(chosen, workspaceRoot), bundled: false, notice };
}

/**
 * Whether any of these settings files (a folder's .vscode/settings.json, a .code-workspace file)
 * mentions attentionLens.modelPath. In an untrusted workspace VS Code hides restricted settings
 * from the extension altogether, so this is how the user can be told that the workspace's
 * setting is ignored. The value itself is never read.
 */
export async function settingsFilesMention(files: readonly Loc[], key = 'attentionLens.modelPath', fs: ModelFs = modelFs): Promise<boolean> {
  for (const f of files) {
    try {
      if (utf8(await fs.readBytes(f)).includes(`"${key}"`)) return true;
    } catch {
      // no such file: nothing set there
    }
  }
  return false;
}

export function untrustedNotice(hasUserPath: boolean): string {
  return `This workspace is not trusted, so its attentionLens.modelPath setting is not used; ${hasUserPath ? 'the path from your user settings is' : 'the bundled model is'} used instead. Trust the workspace to use its model.`;
}

export { resolveUserPath };

export interface LoadedModel {
  model: ModelFolder;
  /** Set when the chosen folder failed and the bundled model is used instead. */
  warning: string | null;
}

/** Loads the chosen folder; when it breaks the contract, the bundled model with a warning. */
export async function loadWithFallback(choice: ModelChoice, bundledDir: Loc): Promise<LoadedModel> {
  if (choice.bundled) return { model: await loadModelFolderCached(choice.dir, true), warning: null };
  try {
    return { model: await loadModelFolderCached(choice.dir, false), warning: null };
  } catch (e) {
    if (!(e instanceof ModelFolderError)) throw e;
    const model = await loadModelFolderCached(bundledDir, true);
    return { model, warning: `The model in ${choice.dir} cannot be used: ${e.message}. Using the bundled model instead.` };
  }
}
