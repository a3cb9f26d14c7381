// The page's state: the shown run's matrices, the view, the hovered and pinned tokens, requests
// that arrived before their run rendered, and what survives a reload (vscode.setState).
import { PageRoles } from './pageRoles';
import { DEFAULT_UNITS, UnitChoice, UnitMatrices } from './units';
import type { ViewState } from './viewState';
import type { VsCodeApi } from './vscodeApi';

/** What survives a reload of the page (vscode.setState). */
export interface SavedState {
  view?: ViewState;
  /** WebGPU failed during a run on this panel: why. The page then starts on WASM. */
  webGpuFailed?: string;
  /** Tokens or words, for prose and for code (the switch's last position for each). */
  units?: UnitChoice;
}

export interface PendingRequest { pin?: number | null; explain?: number }

export class PageState {
  current: UnitMatrices | null = null;
  /** Head roles of the shown run, with the probe's cached scores. */
  readonly roles = new PageRoles();
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

  /** Tokens or words for prose and for code: the saved choice, else words for prose, tokens for code. */
  get units(): UnitChoice {
    const u = this.api.getState()?.units;
    const ok = (x: unknown): boolean => x === 'token' || x === 'word';
    return u && ok(u.prose) && ok(u.code) ? u : DEFAULT_UNITS;
  }

  get saved(): SavedState | undefined {
    return this.api.getState();
  }

  save(patch: SavedState): void {
    this.api.setState({ ...this.api.getState(), ...patch });
  }
}
