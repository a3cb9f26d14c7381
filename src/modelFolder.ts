// The model folder contract, checked on the host before the webview is asked to load anything:
// model.onnx (framed as an ONNX model, at most 512 MB), config.json (parseModelConfig), tokenizer.json
// (loads, byte-level) and their consistency. Every problem names the file and what is wrong.
// Deep graph checks (outputs present, shapes) need the model running: the webview does those.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ModelConfig, parseModelConfig } from './shared/modelConfig';
import { checkOnnxFile } from './onnxCheck';
import { TextTokenizer, loadTokenizer } from './tokenize';

export const MAX_MODEL_BYTES = 512 * 1024 * 1024;
/** The protocol carries at most this many tokens per run. */
export const MAX_SUPPORTED_TOKENS = 8192;

export class ModelFolderError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
  }
}

export interface ModelFolder {
  dir: string;
  modelFile: string;
  sizeBytes: number;
  config: ModelConfig;
  tokenizer: TextTokenizer;
  bundled: boolean;
}

/** Loads and checks a model folder; throws ModelFolderError naming the file and the problem. */
export async function loadModelFolder(dir: string, bundled: boolean, maxBytes = MAX_MODEL_BYTES): Promise<ModelFolder> {
  const where = (f: string): string => path.join(dir, f);
  try {
    const st = await fs.stat(dir);
    if (!st.isDirectory()) throw new ModelFolderError(dir, `${dir} is not a folder`);
  } catch (e) {
    if (e instanceof ModelFolderError) throw e;
    throw new ModelFolderError(dir, `the model folder ${dir} does not exist`);
  }

  const modelFile = where('model.onnx');
  let sizeBytes: number;
  try {
    sizeBytes = (await fs.stat(modelFile)).size;
  } catch {
    throw new ModelFolderError(modelFile, `${modelFile} is missing`);
  }
  if (sizeBytes > maxBytes) {
    const mb = (n: number): string => `${Math.round(n / (1024 * 1024))} MB`;
    throw new ModelFolderError(modelFile, `${modelFile} is ${mb(sizeBytes)}; Attention Lens loads models of at most ${mb(maxBytes)}`);
  }
  try {
    await checkOnnxFile(modelFile, modelFile);
  } catch (e) {
    throw new ModelFolderError(modelFile, (e as Error).message);
  }

  const configFile = where('config.json');
  let configText: string;
  try {
    configText = await fs.readFile(configFile, 'utf8');
  } catch {
    throw new ModelFolderError(configFile, `${configFile} is missing`);
  }
  let config: ModelConfig;
  try {
    config = parseModelConfig(configText);
  } catch (e) {
    throw new ModelFolderError(configFile, `${configFile}: ${(e as Error).message}`);
  }
  if (config.max_tokens > MAX_SUPPORTED_TOKENS) {
    throw new ModelFolderError(configFile, `${configFile}: max_tokens ${config.max_tokens} is more than Attention Lens supports (${MAX_SUPPORTED_TOKENS})`);
  }

  const tokenizerFile = where('tokenizer.json');
  let tokenizer: TextTokenizer;
  try {
    tokenizer = await loadTokenizer(tokenizerFile);
  } catch (e) {
    throw new ModelFolderError(tokenizerFile, (e as Error).message);
  }
  checkConsistency(config, tokenizer, configFile, tokenizerFile);
  return { dir, modelFile, sizeBytes, config, tokenizer, bundled };
}

function checkConsistency(config: ModelConfig, tok: TextTokenizer, configFile: string, tokenizerFile: string): void {
  if (config.vocab_size !== undefined && tok.vocabSize > config.vocab_size) {
    throw new ModelFolderError(tokenizerFile, `${tokenizerFile} has ${tok.vocabSize} tokens but ${configFile} says vocab_size ${config.vocab_size}: its ids would run past the model's embedding`);
  }
  for (const [role, name] of Object.entries(config.special_tokens)) {
    if (name !== undefined && tok.tokenToId(name) === undefined) {
      throw new ModelFolderError(tokenizerFile, `${configFile} names ${JSON.stringify(name)} as the ${role} token, but ${tokenizerFile} has no such token`);
    }
  }
  if (config.prepend_bos && config.special_tokens.bos === undefined) {
    throw new ModelFolderError(configFile, `${configFile} sets prepend_bos but names no bos token in special_tokens`);
  }
}

// ---- which folder ----------------------------------------------------------------------------

/** The setting's values at each level, as vscode's WorkspaceConfiguration.inspect gives them. */
export interface SettingLevels {
  globalValue?: string;
  workspaceValue?: string;
  workspaceFolderValue?: string;
}

export interface ModelChoice {
  dir: string;
  bundled: boolean;
  /** Why a configured path was not used, for the user. */
  notice: string | null;
}

/**
 * Picks the model folder: the most specific non-empty modelPath setting, else the bundled model.
 * In an untrusted workspace a path from workspace or folder settings is not used: a workspace
 * could otherwise make the extension load files of its choosing.
 */
export function chooseModelFolder(levels: SettingLevels, trusted: boolean, workspaceRoot: string | undefined, bundledDir: string): ModelChoice {
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
export async function settingsFilesMention(files: readonly string[], key = 'attentionLens.modelPath'): Promise<boolean> {
  for (const f of files) {
    try {
      if ((await fs.readFile(f, 'utf8')).includes(`"${key}"`)) return true;
    } catch {
      // no such file: nothing set there
    }
  }
  return false;
}

export function untrustedNotice(hasUserPath: boolean): string {
  return `This workspace is not trusted, so its attentionLens.modelPath setting is not used; ${hasUserPath ? 'the path from your user settings is' : 'the bundled model is'} used instead. Trust the workspace to use its model.`;
}

/** Expands ~ and resolves a relative path against the workspace root (or the home folder). */
export function resolveUserPath(p: string, workspaceRoot: string | undefined): string {
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) return path.join(os.homedir(), p.slice(1));
  if (path.isAbsolute(p)) return path.normalize(p);
  return path.resolve(workspaceRoot ?? os.homedir(), p);
}

export interface LoadedModel {
  model: ModelFolder;
  /** Set when the chosen folder failed and the bundled model is used instead. */
  warning: string | null;
}

/** Loads the chosen folder; when it breaks the contract, the bundled model with a warning. */
export async function loadWithFallback(choice: ModelChoice, bundledDir: string): Promise<LoadedModel> {
  if (choice.bundled) return { model: await loadModelFolder(bundledDir, true), warning: null };
  try {
    return { model: await loadModelFolder(choice.dir, false), warning: null };
  } catch (e) {
    if (!(e instanceof ModelFolderError)) throw e;
    const model = await loadModelFolder(bundledDir, true);
    return { model, warning: `The model in ${choice.dir} cannot be used: ${e.message}. Using the bundled model instead.` };
  }
}
