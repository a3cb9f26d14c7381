// The comparison of the base run with its variants, for the pinned (focus) token and the view on
// screen: a side-by-side table (each target's weight in each version and the signed difference),
// a layers × heads grid of how much each head changed (heads that flip stand out), and the words.
// The numbers come from compare.ts; this component only lays them out.
import { TokenAlignment, alignTokens } from '../src/shared/alignVariants';
import { rolloutRow } from '../src/shared/rollout';
import { Comparison, cannotCompare, compare } from '../src/shared/compare';
import { tokenLabel } from '../src/shared/explain';
import type { ComparisonMessage } from '../src/shared/protocol';
import { ACCENT_VAR, tint } from './colors';
import type { CompareExport } from './compareExport';
import { Matrices, RunData } from './runData';
import { UnitMatrices } from './units';
import { ViewState, describeView } from './viewState';

/** A finished comparison run: every version's text and token-level run (0 = the base). */
export interface CompareSession {
  runId: number;
  /** How each variant differs ("tired → wide"). */
  labels: string[];
  texts: string[];
  runs: RunData[];
}

/** The variants in the unit the base is shown in (tokens or words), aligned to it. */
interface Prepared {
  base: Matrices;
  unit: 'token' | 'word';
  variants: { label: string; matrices: Matrices; alignment: TokenAlignment }[];
}

export interface CompareViewEvents {
  /** A head of the grid was picked: show it. */
  pick(layer: number, head: number): void;
}

/** Rows shown: the largest weights in any version (the edited row always). */
const TABLE_ROWS = 12;
const GAIN_VAR = '--vscode-charts-green';
const LOSS_VAR = '--vscode-charts-red';

const pct1 = (w: number): string => `${(w * 100).toFixed(1)}%`;
const signed = (d: number): string => `${d > 0 ? '+' : d < 0 ? '−' : '±'}${(Math.abs(d) * 100).toFixed(1)}%`;

export class CompareView {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly words: HTMLElement;
  private readonly grid: HTMLElement;
  private session: CompareSession | null = null;
  private prepared: Prepared | null = null;
  /** What the view shows now, as told to the host (for exports). */
  shown: ComparisonMessage | null = null;

  constructor(private readonly events: CompareViewEvents) {
    this.el = document.createElement('section');
    this.el.className = 'compare';
    this.el.setAttribute('aria-live', 'polite');
    this.title = document.createElement('h2');
    this.notice = document.createElement('p');
    this.notice.className = 'compare-notice';
    this.table = document.createElement('table');
    this.table.className = 'compare-table';
    this.words = document.createElement('ul');
    this.words.className = 'compare-words';
    const gridTitle = document.createElement('h3');
    gridTitle.textContent = 'How much each head changed (share of the token\'s attention that moved; ⇄ = its top target flipped). Click one to show it.';
    this.grid = document.createElement('div');
    this.grid.className = 'compare-grid';
    this.el.append(this.title, this.notice, this.table, this.words, gridTitle, this.grid);
    this.clear();
  }

  get active(): CompareSession | null {
    return this.session;
  }

  /** No comparison: the section is hidden. */
  clear(): void {
    this.session = null;
    this.prepared = null;
    this.shown = null;
    this.el.hidden = true;
  }

  show(session: CompareSession): void {
    this.session = session;
    this.prepared = null;
    this.shown = null;
    this.el.hidden = false;
  }

  /** Every version in the unit shown and what the view shows, for the exports; null without a comparison. */
  exportable(): CompareExport | null {
    const s = this.session;
    const p = this.prepared;
    if (!s || !p) return null;
    return { labels: ['base', ...s.labels], texts: s.texts, versions: [p.base, ...p.variants.map((x) => x.matrices)], shown: this.shown };
  }

