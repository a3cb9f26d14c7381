// The handle VS Code gives a webview (acquireVsCodeApi): the only way to talk to the host and to
// keep state across a reload of the page.
import type { ToHost } from '../src/shared/protocol';

export interface VsCodeApi<S> {
  postMessage(msg: ToHost): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

/** acquireVsCodeApi may be called only once per page. */
export function vscodeApi<S>(): VsCodeApi<S> {
  return acquireVsCodeApi<S>();
}
