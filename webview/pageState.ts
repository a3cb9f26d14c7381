// The page's state: the shown run's matrices, the view, the hovered and pinned tokens, requests
// that arrived before their run rendered, and what survives a reload (vscode.setState).
import type { Matrices } from './runData';
import type { ViewState } from './viewState';
import type { VsCodeApi } from './vscodeApi';

/** What survives a reload of the page (vscode.setState). */
export interface SavedState {
  view?: ViewState;
  /** WebGPU failed during a run on this panel: why. The page then starts on WASM. */
  webGpuFailed?: string;
}

export interface PendingRequest { pin?: number | null; explain?: number }

export class PageState {
  current: Matrices | null = null;
  view: ViewState | null = null;
  hover: number | null = null;
  pinned: number | null = null;
  /** The last highlight sent to the host, so an unchanged one is not sent again. */
  lastHighlight = '';
  /** pin / explain messages for a run that has not rendered yet. */
  private readonly pending = new Map<number, PendingRequest>();

  constructor(private readonly api: VsCodeApi<SavedState>) {}

  later(runId: number, what: PendingRequest): void {
    this.pending.set(runId, { ...this.pending.get(runId), ...what });
  }

  /** The requests waiting for this run; forgets every waiting request. */
  takePending(runId: number): PendingRequest | undefined {
    const later = this.pending.get(runId);
    this.pending.clear();
    return later;
  }

  get saved(): SavedState | undefined {
    return this.api.getState();
  }

  save(patch: SavedState): void {
    this.api.setState({ ...this.api.getState(), ...patch });
  }
}
