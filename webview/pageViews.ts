// The views of the shown run: rendering it, the chosen view, the hovered / pinned token's targets
// (token view restyled, the host told what to highlight), explanations and the three steps.
import { Explanation, explain, tokenLabel } from '../src/shared/explain';
import { cardHead, focusKind } from '../src/shared/focusKind';
import type { ToHost } from '../src/shared/protocol';
import { ACCENT_VAR, headVar, tint } from './colors';
import type { CompareSession } from './compareView';
import type { PageParts } from './layout';
import type { PageState } from './pageState';
import { HOST_TARGETS, PANEL_TARGETS, RunData } from './runData';
import type { LitToken } from './tokenView';
import { UnitKind, UnitMatrices, hostHighlight, isProse, unitFor } from './units';
import { ViewState, describeView, restoreView, viewForFocus } from './viewState';

export interface Lit {
  index: number;
  weight: number;
  /** Per selected head (several-heads mode): [head, weight]. */
  perHead: [number, number][] | null;
}

export const pct1 = (w: number): string => `${(w * 100).toFixed(1)}%`;

export class PageViews {
  constructor(
    private readonly parts: PageParts,
    private readonly state: PageState,
    private readonly post: (msg: ToHost) => void,
  ) {}

  render(data: RunData): void {
    const { state, parts } = this;
    // Tokens or words (units.ts): the views below read the run in that unit.
    const m = UnitMatrices.of(data, unitFor(data, state.units));
    state.current = m;
    const config = data.config;
    const view = restoreView(state.view ?? state.saved?.view, config);
    state.view = view;
    state.hover = null;
    state.pinned = null;
    state.lastHighlight = '';
    parts.header.showRun(data);
    parts.header.idle(`Done: ${describeView(view, config.num_heads)}.`);
    parts.controls.setModel(config.num_layers, config.num_heads);
    parts.controls.show(view);
    parts.controls.showUnit(m.unit, m.hasWords);
    parts.tokens.setTokens(m.run.tokens);
    parts.grid.setStack(m.run.stack);
    // Roles are scored after the first paint (tens of ms for every head of a long run); an
    // explanation that cites them scores them at once.
    setTimeout(() => {
      if (state.current === m) this.showRoles();
    }, 0);
    parts.grid.select(view.layer, view.mode === 'head' ? view.head : null);
    parts.grid.draw(null, view.direction);
    parts.explainPanel.clear();
    // A new run ends the comparison; the same run shown again (tokens ↔ words) keeps it.
    if (parts.compare.active?.runId !== data.runId) parts.compare.clear();
    this.refresh();
  }

  /** A comparison run finished (its base already rendered): show the variants and pin the focus. */
  showCompare(session: CompareSession, focus: number | null): void {
    this.parts.compare.show(session);
    if (focus === null || !this.pin(focus, true)) this.updateCompare();
  }

  /** Lays the comparison out for the pinned token and the view, and tells the host what it shows. */
  private updateCompare(): void {
    const { state, parts } = this;
    const session = parts.compare.active;
    if (!session || !state.view || !state.current || state.current.run.runId !== session.runId) return;
    const msg = parts.compare.update(state.current, state.pinned, state.view);
    if (msg) this.post(msg);
  }

  /** Badges for every head in the grid and for the shown layer's heads in the picker. */
  showRoles(): void {
    const { state, parts } = this;
    const cur = state.current;
    if (!cur || !state.view) return;
    const roles = state.roles.forRun(cur.tokenRun);
    parts.grid.setLabels(roles.labels, state.roles.probed);
    parts.controls.setHeadLabels(roles.labels[state.view.layer] ?? []);
  }

  /** The tokens / words switch: remembered for this kind of text (prose, code); the pinned token stays pinned. */
  setUnit(unit: UnitKind): void {
    const { state } = this;
    const cur = state.current;
    if (!cur || cur.unit === unit) return;
    const kind = isProse(cur.tokenRun.message.source.languageId) ? 'prose' : 'code';
    state.save({ units: { ...state.units, [kind]: unit } });
    const pinned = state.pinned === null ? null : cur.span(state.pinned).first;
    this.render(cur.tokenRun);
    if (pinned !== null) this.pin(pinned, true);
  }

