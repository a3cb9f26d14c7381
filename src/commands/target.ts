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

export interface CommandTarget {
  /** "Explain attention here" (explain) and "Show attention for selection" (selection): the run id, or undefined when nothing ran. */
  runCommand(kind: RunKind): Promise<number | undefined>;
  /** The run id of the comparison, or undefined when nothing ran. */
  compare(args: CompareArgs | undefined): Promise<number | undefined>;
  /** The probe's scores per layer and head, or undefined when it could not run. */
  probeHeads(): Promise<unknown>;
  /** What was written to the settings; `arg`, a path, skips the quick pick. */
  chooseModel(arg?: unknown): Promise<Chosen | undefined>;
}
