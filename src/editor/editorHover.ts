// The editor hover over the current run's text: a highlighted target's share of the attention,
// and over the explained token its explanation.
import * as vscode from 'vscode';
import type { Highlighter } from './decorations';
import type { RunRecord } from '../run/runRecord';
import { percent } from './weights';

export function attentionHover(
  run: RunRecord | null, highlighter: Highlighter, document: vscode.TextDocument, pos: vscode.Position,
): vscode.Hover | undefined {
  if (!run || run.stale || run.request.document !== document) return undefined;
  const md = new vscode.MarkdownString();
  md.isTrusted = false;
  let range: vscode.Range | undefined;
  const target = highlighter.targetAt(document, pos);
  const h = run.highlight;
  if (target && h && h.tokenIndex !== null) {
    // The hovered unit's own text: a token, or in the words view the whole word.
    const source = highlighter.current()?.source;
    const src = visible(source ? document.getText(source) : run.message.tokens[h.tokenIndex]?.text ?? '');
    const tgt = visible(document.getText(target.range));
    md.appendMarkdown('**Attention Lens** ');
    md.appendText(h.direction === 'from'
      ? `"${tgt}" gets ${percent(target.weight)} of the attention from "${src}"`
      : `"${tgt}" puts ${percent(target.weight)} of its attention on "${src}"`);
    range = target.range;
  }
  const focus = run.message.focus;
  const explained = focus === null ? undefined : run.explanations.get(focus);
  if (explained && focus !== null && run.ranges[focus].contains(pos) && !run.ranges[focus].end.isEqual(pos)) {
    if (range) md.appendMarkdown('\n\n---\n\n');
    md.appendMarkdown('**Attention Lens** ');
    md.appendText(explained.summary);
    for (const line of explained.lines) {
      md.appendMarkdown('  \n');
      md.appendText(line);
    }
    range = run.ranges[focus];
  }
  return range ? new vscode.Hover(md, range) : undefined;
}

/** Token text with its invisible characters made visible, for a one-line hover. */
function visible(s: string): string {
  return s.replace(/\r?\n/g, '⏎').replace(/\t/g, '⇥');
}
