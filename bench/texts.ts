// The benchmark's inputs: real prose (bench/texts/prose.txt, written for this project) and real
// code (the TypeScript compiler's own JavaScript, read from node_modules at run time, not copied
// into the repository), each cut to an exact token count with the host's tokenizer.
import * as fs from 'fs';
import * as path from 'path';
import { TokenInfo } from '../src/shared/protocol';
import { TextTokenizer } from '../src/tokenize';

export type TextKind = 'prose' | 'code';

/** Where each kind comes from; `startAt` skips a file's licence header to where the real text begins. */
const SOURCES: Record<TextKind, { file: string; startAt: string | null }> = {
  prose: { file: 'bench/texts/prose.txt', startAt: null },
  code: { file: 'node_modules/typescript/lib/typescript.js', startAt: 'function computeLineStarts(' },
};

export function describeSource(kind: TextKind): string {
  const s = SOURCES[kind];
  return s.startAt ? `${s.file} from "${s.startAt}"` : s.file;
}

/** The full source text of a kind (from the repository root `root`). */
export function loadSource(root: string, kind: TextKind): string {
  const { file, startAt } = SOURCES[kind];
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  if (startAt === null) return text;
  const at = text.indexOf(startAt);
  if (at < 0) throw new Error(`${file} has no "${startAt}"; pick another starting point in bench/texts.ts`);
  return text.slice(at);
}

/**
 * The longest prefix of `source` that the tokenizer encodes into exactly `count` tokens (no bos).
 * A prefix cut at a token's end can re-merge differently at the cut, so the cut is re-checked
 * until the count is exact.
 */
export function prefixWithTokens(tok: TextTokenizer, source: string, count: number): { text: string; tokens: TokenInfo[] } {
  if (count < 1) throw new Error('a text needs at least one token');
  let end = source.length;
  for (let attempt = 0; attempt < 20; attempt++) {
    const tokens = tok.encode(source.slice(0, end));
    if (tokens.length === count) return { text: source.slice(0, end), tokens };
    if (tokens.length < count) {
      if (end === source.length) throw new Error(`the text has only ${tokens.length} tokens; ${count} were asked for`);
      end = Math.min(source.length, end + 1);
    } else {
      end = tokens[count - 1].end;
    }
  }
  throw new Error(`no prefix of the text has exactly ${count} tokens`);
}