  /** The variants in the base's unit (the words view groups them too), aligned to the base. */
  private prepare(s: CompareSession, base: Matrices): Prepared | string {
    if (this.prepared?.base === base) return this.prepared;
    const unit = base instanceof UnitMatrices ? base.unit : 'token';
    const variants = s.runs.slice(1).map((r, k) => {
      const matrices = base instanceof UnitMatrices ? UnitMatrices.of(r, unit) : new Matrices(r);
      return { label: s.labels[k], matrices, alignment: null as TokenAlignment | null };
    });
    if (variants.some((x) => (x.matrices instanceof UnitMatrices ? x.matrices.unit : 'token') !== unit)) {
      return 'a variant came without word ids: switch the panel to tokens to compare';
    }
    for (const [k, x] of variants.entries()) x.alignment = alignTokens(s.texts[0], base.run.tokens, s.texts[k + 1], x.matrices.run.tokens);
    this.prepared = { base, unit, variants: variants as Prepared['variants'] };
    return this.prepared;
  }

  /**
   * Compares what `focus` attends to in every version for view `v` and lays it out. Returns the
   * message for the host (null without a session or a focus).
   */
  update(baseMatrices: Matrices, focus: number | null, v: ViewState): ComparisonMessage | null {
    const s = this.session;
    if (!s) return null;
    const labels = ['base', ...s.labels];
    const p = this.prepare(s, baseMatrices);
    if (typeof p === 'string') {
      this.empty(p);
      return null;
    }
    const base = baseMatrices.run;
    this.title.textContent = `Compare: ${labels.length} versions side by side`;
    if (focus === null) {
      this.empty('Pin a token (click it) to compare what it attends to in each version.');
      return null;
    }
    const name = tokenLabel(base.tokens[focus], focus);
    const input = {
      base: { tokens: base.tokens, stack: base.stack },
      variants: p.variants.map((x) => ({ label: x.label, tokens: x.matrices.run.tokens, stack: x.matrices.run.stack, alignment: x.alignment })),
      focus,
    };
    const firstToken = baseMatrices instanceof UnitMatrices ? baseMatrices.span(focus).first : focus;
    const problem = cannotCompare(input);
    const message = (c: Comparison | null, view: string): ComparisonMessage => ({
      type: 'comparison', runId: s.runId, tokenIndex: firstToken, unit: p.unit, labels, view,
      rows: c ? c.rows.map((r, i) => ({ label: c.labels[i], edited: r.kind === 'edited', weights: c.weights[i] })) : [],
      summaries: c ? c.summaries : [], lines: c ? c.lines : [], beforeEdit: c ? c.beforeEdit : false, problem,
    });
    if (problem) {
      this.empty(problem);
      this.shown = message(null, '');
      return this.shown;
    }
    const view = describeView(v, base.config.num_heads);
    const focusIn = p.variants.map((x) => x.alignment.toVariant[focus] as number);
    const versions = [baseMatrices, ...p.variants.map((x) => x.matrices)];
    const at = [focus, ...focusIn];
    const weights = versions.map((m, k) => m.weights(v, at[k], 'from'));
    // Rollout rows: on tokens, grouped into words in the words view (units.ts).
    const rollout = versions.map((m, k) => (m instanceof UnitMatrices ? m.rolloutRow(at[k]) : rolloutRow(m.run.stack, at[k], undefined, (l) => m.layerMean(l))));
    const c = compare({ ...input, causal: base.config.architecture === 'causal', view: { description: view, weights }, rollout });
    this.title.textContent = `Compare: what "${name}" attends to in ${labels.length} versions (${view})`;
    this.notice.hidden = !c.beforeEdit;
    this.notice.textContent = c.beforeEdit
      ? `"${name}" comes before the edit and ${base.modelName} is causal: a token attends only to itself and earlier tokens, so its attention is the same in every version. Pin a token after the edit to see a difference.`
      : '';
    this.renderTable(c, labels);
    this.words.replaceChildren(...[...c.summaries.map((t, k) => item(labels.length > 2 ? `${labels[k + 1]}: ${t}` : t, 'summary')), ...c.lines.map((t) => item(t))]);
    this.renderGrid(c, base.config.num_layers, base.config.num_heads, labels);
    this.shown = message(c, view);
    return this.shown;
  }