  setView(v: ViewState): void {
    const { state, parts } = this;
    const directionChanged = state.view?.direction !== v.direction;
    state.view = v;
    state.save({ view: v });
    const cur = state.current;
    if (!cur) return;
    parts.header.idle(describeView(v, cur.run.config.num_heads));
    parts.controls.show(v);
    parts.grid.select(v.layer, v.mode === 'head' ? v.head : null);
    parts.controls.setHeadLabels(state.roles.forRun(cur.tokenRun).labels[v.layer] ?? []);
    if (directionChanged) parts.grid.draw(state.pinned, v.direction);
    if (state.pinned !== null) this.showSteps(state.pinned);
    this.refresh();
    this.updateCompare();
  }

  /** A token of the token view hovered (null: none). */
  hoverToken(i: number | null): void {
    if (i === this.state.hover) return;
    this.state.hover = i;
    this.refresh();
  }

  /** The active token's targets in the current view (the panel's wider set). */
  lit(active: number): Lit[] {
    const cur = this.state.current;
    const v = this.state.view;
    if (!cur || !v) return [];
    const targets = cur.targets(v, active, v.direction, PANEL_TARGETS);
    return targets.map((t) => ({
      index: t.index,
      weight: t.weight,
      perHead: v.mode === 'heads'
        ? v.heads.map((h): [number, number] => [h, v.direction === 'from'
          ? cur.headWeight(v.layer, h, active, t.index)
          : cur.headWeight(v.layer, h, t.index, active)])
        : null,
    }));
  }

  /** Restyles the token view for the hovered (else pinned) token and tells the host. */
  refresh(): void {
    const cur = this.state.current;
    const v = this.state.view;
    if (!cur || !v) return;
    const t0 = performance.now();
    const active = this.state.hover ?? this.state.pinned;
    const lit = active === null ? [] : this.lit(active);
    const max = lit.reduce((a, t) => Math.max(a, t.weight, ...(t.perHead ?? []).map((p) => p[1])), 0) || 1;
    const activeText = active === null ? '' : tokenLabel(cur.run.tokens[active], active);
    const styled: LitToken[] = lit.map((t) => ({
      index: t.index,
      background: background(t, max, v),
      label: tooltip(t, activeText, v.direction),
    }));
    let activeLabel: string | null = null;
    if (active !== null) {
      const top = lit.slice(0, 3).map((t) => `${tokenLabel(cur.run.tokens[t.index], t.index)} ${pct1(t.weight)}`).join(', ');
      activeLabel = v.direction === 'from' ? `Attends to ${top}` : `Attended to by ${top}`;
    }
    this.parts.tokens.show(active, this.state.pinned, styled, activeLabel);
    const t1 = performance.now();
    // Kept to the last one only, so hovering does not grow the performance buffer.
    performance.clearMeasures('attention-lens:highlight');
    performance.measure('attention-lens:highlight', { start: t0, end: t1 });
    this.sendHighlight(active);
  }

  private sendHighlight(active: number | null): void {
    const cur = this.state.current;
    const v = this.state.view;
    if (!cur || !v) return;
    const targets = active === null ? [] : cur.targets(v, active, v.direction, HOST_TARGETS);
    const key = `${cur.unit}|${active}|${v.direction}|${targets.map((t) => `${t.index}:${t.weight}`).join(',')}`;
    if (key === this.state.lastHighlight) return;
    this.state.lastHighlight = key;
    // The host knows tokens: a word goes as its token span.
    this.post({ type: 'highlight', runId: cur.run.runId, direction: v.direction, ...hostHighlight(cur, active, targets) });
  }

  /** Pins unit `index`; from the host, `index` is a token index (the unit holding it is pinned). */
  pin(index: number | null, fromHost: boolean): Explanation | null {
    const { state, parts } = this;
    const cur = state.current;
    if (!cur) return null;
    if (index !== null && fromHost) {
      if (index < 0 || index >= cur.tokenRun.tokens.length) return null;
      index = cur.unitOf(index);
    }
    if (index !== null && (index < 0 || index >= cur.run.tokens.length)) return null;
    state.pinned = index;
    if (fromHost) state.hover = null;
    this.refresh();
    parts.grid.draw(index, state.view?.direction ?? 'from');
    if (index === null) {
      parts.explainPanel.clear();
      this.updateCompare();
      return null;
    }
    if (fromHost) parts.tokens.scrollTo(index);
    const e = this.explanation(index);
    this.updateCompare();
    return e;
  }

