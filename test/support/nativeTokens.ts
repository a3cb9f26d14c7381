// A text's tokens from the Rust tokenizers library (npm `tokenizers`) reading a model folder's
// tokenizer.json: ids and exact ranges, specials with empty text. For tests that feed a page a run
// of a model the extension's own tokenizer is not under test for.
import * as path from 'path';
import * as tk from 'tokenizers';
import type { TokenInfo } from '../../src/shared/protocol';

export async function nativeTokens(dir: string, text: string): Promise<TokenInfo[]> {
  const t = tk.Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
  const e = await t.encode(text);
  const special = e.getSpecialTokensMask();
  return e.getIds().map((id, i) => {
    const [start, end] = e.getOffsets()[i];
    return { id, text: special[i] ? '' : text.slice(start, end), start, end, special: special[i] === 1 };
  });
}
