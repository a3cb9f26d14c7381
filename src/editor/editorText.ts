// The editor side of choosing text: applies the rules in textSelection.ts to a real document,
// reading only the lines and range it needs.
import * as vscode from 'vscode';
import { DEFAULT_LIMITS, Limits, blockAround, capAround, textProblem } from '../run/textSelection';
import type { WindowReads } from '../shared/runWindow';

export interface PickedText {
  text: string;
  /** The analysed range in the document; `text` is exactly document.getText(range). */
  range: vscode.Range;
  /** Document offset of range.start: token offsets + baseOffset are document offsets. */
  baseOffset: number;
  /** The cursor as an offset into `text` (clamped into it). */
  cursor: number;
  /** Said to the user when the text was cut before tokenizing. */
  notice: string | null;
  /** How the text was chosen, for the panel (absent: the selection or the block, as pickText does). */
  reads?: WindowReads;
  /** A selection to explain inside a wider window, as offsets into `text`. */
  focusSpan?: { start: number; end: number } | null;
}

export function pickText(editor: vscode.TextEditor, limits: Limits = DEFAULT_LIMITS): PickedText | { problem: string } {
  const doc = editor.document;
  const sel = editor.selection;
  let start: number;
  let end: number;
  let notice: string | null = null;
  if (!sel.isEmpty) {
    start = doc.offsetAt(sel.start);
    end = doc.offsetAt(sel.end);
  } else {
    const pick = blockAround({ lineCount: doc.lineCount, lineText: (i) => doc.lineAt(i).text }, sel.active.line, limits);
    if (pick.kind === 'none') return { problem: pick.message };
    if (pick.kind === 'selection') throw new Error('blockAround does not return a selection');
    start = doc.offsetAt(new vscode.Position(pick.start.line, pick.start.character));
    end = doc.offsetAt(new vscode.Position(pick.end.line, pick.end.character));
    if (pick.capped) notice = `The block around the cursor is long; Attention Lens looked at most ${limits.maxBlockLines} lines either side of it.`;
  }
  const cursorOffset = doc.offsetAt(sel.active);
  const [cutStart, cutEnd] = capAround(start, end, cursorOffset, limits.maxChars);
  if (cutStart !== start || cutEnd !== end) {
    notice = `The text is ${(end - start).toLocaleString('en-US')} characters; Attention Lens reads the ${limits.maxChars.toLocaleString('en-US')} around the cursor.`;
  }
  // Round-trip through positions so a cut inside a CRLF pair lands on a real position.
  const range = new vscode.Range(doc.positionAt(cutStart), doc.positionAt(cutEnd));
  const text = doc.getText(range);
  const problem = textProblem(text);
  if (problem) return { problem };
  const baseOffset = doc.offsetAt(range.start);
  const cursor = Math.min(Math.max(cursorOffset - baseOffset, 0), text.length);
  return { text, range, baseOffset, cursor, notice, reads: sel.isEmpty ? 'block' : 'selection' };
}

/** The document's file name without its folder, from its Uri (so it holds for any file system). */
export function documentFileName(document: vscode.TextDocument): string {
  const p = document.uri.path;
  return p.slice(p.lastIndexOf('/') + 1);
}