  private explanation(index: number): Explanation | null {
    const cur = this.state.current;
    if (!cur) return null;
    const e = this.explanationQuiet(index);
    if (!e) return null;
    this.parts.explainPanel.show(cur.run, e);
    this.showSteps(index, e);
    return e;
  }

  private showSteps(index: number, e?: Explanation): void {
    const cur = this.state.current;
    const v = this.state.view;
    if (!cur || !v) return;
    const panel = this.parts.explainPanel;
    // The steps are the model's own, per token: for a word, its last token's.
    const token = cur.lastToken(index);
    if (v.mode === 'head') {
      panel.showSteps(cur.tokenRun, v.layer, v.head, token);
      return;
    }
    const top = (e ?? this.explanationQuiet(index))?.topHeads[0];
    if (top) panel.showSteps(cur.tokenRun, top.layer, top.head, token);
    else panel.showSteps(cur.tokenRun, v.layer, v.heads[0], token);
  }

  private explanationQuiet(index: number): Explanation | null {
    const cur = this.state.current;
    if (!cur) return null;
    const headRole = (l: number, h: number): string => this.state.roles.cite(cur.tokenRun, l, h);
    const card = this.cardHeadFor(index);
    return explain({
      tokens: cur.run.tokens, stack: cur.run.stack, config: cur.run.config, focus: index, layerMean: (l) => cur.layerMean(l),
      rolloutRow: (u) => cur.rolloutRow(u), headRole, unit: cur.unit,
      ...(card ? { cite: { layer: card[0], head: card[1], label: headRole(card[0], card[1]) } } : {}),
    });
  }

  /** The model card's head for the kind of unit `index` is (a pronoun, an identifier in code), or null. */
  private cardHeadFor(index: number): [number, number] | null {
    const cur = this.state.current;
    if (!cur || index < 0 || index >= cur.run.tokens.length) return null;
    const inCode = !isProse(cur.tokenRun.message.source.languageId);
    return cardHead(cur.run.config, focusKind(cur.run.tokens[index].text, inCode));
  }

  /** "Explain attention here": pins token `index` (its word, in words), shows the text and sends it to the host. */
  explainToken(index: number, post: boolean): void {
    const cur = this.state.current;
    if (!cur || index < 0 || index >= cur.tokenRun.tokens.length) return;
    // The panel turns to the card's head for this kind of token (the code head for an identifier).
    const v = this.state.view;
    const next = v && viewForFocus(v, cur.run.config, this.cardHeadFor(cur.unitOf(index)));
    if (v && next && next !== v) this.setView(next);
    const e = this.pin(index, true);
    if (e && post) {
      this.post({ type: 'explanation', runId: cur.run.runId, tokenIndex: index, summary: e.summary, lines: e.lines });
    }
  }
}

function background(t: Lit, max: number, v: ViewState): string {
  if (t.perHead) {
    // Several heads: one band per head, each in its colour, alpha ∝ that head's weight.
    const n = t.perHead.length;
    const bands = t.perHead.map(([h, w], k) => `${tint(headVar(h), (0.9 * w) / max)} ${(100 * k / n).toFixed(2)}% ${(100 * (k + 1) / n).toFixed(2)}%`);
    return `linear-gradient(90deg, ${bands.join(', ')})`;
  }
  const colour = v.mode === 'head' ? headVar(v.head) : ACCENT_VAR;
  return tint(colour, (0.9 * t.weight) / max);
}

function tooltip(t: Lit, activeText: string, direction: 'from' | 'to'): string {
  const base = direction === 'from'
    ? `${pct1(t.weight)} of the attention of "${activeText}"`
    : `puts ${pct1(t.weight)} of its attention on "${activeText}"`;
  if (!t.perHead) return base;
  return `${base} (mean; ${t.perHead.map(([h, w]) => `head ${h + 1}: ${pct1(w)}`).join(', ')})`;
}
