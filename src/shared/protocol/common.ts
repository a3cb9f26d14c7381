// The bottom of src/shared: types both directions of the protocol share (backends, tokens, a cut
// of the text, an attention target). It imports nothing, so every shared module may import it.
export type Backend = 'webgpu' | 'wasm';
export type BackendPreference = 'auto' | Backend;

/** One token of the analysed text. start/end are UTF-16 offsets into the analysed text. */
export interface TokenInfo {
  id: number;
  /** The exact source text of the token ('' for a special token such as bos). */
  text: string;
  start: number;
  end: number;
  special: boolean;
  /** A special token's own string ([CLS], <s>), for the panel to show: its `text` stays ''. */
  name?: string;
}

export interface Truncation {
  /** Tokens the whole selection had. */
  totalTokens: number;
  /** The character range of the analysed window inside the selection. */
  keptStart: number;
  keptEnd: number;
  /** Why the window is smaller than attentionLens.maxTokens asks (the attention memory budget). */
  reason?: string;
}

/** A token the focus attends to, and how much. */
export interface Target { index: number; weight: number }
