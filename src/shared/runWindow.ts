// Where a run's text starts and ends in the document, and how it was chosen: the panel states it
// ("Reads 3:1–5:38: …") and the editor shades it.

export interface LineColumn {
  /** 1-based, as the editor's status bar counts. */
  line: number;
  column: number;
}

export type WindowReads = 'before-cursor' | 'around-cursor' | 'selection' | 'block';

export interface RunWindow {
  start: LineColumn;
  /** Exclusive: the position just after the last character read. */
  end: LineColumn;
  reads: WindowReads;
  /** Why the window is shorter than attentionLens.maxTokens allows (the attention memory budget), when that cut it. */
  limitedBy?: string;
}

const HOW: Record<WindowReads, string> = {
  'before-cursor': 'the text before the cursor that fits the model, as a causal model reads it, and the rest of its paragraph',
  'around-cursor': 'a window centred on the cursor, grown by whole paragraphs',
  selection: 'exactly the selection',
  block: 'the paragraph or code block around the cursor',
};

/** "Reads 3:1–5:38: the text before the cursor …" */
export function describeWindow(w: RunWindow): string {
  const why = w.limitedBy ? `; shorter than the token limit because ${w.limitedBy}` : '';
  return `Reads ${w.start.line}:${w.start.column}–${w.end.line}:${w.end.column}: ${HOW[w.reads]}${why}`;
}
