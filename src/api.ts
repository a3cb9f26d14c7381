// What activate() returns: a small read-only view of the extension's state, for the tests that
// run inside a real VS Code (test/vscode). Users never need it. Positions are plain objects so
// they compare and print simply.
import type {
  CompareMessage, ComparisonMessage, ExplanationMessage, RunMessage, ResultMessage, ToHost,
} from './shared/protocol';

export interface PlainPosition { line: number; character: number }
export interface PlainRange { start: PlainPosition; end: PlainPosition }

export interface RunSnapshot {
  runId: number;
  /** The document the run analysed (its uri as a string). */
  documentUri: string;
  /** The analysed text's range in the document. */
  range: PlainRange;
  /** The run message sent to the webview (tokens, truncation, focus, explain). */
  message: RunMessage;
  /**
   * Each token's range in the document, index for index with message.tokens (bos: empty, at
   * range.start). The document text of a range equals the token's text, except that a token
   * boundary between the \r and \n of a CRLF moves after the \n (an editor has no position
   * inside a line break): the token holding \r covers the whole line break, the \n token is empty.
   */
  documentRanges: PlainRange[];
  /** True once the document was edited or closed: the ranges no longer hold. */
  stale: boolean;
}

export interface DecorationSnapshot {
  /** Targets drawn in the editor with their weights (weights below 0.5% are not drawn). */
  targets: { range: PlainRange; weight: number }[];
  /** The outlined source token, or null. */
  source: PlainRange | null;
  documentUri: string;
}

/** A message the user was shown (a notification). */
export interface ShownMessage { severity: 'info' | 'warning' | 'error'; text: string }

export interface LensStats {
  /** Editor decoration types alive: fixed (10 weight buckets + 1 outline) while active. */
  decorationTypes: number;
  /** Ranges decorated now. */
  decoratedRanges: number;
  /**
   * Event listeners the extension holds: its own (fixed while active), the open panel's and its
   * own on that panel (released when the panel closes), and the test API's; none per run.
   */
  listeners: number;
  /** 1 while the panel is open. */
  panels: number;
  /** Runs sent to the webview with no result or error yet. */
  inFlight: number;
  runsStarted: number;
  cancelsSent: number;
  /** Incoming webview messages dropped because they failed validation. */
  droppedMessages: number;
}

export type HostMessageType = ToHost['type'];
export type HostMessageOf<T extends HostMessageType> = Extract<ToHost, { type: T }>;

export interface AttentionLensApi {
  /** The latest run started (current or finished), or undefined before the first. */
  lastRun(): RunSnapshot | undefined;
  /** The latest result message for the latest run. */
  lastResult(): ResultMessage | undefined;
  /** The latest explanation message for the latest run. */
  lastExplanation(): ExplanationMessage | undefined;
  /** The compare message sent for the latest run, when it is a comparison (every version's text and tokens). */
  lastCompare(): CompareMessage | undefined;
  /** What the panel last showed for the latest comparison run. */
  lastComparison(): ComparisonMessage | undefined;
  /** The range shaded in the editor as the latest run's analysed text, or null when none is shown. */
  analysedRange(): { documentUri: string; range: PlainRange } | null;
  /** The latest error message (any run), with the text the user was shown. */
  lastError(): string | undefined;
  /** The messages the user was shown, oldest first (the last 100). */
  messages(): ShownMessage[];
  /** How many messages the user was shown since activation: a mark for messagesSince (messages() stops growing at 100). */
  messagesShown(): number;
  /** The messages shown since messagesShown() returned `mark`, oldest first (at most the last 100). */
  messagesSince(mark: number): ShownMessage[];
  /** What is decorated in the editor now, or null. */
  decorations(): DecorationSnapshot | null;
  /** The model in use: its folder, whether it is the bundled one, and its config's name. */
  model(): { dir: string; bundled: boolean; name: string } | undefined;
  stats(): LensStats;
  /**
   * Pins a token of the latest run in the panel, as hovering it there does (null unpins).
   * Resolves true once the panel has it, false when there is no run or panel to pin in.
   */
  pinToken(tokenIndex: number | null): Promise<boolean>;
  /** Every validated message from the webview, as it arrives. Returns a function that unsubscribes. */
  onDidReceive(listener: (msg: ToHost) => void): () => void;
  /**
   * Resolves with the next message of `type` (for `runId` when given, else for any run) that
   * arrives after the call, or rejects after `timeoutMs` (default 60 s).
   */
  waitFor<T extends HostMessageType>(type: T, options?: { runId?: number; timeoutMs?: number }): Promise<HostMessageOf<T>>;
}
