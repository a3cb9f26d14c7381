// The host's long-lived parts, as the modules that act on runs (message receiving, compare) are given them.
import type * as vscode from 'vscode';
import type { Highlighter } from './editor/decorations';
import type { ModelManager } from './models/modelManager';
import type { Notifier } from './notifier';
import type { PanelConnection } from './panel/panelConnection';
import type { RunControl } from './run/runControl';

export interface HostParts {
  log: vscode.OutputChannel;
  notifier: Notifier;
  models: ModelManager;
  link: PanelConnection;
  runs: RunControl;
  highlighter: Highlighter;
}
