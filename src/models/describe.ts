// One model description from a folder's JSON files, whichever kind it has: our contract's
// config.json, or transformers' config.json with tokenizer_config.json / special_tokens_map.json;
// attention-lens.json on top of either. describeModel is pure; readDescription reads the files.
import { modelFs } from '../env/node/modelFs';
import { ModelConfig, checkContractConfig, checkModelConfig, parseJson } from '../shared/modelConfig';
import { ValidationError } from '../shared/validate';
import { ModelFolderError } from './errors';
import { MAX_CONTEXT, isHuggingFaceConfig, parseHuggingFaceConfig } from './hfConfig';
import type { ModelFiles } from './layout';
import { LENS_JSON, applyLensJson, parseLensJson } from './lensJson';
import { readTokenizerSettings } from './tokenizerFiles';
import { type Loc, type ModelFs, errorCode, utf8 } from './modelFs';

/** The folder's JSON texts; absent files are undefined. */
export interface DescriptionTexts {
  folderName: string;
  config: string;
  tokenizerConfig?: string;
  specialTokensMap?: string;
  lensJson?: string;
}

/** Which file a problem is in, so the message and ModelFolderError.file name it. */
export class DescriptionError extends ValidationError {
  constructor(readonly fileName: 'config.json' | 'tokenizer_config.json' | 'special_tokens_map.json' | typeof LENS_JSON, message: string) {
    super(message);
  }
}

function inFile<T>(file: DescriptionError['fileName'], f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DescriptionError) throw e;
    throw new DescriptionError(file, (e as Error).message);
  }
}

export function describeModel(t: DescriptionTexts): ModelConfig {
  const raw = inFile('config.json', () => parseJson(t.config, 'config.json'));
  const extra = t.lensJson === undefined ? undefined : inFile(LENS_JSON, () => parseLensJson(parseJson(t.lensJson as string, LENS_JSON)));
  let config: ModelConfig;
  if (isHuggingFaceConfig(raw)) {
    config = inFile('config.json', () => parseHuggingFaceConfig(raw, t.folderName, extra?.architecture));
    const stm = t.specialTokensMap === undefined ? undefined : inFile('special_tokens_map.json', () => parseJson(t.specialTokensMap as string, 'special_tokens_map.json'));
    const tc = t.tokenizerConfig === undefined ? undefined : inFile('tokenizer_config.json', () => parseJson(t.tokenizerConfig as string, 'tokenizer_config.json'));
    const settings = inFile(tc === undefined ? 'special_tokens_map.json' : 'tokenizer_config.json', () => readTokenizerSettings(stm, tc));
    config.special_tokens = settings.special_tokens;
    if (settings.add_bos_token !== undefined) config.add_bos_token = settings.add_bos_token;
    if (settings.add_eos_token !== undefined) config.add_eos_token = settings.add_eos_token;
    if (settings.model_max_length !== undefined && config.context === undefined) {
      config.max_tokens = Math.min(settings.model_max_length, MAX_CONTEXT);
    }
    inFile('config.json', () => checkModelConfig(config, 'config.json'));
  } else {
    config = inFile('config.json', () => checkContractConfig(raw));
  }
  return extra === undefined ? config : inFile(LENS_JSON, () => applyLensJson(config, extra));
}

/** config.json and its siblings are a few KB; a larger one is refused before it is read (files from the Hub are untrusted). */
export const MAX_SETTINGS_JSON_BYTES = 16 * 2 ** 20;

const tooBig = (file: Loc, size: number): ModelFolderError =>
  new ModelFolderError(file, `${file} is ${Math.round(size / 2 ** 20)} MB, more than the ${MAX_SETTINGS_JSON_BYTES / 2 ** 20} MB a model's settings file may be`);

async function readText(fs: ModelFs, file: Loc): Promise<string> {
  // The size is checked before reading where the host knows it, and again on the bytes (vscode.dev reports 0).
  const size = (await fs.stat(file))?.size;
  if (size !== undefined && size > MAX_SETTINGS_JSON_BYTES) throw tooBig(file, size);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readBytes(file);
  } catch (e) {
    const code = errorCode(e);
    throw new ModelFolderError(file, code === 'ENOENT' ? `${file} is missing` : `${file} cannot be read: ${code ?? (e as Error).message}`);
  }
  if (bytes.length > MAX_SETTINGS_JSON_BYTES) throw tooBig(file, bytes.length);
  return utf8(bytes);
}

/**
 * The name a folder gives its model when config.json names none: the folder's own, or, for a snapshot
 * in the Hugging Face cache (models--org--name/snapshots/<commit>, what Download model… fetches), the
 * repo id rather than a commit hash.
 */
export function folderDisplayName(dir: string, fs: ModelFs = modelFs): string {
  const name = fs.basename(dir);
  const up = fs.dirname(dir);
  const repo = /^[0-9a-f]{40}$/.test(name) && fs.basename(up) === 'snapshots' ? /^models--([^-].*?)--(.+)$/.exec(fs.basename(fs.dirname(up))) : null;
  return repo ? `${repo[1]}/${repo[2]}` : name;
}

/** Reads and describes the folder's JSON files; throws ModelFolderError naming the file. */
export async function readDescription(files: ModelFiles, fs: ModelFs = modelFs): Promise<ModelConfig> {
  const texts: DescriptionTexts = { folderName: folderDisplayName(files.dir, fs), config: await readText(fs, files.config) };
  if (files.tokenizerConfig) texts.tokenizerConfig = await readText(fs, files.tokenizerConfig);
  if (files.specialTokensMap) texts.specialTokensMap = await readText(fs, files.specialTokensMap);
  if (files.lensJson) texts.lensJson = await readText(fs, files.lensJson);
  try {
    return describeModel(texts);
  } catch (e) {
    if (!(e instanceof DescriptionError)) throw e;
    const file = fs.join(files.dir, e.fileName);
    // Messages from the checks start with the file's own name ("config.json.num_heads must…").
    const msg = e.message.startsWith(e.fileName) ? e.message.slice(e.fileName.length).replace(/^:\s*/, '') : e.message;
    throw new ModelFolderError(file, `${file}${/^[.\s]/.test(msg) ? '' : ': '}${msg}`);
  }
}
