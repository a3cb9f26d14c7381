// The analysed range shaded faintly in the editor, so the user sees what the model read. One
// decoration type, created up front and reused for every run.
import * as vscode from 'vscode';

export class WindowMarker implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private shown: { document: vscode.TextDocument; range: vscode.Range } | null = null;
  private live = 1;

  show(document: vscode.TextDocument, range: vscode.Range): void {
    this.shown = { document, range };
    this.paint();
  }

  /** Clears the shading (only that of `document`, when given). */
  clear(document?: vscode.TextDocument): void {
    if (!this.shown || (document && this.shown.document !== document)) return;
    this.shown = null;
    this.paint();
  }

  /** Sets the shading in every visible editor (editors of other documents get none). */
  paint(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(this.type, this.shown && editor.document === this.shown.document ? [this.shown.range] : []);
    }
  }

  current(): { document: vscode.TextDocument; range: vscode.Range } | null {
    return this.shown;
  }

  get liveTypes(): number {
    return this.live;
  }

  dispose(): void {
    this.clear();
    this.live = 0;
    this.type.dispose();
  }
}
