// Exports of the shown view: JSON (all layers and heads), standalone HTML, PNG and SVG, built in
// the page and posted to the host to save.
import { tokenLabel } from '../src/shared/explain';
import type { ExportFormat, ToHost } from '../src/shared/protocol';
import { errorText } from './backend';
import { ACCENT_VAR, ThemeColors, headVar } from './colors';
import { exportJson } from './exportData';
import { compareJson, compareTableHtml, htmlVersions, withComparison } from './compareExport';
import type { CompareView } from './compareView';
import { exportHtml } from './exportHtml';
import { Fill, Picture, renderPng, renderSvg } from './exportImage';
import type { Header } from './header';
import type { PageState } from './pageState';
import type { PageViews } from './pageViews';
import type { UnitMatrices } from './units';
import { ViewState, describeView } from './viewState';

export interface ExportDeps {
  state: PageState;
  views: PageViews;
  header: Header;
  colors: ThemeColors;
  post: (msg: ToHost) => void;
  fail: (runId: number, text: string) => void;
  /** The comparison view: a comparison of this run is exported with every version. */
  compare: CompareView;
}

export async function exportView(format: ExportFormat, d: ExportDeps): Promise<void> {
  const cur = d.state.current;
  const v = d.state.view;
  if (!cur || !v) return;
  // The JSON of a long run is tens of megabytes: say so, and let the page paint first.
  d.header.busy(`Preparing ${format.toUpperCase()}…`);
  await new Promise((resolve) => setTimeout(resolve, 16));
  if (d.state.current !== cur) return;
  if (makeExport(format, cur, v, d)) d.header.idle(`Sent the ${format.toUpperCase()} export to VS Code to save.`);
}

/** Builds the file and posts `save`; false (and an error shown) when it could not. */
function makeExport(format: ExportFormat, cur: UnitMatrices, v: ViewState, d: ExportDeps): boolean {
  const matrix = cur.forView(v);
  const base = `attention-${cur.run.message.source.fileName.replace(/\.[^.]*$/, '') || 'text'}-${v.mode}-L${v.layer + 1}`;
  const compared = d.compare.active?.runId === cur.run.runId ? d.compare.exportable() : null;
  try {
    if (format === 'json') {
      const json = exportJson(cur.run, v, matrix, d.state.pinned, cur.unit);
      d.post({ type: 'save', format, fileName: `${base}.json`, data: compared ? withComparison(json, compareJson(compared)) : json, encoding: 'utf8' });
      return true;
    }
    const fontFamily = getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
    const rgb = (name: string, fallback?: string) => d.colors.rgb(name, fallback);
    const background = rgb('--vscode-editor-background');
    const foreground = rgb('--vscode-editor-foreground', '--vscode-foreground');
    const muted = rgb('--vscode-descriptionForeground');
    const accent = rgb(ACCENT_VAR);
    const active = d.state.hover ?? d.state.pinned;
    const title = [
      `${cur.run.modelName} on ${cur.run.backend === 'webgpu' ? 'WebGPU' : 'WASM'}: ${describeView(v, cur.run.config.num_heads)}`,
      active === null
        ? 'No token pinned.'
        : `${v.direction === 'from' ? 'What' : 'What attends to'} "${tokenLabel(cur.run.tokens[active], active)}"${v.direction === 'from' ? ' attends to' : ''} (layers and heads from 1).`,
    ];
    if (format === 'html') {
      const html = exportHtml({
        title: `Attention Lens — ${cur.run.message.source.fileName}`,
        subtitle: [title[0], 'Hover a token to see what it attends to; the numbers are the view\'s attention weights.'],
        tokens: cur.run.tokens, matrix, seq: cur.seq, direction: v.direction,
        colors: { background, foreground, muted, accent }, fontFamily,
        ...(compared ? {
          versions: htmlVersions(compared, v),
          appendix: compared.shown ? compareTableHtml(compared.shown, { gain: rgb('--vscode-charts-green'), loss: rgb('--vscode-charts-red') }) : undefined,
        } : {}),
      });
      d.post({ type: 'save', format, fileName: `${base}.html`, data: html, encoding: 'utf8' });
      return true;
    }
    const lit = active === null ? [] : d.views.lit(active);
    const max = lit.reduce((a, t) => Math.max(a, t.weight, ...(t.perHead ?? []).map((p) => p[1])), 0) || 1;
    const fills = new Map<number, Fill[]>();
    for (const t of lit) {
      fills.set(t.index, t.perHead
        ? t.perHead.map(([h, w]) => ({ rgb: rgb(headVar(h)), alpha: (0.9 * w) / max }))
        : [{ rgb: rgb(v.mode === 'head' ? headVar(v.head) : ACCENT_VAR), alpha: (0.9 * t.weight) / max }]);
    }
    const picture: Picture = { title, tokens: cur.run.tokens, fills, active, background, foreground, muted, accent, fontFamily };
    if (format === 'png') {
      d.post({ type: 'save', format, fileName: `${base}.png`, data: renderPng(picture), encoding: 'base64' });
    } else {
      const ctx = document.createElement('canvas').getContext('2d');
      if (!ctx) throw new Error('no 2d canvas');
      ctx.font = `13px ${fontFamily}`;
      d.post({ type: 'save', format, fileName: `${base}.svg`, data: renderSvg(picture, (s) => ctx.measureText(s).width), encoding: 'utf8' });
    }
    return true;
  } catch (e) {
    d.fail(cur.run.runId, `export as ${format.toUpperCase()} failed: ${errorText(e)}`);
    return false;
  }
}
