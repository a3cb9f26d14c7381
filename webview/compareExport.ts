// A comparison in the exports: the JSON gets every version (its text, tokens and all layers ×
// heads) and what the panel shows; the HTML page gets every version's view (a picker) and the
// side-by-side table with signed differences.
import type { ComparisonMessage } from '../src/shared/protocol';
import type { Rgb } from './colors';
import { trimmedRows } from './exportData';
import type { HtmlVersion } from './exportHtml';
import type { Matrices } from './runData';
import type { ViewState } from './viewState';

/** What the comparison view can export: every version in the unit shown (0 = the base). */
export interface CompareExport {
  labels: string[];
  texts: string[];
  versions: Matrices[];
  shown: ComparisonMessage | null;
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** The "compare" section of the JSON export. */
export function compareJson(c: CompareExport): unknown {
  return {
    note: 'versions[0] is the base (the run above); each version\'s attentions are in the unit shown, cut like the run\'s; shown = the side-by-side table for the pinned token',
    versions: c.versions.map((m, k) => {
      const { seq, heads } = m.run.stack;
      return {
        label: c.labels[k],
        text: c.texts[k],
        tokens: m.run.tokens.map((t) => ({ text: t.text, start: t.start, end: t.end, special: t.special })),
        attentions: m.run.stack.layers.map((layer) =>
          Array.from({ length: heads }, (_, h) => trimmedRows(layer.subarray(h * seq * seq, (h + 1) * seq * seq), seq))),
      };
    }),
    shown: c.shown && {
      ...c.shown,
      rows: c.shown.rows.map((r) => ({ ...r, weights: r.weights.map(round6), differences: r.weights.slice(1).map((w) => round6(w - r.weights[0])) })),
    },
  };
}

/** The run's JSON export (one object) with the comparison added as its "compare" field. */
export function withComparison(json: string, compare: unknown): string {
  const end = json.lastIndexOf('}');
  if (end < 0) throw new Error('the JSON export is not an object');
  return `${json.slice(0, end)},"compare":${JSON.stringify(compare)}}`;
}

/** Every version's view for the HTML page's picker. */
export function htmlVersions(c: CompareExport, v: ViewState): HtmlVersion[] {
  return c.versions.map((m, k) => ({ label: c.labels[k], tokens: m.run.tokens, matrix: m.forView(v), seq: m.seq }));
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct1 = (w: number): string => `${(w * 100).toFixed(1)}%`;
const signed = (d: number): string => `${d > 0 ? '+' : d < 0 ? '−' : '±'}${(Math.abs(d) * 100).toFixed(1)}%`;

/** The side-by-side table and the words, as static HTML (every text escaped). */
export function compareTableHtml(shown: ComparisonMessage, colors: { gain: Rgb; loss: Rgb }): string {
  const rows = [...shown.rows].sort((a, b) => Math.max(...b.weights) - Math.max(...a.weights)).filter((r) => r.edited || Math.max(...r.weights) >= 0.005);
  const maxDiff = Math.max(1e-9, ...rows.flatMap((r) => r.weights.slice(1).map((w) => Math.abs(w - r.weights[0]))));
  const tint = (d: number): string => {
    const c = d >= 0 ? colors.gain : colors.loss;
    return `rgba(${c.r}, ${c.g}, ${c.b}, ${((0.85 * Math.abs(d)) / maxDiff).toFixed(3)})`;
  };
  const head = `<tr><th>target</th>${shown.labels.map((l, v) => `<th>${esc(l)}</th>${v > 0 ? `<th>Δ ${esc(l)}</th>` : ''}`).join('')}</tr>`;
  const body = rows.map((r) => `<tr><td>${esc(r.label)}${r.edited ? ' (edited)' : ''}</td>${r.weights.map((w, v) => {
    const d = w - r.weights[0];
    return `<td>${pct1(w)}</td>${v > 0 ? `<td style="background: ${tint(d)}">${signed(d)}</td>` : ''}`;
  }).join('')}</tr>`).join('\n');
  const words = [...shown.summaries, ...shown.lines].map((l) => `<li>${esc(l)}</li>`).join('\n');
  const caption = shown.problem ?? `Compared: ${shown.view}`;
  return `<h2>${esc(caption)}</h2>\n<table class="compare">\n${head}\n${body}\n</table>\n<ul>\n${words}\n</ul>`;
}
