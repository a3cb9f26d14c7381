// A standalone HTML page of the view: the tokens and the matrix on screen inlined as JSON, with a
// small inline script that lights a token's targets on hover. It loads nothing: its own CSP
// forbids every fetch, and it names no external URL.
import type { TokenInfo } from '../src/shared/protocol';
import type { Rgb } from './colors';
import { trimmedRows } from './exportData';

/** One version of the text with the view's matrix (a comparison exports every version). */
export interface HtmlVersion {
  label: string;
  tokens: readonly TokenInfo[];
  matrix: Float32Array;
  seq: number;
}

export interface HtmlPage {
  title: string;
  subtitle: string[];
  tokens: readonly TokenInfo[];
  matrix: Float32Array;
  seq: number;
  /** Every version of a comparison (the base first): the page gets a picker; tokens/matrix are then unused. */
  versions?: readonly HtmlVersion[];
  /** Static HTML after the tokens (the comparison table), built with its text escaped. */
  appendix?: string;
  direction: 'from' | 'to';
  colors: { background: Rgb; foreground: Rgb; muted: Rgb; accent: Rgb };
  fontFamily: string;
}

const rgb = (c: Rgb): string => `rgb(${c.r}, ${c.g}, ${c.b})`;
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** JSON that is safe inside <script>: no "</script", no "<!--". */
const inlineJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

// The renderer inside the exported page (plain ES2017, no dependencies).
const RENDERER = `
(function () {
  var data = JSON.parse(document.getElementById('data').textContent);
  var box = document.getElementById('tokens');
  var status = document.getElementById('status');
  var flip = document.getElementById('flip');
  var pick = document.getElementById('version');
  var cur, spans = [], lit = [], pinned = null;
  function build(k) {
    cur = data.versions[k];
    box.textContent = '';
    spans = []; lit = []; pinned = null;
    cur.tokens.forEach(function (t, i) {
      var s = document.createElement('span');
      s.className = t.special ? 'tok special' : 'tok';
      s.textContent = t.special ? 'bos' : t.text;
      s.tabIndex = 0;
      s.dataset.i = i;
      spans.push(s);
      box.appendChild(s);
    });
    show(null);
  }
  if (pick) {
    data.versions.forEach(function (v, k) {
      var o = document.createElement('option');
      o.value = k;
      o.textContent = v.label;
      pick.appendChild(o);
    });
    pick.addEventListener('change', function () { build(+pick.value); });
  }
  function weight(i, j) { var r = cur.rows[i]; return j < r.length ? r[j] : 0; }
  function label(i) { var t = cur.tokens[i]; return t.special ? '<bos>' : (t.text.trim() || JSON.stringify(t.text)); }
  function show(i) {
    lit.forEach(function (j) { spans[j].style.background = ''; spans[j].removeAttribute('title'); });
    lit = [];
    spans.forEach(function (s) { s.classList.remove('active'); });
    if (i === null) { status.textContent = 'Hover a token.'; return; }
    spans[i].classList.add('active');
    var to = flip.checked, ws = [], max = 0;
    for (var j = 0; j < cur.tokens.length; j++) {
      var w = to ? weight(j, i) : weight(i, j);
      if (w > 0) { ws.push([j, w]); if (w > max) max = w; }
    }
    ws.sort(function (a, b) { return b[1] - a[1]; });
    ws.forEach(function (p) {
      var pct = (p[1] * 100).toFixed(1) + '%';
      spans[p[0]].style.background = 'rgba(' + data.accent + ',' + (0.85 * p[1] / max).toFixed(3) + ')';
      spans[p[0]].title = pct;
      lit.push(p[0]);
    });
    status.textContent = label(i) + (to ? ' ← ' : ' → ') + ws.slice(0, 5).map(function (p) {
      return label(p[0]) + ' ' + Math.round(p[1] * 100) + '%';
    }).join(', ');
  }
  box.addEventListener('mouseover', function (e) { var i = e.target.dataset && e.target.dataset.i; if (i !== undefined) show(+i); });
  box.addEventListener('focusin', function (e) { var i = e.target.dataset && e.target.dataset.i; if (i !== undefined) show(+i); });
  box.addEventListener('click', function (e) { var i = e.target.dataset && e.target.dataset.i; if (i !== undefined) pinned = pinned === +i ? null : +i; });
  box.addEventListener('mouseleave', function () { show(pinned); });
  flip.addEventListener('change', function () { show(pinned); });
  build(0);
})();
`;

export function exportHtml(p: HtmlPage): string {
  const versions = p.versions ?? [{ label: '', tokens: p.tokens, matrix: p.matrix, seq: p.seq }];
  const data = {
    versions: versions.map((v) => ({
      label: v.label, tokens: v.tokens.map((t) => ({ text: t.text, special: t.special })), rows: trimmedRows(v.matrix, v.seq),
    })),
    accent: `${p.colors.accent.r}, ${p.colors.accent.g}, ${p.colors.accent.b}`,
  };
  const picker = versions.length > 1 ? '<label>version <select id="version"></select></label>\n' : '';
  const c = p.colors;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${esc(p.title)}</title>
<style>
body { background: ${rgb(c.background)}; color: ${rgb(c.foreground)}; font-family: ${esc(p.fontFamily)}; margin: 16px; }
p.sub { color: ${rgb(c.muted)}; margin: 2px 0; }
#tokens { white-space: pre-wrap; line-height: 1.6; margin-top: 12px; font-size: 13px; }
.tok { border-radius: 2px; cursor: pointer; }
.tok.special { color: ${rgb(c.muted)}; border: 1px solid ${rgb(c.muted)}; font-size: 10px; padding: 0 2px; margin-right: 2px; }
.tok.active { outline: 2px solid ${rgb(c.accent)}; }
#status { margin-top: 8px; min-height: 1.4em; }
table.compare { border-collapse: collapse; margin-top: 14px; font-size: 13px; }
table.compare th, table.compare td { padding: 2px 8px; text-align: right; border-bottom: 1px solid ${rgb(c.muted)}; }
table.compare th:first-child, table.compare td:first-child { text-align: left; white-space: pre; }
</style>
</head>
<body>
<h1>${esc(p.title)}</h1>
${p.subtitle.map((s) => `<p class="sub">${esc(s)}</p>`).join('\n')}
${picker}<label><input type="checkbox" id="flip"${p.direction === 'to' ? ' checked' : ''}> show what attends to the token</label>
<div id="status"></div>
<div id="tokens"></div>
${p.appendix ?? ''}
<script type="application/json" id="data">${inlineJson(data)}</script>
<script>${RENDERER}</script>
</body>
</html>
`;
}
