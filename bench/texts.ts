// The benchmark's inputs: real prose (bench/texts/prose.txt, written for this project) and real
// code (the TypeScript compiler's own JavaScript, read from node_modules at run time, not copied
// into the repository), each cut to an exact token count with the host's tokenizer.
import * as fs from 'fs';
import * as path from 'path';
import { TokenInfo } from '../src/shared/protocol';
import { TextTokenizer } from '../src/tokenizers/tokenize';

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
 * A prefix of `source` that the tokenizer encodes into exactly `count` tokens (no bos). It ends
 * at a token boundary of the longer text; a cut inside a word can re-merge differently, so a few
 * neighbouring boundaries are tried until the count is exact.
 */
export function prefixWithTokens(tok: TextTokenizer, source: string, count: number): { text: string; tokens: TokenInfo[] } {
  if (count < 1) throw new Error('a text needs at least one token');
  // Encode a window that surely holds `count` tokens (every token is at least one character),
  // not the whole source, which may be megabytes of code.
  let window = Math.min(source.length, count * 8);
  let all = tok.encode(source.slice(0, window));
  while (all.length <= count + 8 && window < source.length) {
    window = Math.min(source.length, window * 2);
    all = tok.encode(source.slice(0, window));
  }
  if (all.length < count) throw new Error(`the text has only ${all.length} tokens; ${count} were asked for`);
  for (const k of [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7]) {
    const last = count - 1 + k;
    if (last < 0 || last >= all.length) continue;
    const text = source.slice(0, all[last].end);
    const tokens = tok.encode(text);
    if (tokens.length === count) return { text, tokens };
  }
  throw new Error(`no prefix of the text has exactly ${count} tokens`);
}
