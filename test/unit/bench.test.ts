// The benchmark's own arithmetic and verdicts (bench/): medians, growth slopes, the exact-length
// texts it feeds the model, and the PASS/MISS it prints. The timings themselves are not tested.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { makeCase } from '../../bench/inputs';
import { syntheticAttention } from '../../bench/page/synthetic';
import { spreadIndices } from '../../bench/renderPage';
import { Row, emptyRow } from '../../bench/results';
import { median, medianOrNull, ratio, slope } from '../../bench/stats';
import { formatTable } from '../../bench/table';
import { LIMITS, checkTargets } from '../../bench/targets';
import { loadSource, prefixWithTokens } from '../../bench/texts';
import { parseModelConfig } from '../../src/shared/modelConfig';
import { TextTokenizer } from '../../src/tokenizers/tokenize';

const ROOT = path.resolve(__dirname, '../../..');
const MODEL = path.join(ROOT, 'models/default');

describe('bench statistics', () => {
  it('median of odd and even counts, unsorted input left as it was', () => {
    const xs = [5, 1, 3];
    assert.strictEqual(median(xs), 3);
    assert.deepStrictEqual(xs, [5, 1, 3]);
    assert.strictEqual(median([4, 1, 3, 2]), 2.5);
    assert.throws(() => median([]));
  });

  it('a missing figure stays null, never 0', () => {
    assert.strictEqual(medianOrNull([]), null);
    assert.strictEqual(medianOrNull(null), null);
    assert.strictEqual(ratio(null, 3), null);
    assert.strictEqual(ratio(3, null), null);
    assert.strictEqual(ratio(3, 0), null);
    assert.strictEqual(ratio(3, 2), 1.5);
  });

  it('slope is the per-step growth of a series, 0 for a flat noisy one', () => {
    assert.strictEqual(slope([10, 12, 14, 16]), 2);
    assert.ok(Math.abs(slope([5, 7, 5, 7, 5, 7, 5, 7].concat([7, 5, 7, 5, 7, 5, 7, 5]))) < 0.1);
  });
});

describe('bench texts', () => {
  const tok = new TextTokenizer(JSON.parse(fs.readFileSync(path.join(MODEL, 'tokenizer.json'), 'utf8')));
  const config = parseModelConfig(fs.readFileSync(path.join(MODEL, 'config.json'), 'utf8'));

  for (const kind of ['prose', 'code'] as const) {
    it(`cuts ${kind} to exactly the token counts asked for`, () => {
      const source = loadSource(ROOT, kind);
      for (const n of [63, 255, 511, 1023]) {
        const { text, tokens } = prefixWithTokens(tok, source, n);
        assert.strictEqual(tokens.length, n);
        assert.strictEqual(tok.encode(text).length, n);
        assert.ok(source.startsWith(text));
      }
    });
  }

  it('a case counts bos as a token and caps the model input at the context', () => {
    const c = makeCase(ROOT, tok, config, 'prose', 256);
    assert.strictEqual(c.modelTokens.length, 256);
    assert.strictEqual(c.modelTokens[0].special, config.prepend_bos === true);
    assert.strictEqual(c.cappedAt, null);
    const long = makeCase(ROOT, tok, config, 'code', config.max_tokens * 2);
    assert.strictEqual(long.cappedAt, config.max_tokens);
    assert.ok(long.modelTokens.length <= config.max_tokens);
  });

  it('refuses more tokens than the text has', () => {
    assert.throws(() => prefixWithTokens(tok, 'two words', 50), /only \d+ tokens/);
  });
});

describe('bench targets and table', () => {
  const row = (over: Partial<Row>): Row => ({ ...emptyRow('prose', 512), ...over });

  it('nothing measured is NOT MEASURED, not a pass', () => {
    for (const t of checkTargets([row({})])) assert.strictEqual(t.verdict, 'NOT MEASURED', t.target);
  });

  it('each target passes at its limit side and misses beyond it', () => {
    const pass = checkTargets([
      row({
        wasm_native_ratio: LIMITS.wasmOverNative, first_overlay_ms: LIMITS.firstOverlayMs - 1, memory_runs: 50, heap_growth_bytes_per_run: 0,
        dom_nodes_growth_per_run: 0, listeners_growth_per_run: LIMITS.domGrowthPerRun,
        vscode_cold_first_overlay_ms: LIMITS.vscodeColdMs, vscode_warm_first_overlay_ms: LIMITS.vscodeWarmMs,
      }),
      { ...row({ hover_ms: LIMITS.hoverMs - 0.1 }), tokens: 1024 },
    ]);
    assert.deepStrictEqual(pass.map((t) => t.verdict), ['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS']);
    const miss = checkTargets([
      row({
        wasm_native_ratio: LIMITS.wasmOverNative + 0.01, first_overlay_ms: LIMITS.firstOverlayMs, memory_runs: 50, heap_growth_bytes_per_run: LIMITS.heapGrowthPerRun,
        dom_nodes_growth_per_run: 1, listeners_growth_per_run: 0,
        vscode_cold_first_overlay_ms: LIMITS.vscodeColdMs + 1, vscode_warm_first_overlay_ms: LIMITS.vscodeWarmMs + 1,
      }),
      { ...row({ hover_ms: LIMITS.hoverMs }), tokens: 1024 },
    ]);
    assert.deepStrictEqual(miss.map((t) => t.verdict), ['MISS', 'MISS', 'MISS', 'MISS', 'MISS', 'MISS', 'MISS']);
  });

  it('one text missing a target makes the target a MISS', () => {
    const [wasm] = checkTargets([row({ wasm_native_ratio: 1.1 }), { ...row({ wasm_native_ratio: 2 }), text: 'code' }]);
    assert.strictEqual(wasm.verdict, 'MISS');
    assert.match(wasm.measured, /prose 1\.10×, code 2\.00×/);
  });

  it('the table shows a missing figure as —, a capped size with *, synthetic hover with †', () => {
    const text = formatTable([row({ native_ms: 12.345 }), { ...row({ hover_ms: 3, synthetic_attention: true, capped_at: 512 }), tokens: 1024 }]);
    const lines = text.split('\n');
    assert.strictEqual(lines.length, 4);
    assert.match(lines[2], /12\.3/);
    assert.match(lines[2], /—/);
    assert.match(lines[3], /^prose\s+1024\*/);
    assert.match(lines[3], /3\.00†/);
  });
});

describe('bench synthetic attention (rendering beyond the model\'s context)', () => {
  it('has the model\'s shape, causal rows that sum to 1, and is the same on every call', () => {
    const layers = syntheticAttention(2, 3, 40);
    assert.strictEqual(layers.length, 2);
    for (const l of layers) {
      assert.strictEqual(l.length, 3 * 40 * 40);
      for (let h = 0; h < 3; h++) {
        for (let i = 0; i < 40; i++) {
          let sum = 0;
          for (let j = 0; j < 40; j++) {
            const w = l[(h * 40 + i) * 40 + j];
            if (j > i) assert.strictEqual(w, 0);
            else assert.ok(w > 0);
            sum += w;
          }
          assert.ok(Math.abs(sum - 1) < 1e-5, `row sums to ${sum}`);
        }
      }
    }
    assert.deepStrictEqual(syntheticAttention(2, 3, 40), layers);
  });

  it('hover targets are spread over the text, never bos, the last token included', () => {
    const xs = spreadIndices(1024, 16);
    assert.strictEqual(xs.length, 16);
    assert.ok(xs.every((i) => i >= 1 && i < 1024));
    assert.strictEqual(xs[xs.length - 1], 1023);
  });
});
