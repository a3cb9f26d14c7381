// Which bundled model reads a text when the user has not chosen one: prose (Markdown, plain text,
// a comment in code) goes to the encoder, whose every token sees the whole sentence — the pronoun
// examples are an encoder's — and code to the decoder. Pure.

export type BundledKind = 'decoder' | 'encoder';
export type BundledPreference = 'auto' | BundledKind;

const PROSE_LANGUAGES = new Set([
  'markdown', 'plaintext', 'restructuredtext', 'latex', 'tex', 'bibtex', 'asciidoc', 'org', 'git-commit',
  'git-rebase', 'scminput', 'mdx', 'text', 'quarto', 'rmd',
]);

// Line-comment markers by language family; a text whose every non-blank line is a comment is prose.
const HASH = new Set(['python', 'shellscript', 'ruby', 'perl', 'r', 'yaml', 'toml', 'dockerfile', 'makefile', 'powershell', 'coffeescript', 'julia', 'elixir', 'nim', 'cmake']);
const DASH = new Set(['sql', 'lua', 'haskell', 'ada', 'elm']);
const SEMI = new Set(['clojure', 'lisp', 'scheme', 'ini']);
const PERCENT = new Set(['matlab', 'erlang', 'prolog']);

function lineMarkers(languageId: string): RegExp {
  if (HASH.has(languageId)) return /^\s*#/;
  if (DASH.has(languageId)) return /^\s*--/;
  if (SEMI.has(languageId)) return /^\s*;/;
  if (PERCENT.has(languageId)) return /^\s*%/;
  if (languageId === 'vb') return /^\s*'/;
  // C family, JS/TS, Java, Go, Rust, C#, Swift, Kotlin, PHP, CSS…: // line comments and /* */ blocks.
  return /^\s*(\/\/|\/\*|\*)/;
}

/** Whether `text` (what a run analyses) in a document of `languageId` is prose rather than code. */
export function isProse(languageId: string, text: string): boolean {
  if (PROSE_LANGUAGES.has(languageId)) return true;
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return false;
  const t = text.trim();
  // A docstring or a block comment taken whole.
  if (/^("""|''')[\s\S]*\1$/.test(t) || /^\/\*[\s\S]*\*\/$/.test(t)) return true;
  const marker = lineMarkers(languageId);
  return lines.every((l) => marker.test(l));
}

/**
 * The bundled model for a text: the user's preference when it names one that is bundled, else by
 * kind of text (when an encoder is bundled at all).
 */
export function bundledFor(preference: BundledPreference, hasEncoder: boolean, languageId: string, text: string): BundledKind {
  if (!hasEncoder) return 'decoder';
  if (preference !== 'auto') return preference;
  return isProse(languageId, text) ? 'encoder' : 'decoder';
}

/** The recent model folders list with `entry` first, without repeats, at most `max` long. */
export function pushRecent(list: readonly string[], entry: string, max = 8): string[] {
  return [entry, ...list.filter((e) => e !== entry)].slice(0, max);
}
