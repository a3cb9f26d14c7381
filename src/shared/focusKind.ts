// Which of the model card's named heads fits the token being explained: the pronoun head for a
// pronoun, the code head for an identifier in code. Pure; the page opens on that head and the
// explanation's headline cites it.
import type { ModelConfig } from './modelConfig';

export type FocusKind = 'pronoun' | 'code';

const PRONOUNS = new Set([
  'i', 'me', 'my', 'mine', 'myself', 'you', 'your', 'yours', 'yourself', 'yourselves', 'he', 'him', 'his', 'himself',
  'she', 'her', 'hers', 'herself', 'it', 'its', 'itself', 'we', 'us', 'our', 'ours', 'ourselves', 'they', 'them',
  'their', 'theirs', 'themselves', 'who', 'whom', 'whose',
]);

/** Words that look like identifiers but name no definition to find. */
const KEYWORDS = new Set([
  'const', 'let', 'var', 'function', 'return', 'if', 'else', 'for', 'while', 'do', 'switch', 'case', 'break', 'continue',
  'new', 'class', 'extends', 'import', 'export', 'from', 'as', 'def', 'lambda', 'in', 'of', 'is', 'not', 'and', 'or',
  'true', 'false', 'null', 'undefined', 'None', 'True', 'False', 'self', 'this', 'async', 'await', 'yield', 'try',
  'catch', 'finally', 'throw', 'raise', 'type', 'interface', 'public', 'private', 'protected', 'static', 'void', 'fn',
  'pub', 'struct', 'impl', 'use', 'mod', 'package', 'func', 'go', 'with', 'pass', 'elif', 'except', 'int', 'string',
]);

/** The kind of head that suits `text` (a token or a word as the user sees it), or null. */
export function focusKind(text: string, inCode: boolean): FocusKind | null {
  const w = text.trim();
  if (inCode) {
    if (/^[A-Za-z_$][\w$]*$/u.test(w) && !KEYWORDS.has(w)) return 'code';
    return null;
  }
  return PRONOUNS.has(w.toLowerCase()) ? 'pronoun' : null;
}

/** The head the model card names for `kind` ([layer, head], 0-based), or null. */
export function cardHead(config: Pick<ModelConfig, 'heads'>, kind: FocusKind | null): [number, number] | null {
  if (!kind) return null;
  const lh = config.heads?.[kind];
  return lh ? [lh[0], lh[1]] : null;
}
