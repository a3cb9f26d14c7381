// Editor decorations for the hovered or pinned token: its targets get a background whose alpha
// grows with the attention weight, the token itself an outline. The decoration types are created
// once (one per weight bucket) and reused for every highlight, so nothing accumulates.
import * as vscode from 'vscode';
import { BUCKETS, bucketAlpha, bucketOf } from './weights';

export interface WeightedRange { range: vscode.Range; weight: number }

export class Highlighter implements vscode.Disposable {
  private readonly buckets: vscode.TextEditorDecorationType[];
  private readonly sourceType: vscode.TextEditorDecorationType;
  private shown: { document: vscode.TextDocument; targets: WeightedRange[]; source: vscode.Range | null } | null = null;
  private live = 0;
  /** Buckets with ranges in the last paint, and the editors painted. */
  private readonly used = new Set<number>();
  private painted = new Set<vscode.TextEditor>();

  constructor() {
    this.buckets = [];
    for (let b = 0; b < BUCKETS; b++) {
      const a = bucketAlpha(b).toFixed(3);
      this.buckets.push(vscode.window.createTextEditorDecorationType({
        light: { backgroundColor: `rgba(230, 110, 0, ${a})` },
        dark: { backgroundColor: `rgba(255, 160, 40, ${a})` },
        borderRadius: '2px',
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }));
    }
    this.sourceType = vscode.window.createTextEditorDecorationType({
      outline: '1px solid',
      outlineColor: new vscode.ThemeColor('focusBorder'),
      borderRadius: '2px',
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.live = this.buckets.length + 1;
  }

  /** Draws `targets` (weights in [0, 1]) and the `source` outline in every editor showing `document`. */
  show(document: vscode.TextDocument, targets: WeightedRange[], source: vscode.Range | null): void {
    this.shown = { document, targets: targets.filter((t) => bucketOf(t.weight) >= 0 && !t.range.isEmpty), source };
    this.paint();
  }

  /**
   * Sets the decorations. Only the decoration types that were or become non-empty are sent (a
   * hover in the panel can repaint many times a second); `all` repaints every type, for editors
   * that just became visible.
   */
  paint(all = false): void {
    const byBucket: vscode.Range[][] = this.buckets.map(() => []);
    for (const t of this.shown?.targets ?? []) byBucket[bucketOf(t.weight)].push(t.range);
    const source = this.shown?.source && !this.shown.source.isEmpty ? [this.shown.source] : [];
    const touched = new Set<number>(this.used);
    this.used.clear();
    byBucket.forEach((ranges, b) => {
      if (ranges.length > 0) this.used.add(b);
    });
    for (const b of this.used) touched.add(b);
    const painted = new Set<vscode.TextEditor>();
    for (const editor of vscode.window.visibleTextEditors) {
      const mine = this.shown !== null && editor.document === this.shown.document;
      if (!mine && !all && !this.painted.has(editor)) continue;
      this.buckets.forEach((type, b) => {
        if (all || touched.has(b)) editor.setDecorations(type, mine ? byBucket[b] : []);
      });
      editor.setDecorations(this.sourceType, mine ? source : []);
      if (mine) painted.add(editor);
    }
    this.painted = painted;
  }

  clear(): void {
    if (this.shown === null) return;
    this.shown = null;
    this.paint();
  }

  /** The highlighted target at `pos` in `document`, if any. */
  targetAt(document: vscode.TextDocument, pos: vscode.Position): WeightedRange | undefined {
    if (this.shown?.document !== document) return undefined;
    return this.shown.targets.find((t) => t.range.contains(pos) && !t.range.end.isEqual(pos));
  }

  /** What is drawn now. */
  current(): { document: vscode.TextDocument; targets: readonly WeightedRange[]; source: vscode.Range | null } | null {
    return this.shown;
  }

  /** Decoration types alive: all are created up front and only disposed with the highlighter. */
  get liveTypes(): number {
    return this.live;
  }

  dispose(): void {
    this.clear();
    this.painted.clear();
    this.live = 0;
    for (const t of this.buckets) t.dispose();
    this.sourceType.dispose();
  }
}
