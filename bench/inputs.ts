// The benchmark's cases: each (text kind, token count) with the exact tokens the model sees.
import { ModelConfig } from '../src/shared/modelConfig';
import { TokenInfo } from '../src/shared/protocol';
import { TextTokenizer, tokenizeForModel } from '../src/tokenizers/tokenize';
import { TextKind, loadSource, prefixWithTokens } from './texts';

export const FULL_SIZES = [64, 256, 512, 1024] as const;

export interface BenchCase {
  kind: TextKind;
  /** Tokens counted as the model would see them (bos included). */
  tokens: number;
  /** The selected text, `tokens` tokens long (bos included). */
  text: string;
  /** What the host sends the webview: at most the model's max_tokens (windowed when longer). */
  modelTokens: TokenInfo[];
  /** The model's context when the text is longer than it (inference runs on the window), else null. */
  cappedAt: number | null;
  /** Every token of the text (bos first when the model wants one): what the views would show. */
  viewTokens: TokenInfo[];
}

export function makeCase(root: string, tok: TextTokenizer, config: ModelConfig, kind: TextKind, tokens: number): BenchCase {
  const bos = config.prepend_bos ? 1 : 0;
  const { text } = prefixWithTokens(tok, loadSource(root, kind), tokens - bos);
  const input = tokenizeForModel(tok, text, config, config.max_tokens, null);
  const cappedAt = tokens > config.max_tokens ? config.max_tokens : null;
  if (cappedAt === null && input.tokens.length !== tokens) {
    throw new Error(`${kind} at ${tokens} tokens: the host made ${input.tokens.length} tokens`);
  }
  const viewTokens = cappedAt === null ? input.tokens : [...input.tokens.slice(0, bos), ...tok.encode(text)];
  if (viewTokens.length !== tokens) throw new Error(`${kind} at ${tokens} tokens: the text has ${viewTokens.length}`);
  return { kind, tokens, text, modelTokens: input.tokens, cappedAt, viewTokens };
}
