// The host's long-lived parts, as the modules that act on runs (message receiving, compare) are given them.
import type * as vscode from 'vscode';
import type { Highlighter } from './decorations';
import type { ModelManager } from './modelManager';
import type { Notifier } from './notifier';
import type { PanelConnection } from './panelConnection';
import type { RunControl } from './runControl';

export interface HostParts {
  log: vscode.OutputChannel;
  notifier: Notifier;
  models: ModelManager;
  link: PanelConnection;
  runs: RunControl;
  highlighter: Highlighter;
}
