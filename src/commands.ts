// The commands the extension contributes (see package.json contributes.commands).
import * as vscode from 'vscode';
import { compareArgs } from './compareCommand';
import { PROBE_HEADS } from './headProbeCommand';
import { AttentionLens } from './lens';

export const COMMANDS = {
  explainHere: 'attentionLens.explainHere',
  showSelection: 'attentionLens.showSelection',
  /** Hidden from the palette: pins a token of the current run, as hovering it in the panel does. */
  hoverToken: 'attentionLens.hoverToken',
  compareWithEdit: 'attentionLens.compareWithEdit',
  probeHeads: PROBE_HEADS,
} as const;

export function registerCommands(lens: AttentionLens): vscode.Disposable[] {
  return [
    // Returns the run id (or undefined when nothing ran), which tests use to wait for that run.
    vscode.commands.registerCommand(COMMANDS.explainHere, () => lens.runCommand('explain')),
    vscode.commands.registerCommand(COMMANDS.showSelection, () => lens.runCommand('selection')),
    vscode.commands.registerCommand(COMMANDS.hoverToken, (tokenIndex: unknown) =>
      lens.pinToken(typeof tokenIndex === 'number' ? tokenIndex : null)),
    // The argument: { replacements, tokenIndex, focus } from a test or keybinding, or the panel's
    // context menu ({ tokenIndex } from data-vscode-context); returns the run id like the others.
    vscode.commands.registerCommand(COMMANDS.compareWithEdit, (arg: unknown) => lens.compare(compareArgs(arg))),
    // Returns the probe's scores per layer and head (undefined when it could not run).
    vscode.commands.registerCommand(COMMANDS.probeHeads, () => lens.probeHeads()),
  ];
}
