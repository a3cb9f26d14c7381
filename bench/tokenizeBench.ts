// Host tokenization with offsets: the same call the extension makes for a selection
// (tokenizeForModel: encode, exact UTF-16 ranges, bos, and the window when the text is longer
// than the model's context).
import { ModelConfig } from '../src/shared/modelConfig';
import { TextTokenizer, tokenizeForModel } from '../src/tokenizers/tokenize';
import { sample } from './stats';

export async function measureTokenize(
  tok: TextTokenizer, text: string, config: ModelConfig, warmup: number, runs: number,
): Promise<number[]> {
  return sample(() => tokenizeForModel(tok, text, config, config.max_tokens, text.length), warmup, runs);
}
