// What the commands drive, and their arguments and results: the lens (src/lens.ts) implements it. Commands import this, never the
// lens itself, so no command module depends on the composition root.
import type { RunKind } from '../run/runRecord';

/** What the command writes: a path for modelPath ('' = bundled) and which bundled model. */
export interface Chosen { modelPath: string; bundled: 'auto' | 'decoder' | 'encoder' }

export interface CompareArgs {
  /** The replacements (the input box is not shown). */
  replacements?: string[];
  /** The base token whose word is replaced (the panel's context menu); else the selection or the word at the cursor. */
  tokenIndex?: number;
  /** The token to compare; else the token pinned in the panel, else the run's focus. */
  focus?: number;
}

/** "Download model…"'s optional argument: skips the quick picks. */
export interface DownloadArgs {
  /** org/name or a Hub URL. */
  repo?: string;
  /** A dtype (q8, fp32…) or the graph's path in the repo; else the quick pick. */
  variant?: string;
}

/** What "Download model…" fetched and made the model in use. */
export interface Downloaded { repo: string; sha: string; dtype: string; bytes: number; seconds: number; modelPath: string }

export interface CommandTarget {
  /** "Explain attention here" (explain) and "Show attention for selection" (selection): the run id, or undefined when nothing ran. */
  runCommand(kind: RunKind): Promise<number | undefined>;
  /** The run id of the comparison, or undefined when nothing ran. */
  compare(args: CompareArgs | undefined): Promise<number | undefined>;
  /** The probe's scores per layer and head, or undefined when it could not run. */
  probeHeads(): Promise<unknown>;
  /** What was written to the settings; `arg`, a path, skips the quick pick. */
  chooseModel(arg?: unknown): Promise<Chosen | undefined>;
  /** "Download model…": what was downloaded and is now in use, or undefined. */
  downloadModel(arg?: unknown): Promise<Downloaded | undefined>;
  /** "Set Hugging Face token": whether a token is stored now. */
  setHubToken(arg?: unknown): Promise<boolean>;
  /** "Clear the panel's cache": what it held, or undefined when it could not be cleared. */
  clearPanelCache(): Promise<{ files: number; bytes: number } | undefined>;
}
