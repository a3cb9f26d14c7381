// Exports of a comparison: the JSON carries every version (text, tokens, all layers × heads) and
// the table shown; the HTML page every version's view (with a picker) and the table.
import * as assert from 'assert';
import { makeStack } from '../../src/shared/attention';
import type { ComparisonMessage, RunMessage, TokenInfo } from '../../src/shared/protocol';
import { compareJson, compareTableHtml, htmlVersions, withComparison } from '../../webview/compareExport';
import { exportHtml } from '../../webview/exportHtml';
import { Matrices, RunData } from '../../webview/runData';
import type { ViewState } from '../../webview/viewState';

function version(text: string, pieces: string[], focusRow: number[]): RunData {
  let at = 0;
  const tokens: TokenInfo[] = pieces.map((p, i) => {
    const t = { id: i, text: p, start: at, end: at + p.length, special: false };
    at += p.length;
    return t;
  });
  const seq = tokens.length;
  const layer = new Float32Array(seq * seq);
  for (let i = 0; i < seq; i++) for (let j = 0; j < seq; j++) layer[i * seq + j] = i === seq - 1 ? focusRow[j] : 1 / seq;
  const message: RunMessage = { type: 'run', runId: 7, source: { fileName: 's.md', languageId: 'markdown' }, tokens, truncation: null, focus: null, explain: false };
  return {
    runId: 7, message, tokens, config: { name: 'm', architecture: 'bidirectional', num_layers: 1, num_heads: 1, max_tokens: 64 } as RunData['config'],
    modelName: 'm', stack: makeStack([layer], 1, seq), outputs: { attentions: [layer], queries: null, keys: null, headDim: null },
    backend: 'wasm', backendReason: null, loadMs: 0, inferenceMs: 1,
  };
}

const base = version('too tired it', ['too', ' tired', ' it'], [0.2, 0.5, 0.3]);
const wide = version('too wide it', ['too', ' wide', ' it'], [0.6, 0.1, 0.3]);
const view: ViewState = { layer: 0, head: 0, heads: [0], mode: 'head', direction: 'from' };
const shown: ComparisonMessage = {
  type: 'comparison', runId: 7, tokenIndex: 2, unit: 'token', labels: ['base', 'tired → <wide>'], view: 'layer 1, head 1',
  rows: [{ label: 'too', edited: false, weights: [0.2, 0.6] }, { label: 'tired→wide', edited: true, weights: [0.5, 0.1] }, { label: 'it', edited: false, weights: [0.3, 0.3] }],
  summaries: ['it: tired→wide 50% → 10%, too 20% → 60%; no head flips'], lines: ['a line'], beforeEdit: false, problem: null,
};
const compared = { labels: ['base', 'tired → <wide>'], texts: ['too tired it', 'too wide it'], versions: [new Matrices(base), new Matrices(wide)], shown };

describe('compare exports', () => {
  it('JSON: every version with its text, tokens and attention, and the table with differences', () => {
    const json = withComparison(JSON.stringify({ format: 'attention-lens/1', tokens: [] }), compareJson(compared));
    const doc = JSON.parse(json) as { format: string; compare: { versions: { label: string; text: string; tokens: unknown[]; attentions: number[][][][] }[]; shown: { rows: { differences: number[] }[] } } };
    assert.strictEqual(doc.format, 'attention-lens/1');
    assert.deepStrictEqual(doc.compare.versions.map((v) => [v.label, v.text, v.tokens.length]), [['base', 'too tired it', 3], ['tired → <wide>', 'too wide it', 3]]);
    assert.deepStrictEqual(doc.compare.versions[1].attentions[0][0][2], [0.6, 0.1, 0.3]);
    assert.deepStrictEqual(doc.compare.shown.rows.map((r) => r.differences), [[0.4], [-0.4], [0]]);
    assert.throws(() => withComparison('[1]x', {}), /not an object/);
  });

  it('HTML: a picker over every version, the table with signed differences, text escaped', () => {
    const html = exportHtml({
      title: 't', subtitle: [], tokens: base.tokens, matrix: new Float32Array(9), seq: 3, direction: 'from',
      colors: { background: { r: 0, g: 0, b: 0 }, foreground: { r: 1, g: 1, b: 1 }, muted: { r: 2, g: 2, b: 2 }, accent: { r: 3, g: 3, b: 3 } },
      fontFamily: 'monospace', versions: htmlVersions(compared, view),
      appendix: compareTableHtml(shown, { gain: { r: 0, g: 200, b: 0 }, loss: { r: 200, g: 0, b: 0 } }),
    });
    assert.match(html, /<select id="version">/);
    const data = JSON.parse(/<script type="application\/json" id="data">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}') as { versions: { label: string; rows: number[][] }[] };
    assert.deepStrictEqual(data.versions.map((v) => v.label), ['base', 'tired → <wide>']);
    assert.deepStrictEqual(data.versions[1].rows[2], [0.6, 0.1, 0.3]);
    assert.ok(html.includes('<th>Δ tired → &lt;wide&gt;</th>'), 'labels are escaped');
    assert.ok(html.includes('+40.0%') && html.includes('−40.0%') && html.includes('±0.0%'));
    assert.ok(!/\b(src|href)\s*=|url\(|@import|https?:\/\//i.test(html), 'the page loads nothing');
    // one version: no picker, as before
    assert.doesNotMatch(exportHtml({
      title: 't', subtitle: [], tokens: base.tokens, matrix: new Float32Array(9), seq: 3, direction: 'from',
      colors: { background: { r: 0, g: 0, b: 0 }, foreground: { r: 1, g: 1, b: 1 }, muted: { r: 2, g: 2, b: 2 }, accent: { r: 3, g: 3, b: 3 } }, fontFamily: 'x',
    }), /id="version"/);
  });
});
