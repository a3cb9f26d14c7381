// Head roles in the page: every head of a run scored on the run's own tokens (headRoles.ts), merged
// with the probe's cached scores when the host has them (headLabels.ts). Scored once per run and
// probe: a hover or a unit switch reads the kept labels.
import { ProbeScores, probeScoresProblem } from '../src/shared/headProbe';
import { RunRoles, citeRole, runRoles } from '../src/shared/headLabels';
import { RoleScores, roleContext, scoreStack } from '../src/shared/headRoles';
import type { RunData } from './runData';

export class PageRoles {
  private probe: ProbeScores | null = null;
  private readonly text = new WeakMap<RunData, RoleScores[][]>();
  private last: { run: RunData; probe: ProbeScores | null; roles: RunRoles } | null = null;

  /** The probe's scores for the loaded model (null: not probed). */
  setProbe(probe: ProbeScores | null): void {
    this.probe = probe;
  }

  get probed(): boolean {
    return this.probe !== null;
  }

  /** Every head's scores and labels for a run (its token-level data). */
  forRun(run: RunData): RunRoles {
    const { num_layers: layers, num_heads: heads } = run.config;
    // Probe scores of another model shape (a stale cache) are not used.
    const probe = this.probe && probeScoresProblem(this.probe, layers, heads) === null ? this.probe : null;
    if (this.last && this.last.run === run && this.last.probe === probe) return this.last.roles;
    let text = this.text.get(run);
    if (!text) {
      text = scoreStack(run.stack, roleContext(run.tokens, run.config.architecture === 'causal'));
      this.text.set(run, text);
    }
    const roles = runRoles(text, probe, run.config);
    this.last = { run, probe, roles };
    return roles;
  }

  /** How the explanation names head (layer, head) of a run. */
  cite(run: RunData, layer: number, head: number): string {
    const r = this.forRun(run);
    return citeRole(r.labels[layer][head], r.scores[layer][head]);
  }
}
