// Reads a model folder's tokenizer.json from disk into a TextTokenizer (src/tokenizers/tokenize.ts),
// so the tokenizers themselves stay free of Node's file system.
import { promises as fs } from 'fs';
import { TextTokenizer, TokenizerError, TokenizerOptions } from '../tokenizers/tokenize';

/** Reads and loads a tokenizer.json file; throws TokenizerError naming the file and the problem. */
export async function loadTokenizer(file: string, opts: TokenizerOptions = {}): Promise<TextTokenizer> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
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
