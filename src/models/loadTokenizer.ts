// Reads a model folder's tokenizer.json from disk into a TextTokenizer (src/tokenizers/tokenize.ts),
// so the tokenizers themselves stay free of Node's file system.
import { promises as fs } from 'fs';
import { TextTokenizer, TokenizerError, TokenizerOptions } from '../tokenizers/tokenize';

/** The largest tokenizer.json read; real ones (Gemma 3's 262k vocabulary) stay far below. */
export const MAX_TOKENIZER_BYTES = 128 * 2 ** 20;

/** Reads and loads a tokenizer.json file; throws TokenizerError naming the file and the problem. */
export async function loadTokenizer(file: string, opts: TokenizerOptions = {}): Promise<TextTokenizer> {
  let text: string;
  try {
    // A file from the Hub is untrusted: a claimed size past any real tokenizer's is refused before it is read.
    const { size } = await fs.stat(file);
    if (size > MAX_TOKENIZER_BYTES) {
      throw new TokenizerError(`${file} is ${Math.round(size / 2 ** 20)} MB, more than the ${MAX_TOKENIZER_BYTES / 2 ** 20} MB a tokenizer.json may be`);
    }
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof TokenizerError) throw e;
    throw new TokenizerError(`${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TokenizerError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  return new TextTokenizer(json, { ...opts, file });
}
