// Reads a model folder's tokenizer.json from disk into a TextTokenizer (src/tokenizers/tokenize.ts),
// so the tokenizers themselves stay free of Node's file system.
import { modelFs } from '../env/node/modelFs';
import { TextTokenizer, TokenizerError, TokenizerOptions } from '../tokenizers/tokenize';
import { type Loc, type ModelFs, errorCode, utf8 } from './modelFs';

/** The largest tokenizer.json read; real ones (Gemma 3's 262k vocabulary) stay far below. */
export const MAX_TOKENIZER_BYTES = 128 * 2 ** 20;

/** Reads and loads a tokenizer.json file; throws TokenizerError naming the file and the problem. */
export async function loadTokenizer(file: Loc, opts: TokenizerOptions = {}, fs: ModelFs = modelFs): Promise<TextTokenizer> {
  const tooBig = (size: number): TokenizerError =>
    new TokenizerError(`${file} is ${Math.round(size / 2 ** 20)} MB, more than the ${MAX_TOKENIZER_BYTES / 2 ** 20} MB a tokenizer.json may be`);
  // A file from the Hub is untrusted: a claimed size past any real tokenizer's is refused before it
  // is read, where the host knows sizes; the bytes are checked too (vscode.dev reports size 0).
  const size = (await fs.stat(file))?.size;
  if (size !== undefined && size > MAX_TOKENIZER_BYTES) throw tooBig(size);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readBytes(file);
  } catch (e) {
    throw new TokenizerError(`${file} cannot be read: ${errorCode(e) ?? (e as Error).message}`);
  }
  if (bytes.length > MAX_TOKENIZER_BYTES) throw tooBig(bytes.length);
  const text = utf8(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TokenizerError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  return new TextTokenizer(json, { ...opts, file });
}