  private empty(text: string): void {
    this.notice.hidden = false;
    this.notice.textContent = text;
    this.table.replaceChildren();
    this.words.replaceChildren();
    this.grid.replaceChildren();
  }

  private renderTable(c: Comparison, labels: string[]): void {
    const n = labels.length;
    const order = c.weights.map((_, r) => r)
      .filter((r) => c.rows[r].kind === 'edited' || Math.max(...c.weights[r]) >= 0.005)
      .sort((a, b) => Math.max(...c.weights[b]) - Math.max(...c.weights[a]) || a - b);
    const shown = order.filter((r, k) => k < TABLE_ROWS || c.rows[r].kind === 'edited');
    const maxDiff = Math.max(1e-9, ...shown.flatMap((r) => c.weights[r].slice(1).map((w) => Math.abs(w - c.weights[r][0]))));
    const head = document.createElement('tr');
    head.append(cell('th', 'target'));
    labels.forEach((l, v) => {
      head.append(cell('th', l, 'version'));
      if (v > 0) head.append(cell('th', `Δ ${l}`));
    });
    const body = shown.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.row = String(r);
      if (c.rows[r].kind === 'edited') tr.className = 'edited';
      tr.append(cell('td', c.labels[r], 'label'));
      for (let v = 0; v < n; v++) {
        const w = c.weights[r][v];
        const td = cell('td', pct1(w), 'weight');
        td.style.setProperty('background', tint(ACCENT_VAR, 0.8 * w));
        td.dataset.weight = String(w);
        tr.append(td);
        if (v > 0) {
          const d = w - c.weights[r][0];
          const dd = cell('td', signed(d), 'diff');
          dd.dataset.diff = String(d);
          dd.style.setProperty('background', tint(d >= 0 ? GAIN_VAR : LOSS_VAR, (0.85 * Math.abs(d)) / maxDiff));
          dd.title = `${labels[v]} − base: ${signed(d)}`;
          tr.append(dd);
        }
      }
      return tr;
    });
    this.table.replaceChildren(head, ...body);
  }

  private renderGrid(c: Comparison, layers: number, heads: number, labels: string[]): void {
    this.grid.style.setProperty('--cols', String(heads));
    const out: HTMLElement[] = [cell('div', '', 'grid-label')];
    for (let h = 0; h < heads; h++) out.push(cell('div', `H${h + 1}`, 'grid-label'));
    const maxMoved = Math.max(1e-9, ...c.heads.map((x) => Math.max(...x.moved)));
    for (let l = 0; l < layers; l++) {
      out.push(cell('div', `L${l + 1}`, 'grid-label'));
      for (let h = 0; h < heads; h++) {
        const x = c.heads[l * heads + h];
        const m = Math.max(...x.moved);
        const flips = x.flips.some(Boolean);
        const b = document.createElement('button');
        b.className = flips ? 'compare-cell flip' : 'compare-cell';
        b.textContent = `${flips ? '⇄ ' : ''}${Math.round(m * 100)}%`;
        b.dataset.moved = String(m);
        b.style.setProperty('background', tint(flips ? LOSS_VAR : ACCENT_VAR, (0.85 * m) / maxMoved));
        const how = x.moved.map((mv, k) => `${labels[k + 1]}: ${pct1(mv)} moved${x.flips[k] ? `, top target ${rowName(c, x.top[0])} → ${rowName(c, x.top[k + 1])}` : ''}`);
        b.title = `Layer ${l + 1} head ${h + 1}: ${how.join('; ')}`;
        b.setAttribute('aria-label', b.title);
        b.addEventListener('click', () => this.events.pick(l, h));
        out.push(b);
      }
    }
    this.grid.replaceChildren(...out);
  }
}

const rowName = (c: Comparison, r: number | null): string => (r === null ? '(none)' : c.labels[r]);

function cell<K extends 'td' | 'th' | 'div'>(tag: K, text: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.textContent = text;
  if (className) e.className = className;
  return e;
}

function item(text: string, className?: string): HTMLLIElement {
  const li = document.createElement('li');
  li.textContent = text;
  if (className) li.className = className;
  return li;
}
