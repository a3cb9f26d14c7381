// The editor side of Explain's context: reads the document around the cursor (a bounded region,
// so a 100,000-line file costs only the text near the cursor), lets contextWindow.ts choose the
// window with the model's own tokenizer, and returns it as the text to analyse.
import * as vscode from 'vscode';
import { TokenSpans, chooseWindow } from './contextWindow';
import type { PickedText } from '../editor/editorText';
import type { Architecture } from '../shared/modelConfig';
import { looksBinary, textProblem } from './textSelection';

/** Characters read either side of the anchor per token of budget: more than any real text needs per token. */
const CHARS_PER_TOKEN = 24;

/**
 * The window Explain reads, or null when the selection is too long to be "what to explain" (then
 * the caller analyses the selection as before), or a problem to tell the user.
 */
export function pickContext(
  editor: vscode.TextEditor, architecture: Architecture, budget: number, tokens: TokenSpans,
): PickedText | { problem: string } | null {
  const doc = editor.document;
  const sel = editor.selection;
  const a0 = doc.offsetAt(sel.start);
  const a1 = doc.offsetAt(sel.end);
  const reach = budget * CHARS_PER_TOKEN;
  if (a1 - a0 > reach) return null;
  const docEnd = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
  const regionStart = doc.offsetAt(doc.positionAt(Math.max(0, a0 - reach)));
  const regionEnd = doc.offsetAt(doc.positionAt(Math.min(docEnd, a1 + reach)));
  const region = doc.getText(new vscode.Range(doc.positionAt(regionStart), doc.positionAt(regionEnd)));
  const anchor = sel.isEmpty
    ? { start: doc.offsetAt(sel.active) - regionStart, end: doc.offsetAt(sel.active) - regionStart }
    : { start: a0 - regionStart, end: a1 - regionStart };
  if (!sel.isEmpty) {
    const problem = textProblem(region.slice(anchor.start, anchor.end));
    if (problem) return { problem };
    if (tokens(region.slice(anchor.start, anchor.end)).length > budget) return null;
  }
  // Binary data is said as such, before its tokens (a few characters each) make every window too long.
  if (looksBinary(region)) return { problem: textProblem(region) ?? 'This looks like binary data, not text.' };
  const w = chooseWindow({ text: region, anchor, architecture, budget, tokens });
  if (w.kind === 'none') return { problem: w.message };
  // Round-trip through positions so an edge inside a CRLF pair lands on a real position.
  const range = new vscode.Range(doc.positionAt(regionStart + w.start), doc.positionAt(regionStart + w.end));
  const text = doc.getText(range);
  const problem = textProblem(text);
  if (problem) return { problem };
  const baseOffset = doc.offsetAt(range.start);
  const clamp = (o: number): number => Math.min(Math.max(o - baseOffset, 0), text.length);
  return {
    text,
    range,
    baseOffset,
    cursor: clamp(sel.isEmpty ? doc.offsetAt(sel.active) : a0),
    notice: null,
    reads: architecture === 'causal' ? 'before-cursor' : 'around-cursor',
    focusSpan: sel.isEmpty ? null : { start: clamp(a0), end: clamp(a1) },
  };
}
