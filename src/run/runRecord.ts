// A run as the host keeps it: what was asked (document, version, picked text) and what was sent,
// with each token's document range. Plain data, shared by run control, message receiving, the
// editor hover and the test API.
import * as vscode from 'vscode';
import type { PlainRange } from '../api';
import type { PickedText } from '../editor/editorText';
import type {
  CompareMessage, ComparisonMessage, ExplanationMessage, HighlightMessage, RunMessage,
} from '../shared/protocol';

export type RunKind = 'explain' | 'selection';

export interface RunRequest {
  kind: RunKind;
  document: vscode.TextDocument;
  version: number;
  picked: PickedText;
}

export interface RunRecord {
  request: RunRequest;
  message: RunMessage;
  /** Document range of each token, index for index with message.tokens. */
  ranges: vscode.Range[];
  stale: boolean;
  /** The token pinned now (from the cursor, the focus, or the panel), to avoid re-sending pins. */
  pinned: number | null;
  explanationShown: boolean;
  explanations: Map<number, ExplanationMessage>;
  highlight: HighlightMessage | null;
  /** A comparison run (compareCommand.ts): what was sent; `message` is its base as a run. */
  compare?: CompareMessage;
  /** The last comparison the panel showed for this run. */
  comparison?: ComparisonMessage;
}

export const toPlain = (r: vscode.Range): PlainRange => ({
  start: { line: r.start.line, character: r.start.character },
  end: { line: r.end.line, character: r.end.character },
});
