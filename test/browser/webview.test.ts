// The webview page in headless Chromium — the real bundle, onnxruntime-web and model — checked
// against the same model run natively by onnxruntime-node on the same input ids, once on WASM
// (Chromium without WebGPU) and once on WebGPU (SwiftShader, --enable-unsafe-webgpu).
// Needs `npm run build` first (dist/webview). Shared helpers: webviewChecks.ts; a config that breaks
// the graph's contract: contractErrors.test.ts.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { AttentionStack, aggregateHeads, column, headMatrix, row, topTargets } from '../../src/shared/attention';
import { rollout } from '../../src/shared/rollout';
import { referenceExplanation } from '../support/referenceExplain';
import { ModelConfig, parseModelConfig } from '../../src/shared/modelConfig';
import { TokenInfo, ToHost, parseToHost } from '../../src/shared/protocol';
import { HOST_TARGETS } from '../../webview/runData';
import { PageServer, Panel, artifactsDir, initMessage, is, launchBrowser, openPanel, startServer } from './harness';
import { nativeAttention } from './reference';
import { CODE, MODEL_DIR, PREFERENCE, PROSE, exportJson, expectedView, maxDiff, percents, runMessage, tokensFor } from './webviewChecks';

function backendSuite(name: 'wasm' | 'webgpu', tolerance: number): void {
  describe(`webview in Chromium on ${name === 'wasm' ? 'WASM (started without WebGPU)' : 'WebGPU (SwiftShader)'}`, function () {
    this.timeout(180_000);
    let server: PageServer;
    let browser: Browser;
    let panel: Panel;
    let config: ModelConfig;
    let tokens: TokenInfo[];
    let focus: number;
    let native: AttentionStack;
    let result: Extract<ToHost, { type: 'result' }>;

    before(async () => {
      config = parseModelConfig(fs.readFileSync(path.join(MODEL_DIR, 'config.json'), 'utf8'));
      const t = await tokensFor(PROSE, config, PROSE.indexOf(' it ') + 2);
      tokens = t.tokens;
      assert.ok(t.focus !== null, 'the cursor is on "it"');
      focus = t.focus;
      assert.strictEqual(tokens[focus].text.trim(), 'it');
      native = await nativeAttention(tokens.map((x) => x.id), config.num_layers, config.num_heads);
      server = await startServer();
      browser = await launchBrowser({ webgpu: name === 'webgpu' });
      panel = await openPanel(browser, server);
      await panel.waitFor(is.ready);
      await panel.send(initMessage(server, PREFERENCE[name]));
      await panel.send(runMessage(1, tokens, focus, true));
      result = await panel.waitFor(is.result, { timeoutMs: 150_000 });
    });

    after(async () => {
      await panel?.close();
      await browser?.close();
      await server?.close();
    });

    it('reports the backend that ran, and why not WebGPU', () => {
      assert.strictEqual(result.runId, 1);
      assert.strictEqual(result.backend, name);
      if (name === 'wasm') assert.match(result.backendReason ?? '', /^(no GPU adapter|navigator\.gpu missing)$/);
      else assert.strictEqual(result.backendReason, null);
      assert.ok(result.inferenceMs > 0 && result.loadMs > 0, JSON.stringify(result));
      console.log(`      ${name}: load ${result.loadMs.toFixed(0)} ms, inference ${result.inferenceMs.toFixed(1)} ms for ${tokens.length} tokens`);
    });

    it('shows the backend in the header', async () => {
      const facts = await panel.page.textContent('.facts');
      assert.match(facts ?? '', name === 'wasm' ? /Backend: WASM \(not WebGPU: / : /Backend: WebGPU/);
      assert.match(facts ?? '', new RegExp(`${tokens.length} tokens`));
    });

    it(`every attention weight equals onnxruntime-node's (max |diff| < ${tolerance}); rows sum to 1; no weight on later tokens`, async () => {
      const json = await exportJson(panel);
      assert.strictEqual(json.attentions.length, config.num_layers);
      const worst = maxDiff(json, native);
      console.log(`      ${name}: max |page − onnxruntime-node| over ${config.num_layers}×${config.num_heads}×${tokens.length}² weights = ${worst.toExponential(2)}`);
      assert.ok(worst < tolerance, `max diff ${worst}`);
      for (const heads of json.attentions) {
        for (const rows of heads) {
          rows.forEach((r, i) => {
            const sum = r.reduce((a, b) => a + b, 0);
            assert.ok(Math.abs(sum - 1) < 1e-4, `row ${i} sums to ${sum}`);
            // rows are cut after their last non-zero weight: a causal row i has at most i + 1
            assert.ok(r.length <= i + 1, `row ${i} has weight on a later token`);
          });
        }
      }
    });

    it('the explanation names the top targets with the model\'s numbers', async () => {
      const e = (await panel.posted()).find(is.explanation);
      assert.ok(e, 'an explanation was posted for the focus');
      assert.strictEqual(e.tokenIndex, focus);
      // The panel cites each head with its role, scored on the same run (headRoles.ts).
      const expected = referenceExplanation(tokens, native, config, focus);
      assert.match(e.summary, /^it → /);
      if (name === 'wasm') {
        assert.strictEqual(e.summary, expected.summary);
        assert.deepStrictEqual(e.lines, expected.lines);
      } else {
        // WebGPU's float error can move a weight across a rounding edge: allow 1 point.
        assert.strictEqual(e.lines.length, expected.lines.length);
        e.lines.forEach((line, k) => {
          const got = percents(line);
          const want = percents(expected.lines[k]);
          assert.strictEqual(got.length, want.length, line);
          got.forEach((p, q) => assert.ok(Math.abs(p - want[q]) <= 1, `${line} vs ${expected.lines[k]}`));
        });
      }
      const panelText = await panel.page.textContent('.explain');
      assert.ok(panelText?.includes(e.lines[1]), 'the panel shows the explanation');
    });

    it('hovering a token posts a highlight whose targets are the model\'s row', async () => {
      const json = await exportJson(panel);
      const expectedMatrix = expectedView(native, json.view);
      const target = 5;
      const from = await panel.count();
      await panel.page.hover(`.tok[data-i="${target}"]`);
      const h = await panel.waitFor((m): m is Extract<ToHost, { type: 'highlight' }> => is.highlight(m) && m.tokenIndex === target, { from });
      assert.strictEqual(h.direction, 'from');
      const want = topTargets(row(expectedMatrix, native.seq, target), HOST_TARGETS);
      assert.deepStrictEqual(h.targets.map((t) => t.index), want.map((t) => t.index));
      h.targets.forEach((t, k) => assert.ok(Math.abs(t.weight - want[k].weight) < tolerance, `${t.weight} vs ${want[k].weight}`));
      // highlight weights travel unrounded: the true float difference, on this row
      const exact = Math.max(...h.targets.map((t, k) => Math.abs(t.weight - want[k].weight)));
      console.log(`      ${name}: unrounded max |diff| on the hovered row's targets = ${exact.toExponential(2)}`);
      // and the panel lights them, with the exact percentage in the tooltip
      const title = await panel.page.getAttribute(`.tok[data-i="${want[0].index}"]`, 'title');
      assert.ok(title?.startsWith(`${(want[0].weight * 100).toFixed(1)}%`) || name === 'webgpu', `title ${title}`);
    });

    if (name === 'webgpu') {
      it('when the GPU device is lost between runs, the next run falls back to WASM in the page and says so', async () => {
        // Between runs: after every piece of GPU work of the last one (a loaded machine can leave a readback pending).
        assert.ok(await panel.loseGpu({ idle: true }) >= 1, 'the page made a GPUDevice');
        const from = await panel.count();
        await panel.send(runMessage(2, tokens, focus, false));
        const first = await panel.waitFor((m): m is Extract<ToHost, { type: 'result' | 'reload' }> => m.type === 'result' || m.type === 'reload', { from, timeoutMs: 120_000 });
        assert.ok(first.type === 'result', `the page asked to be reloaded (the loss met GPU work still in flight): ${first.type === 'reload' ? first.reason : ''}`);
        const r = first;
        assert.strictEqual(r.backend, 'wasm');
        assert.match(r.backendReason ?? '', /^WebGPU failed during a run \(GPU device lost .+\); fell back to WASM$/);
        assert.ok(maxDiff(await exportJson(panel), native) < tolerance);
        assert.ok(!(await panel.posted(from)).some((m) => m.type === 'reload'));
      });

      it('when the GPU device is lost during a run, the page asks to be reloaded and comes back on WASM', async () => {
        // a fresh page (and webview state) on WebGPU
        await panel.close();
        panel = await openPanel(browser, server);
        await panel.waitFor(is.ready);
        await panel.send(initMessage(server, PREFERENCE[name]));
        await panel.send(runMessage(1, tokens, focus, false));
        assert.strictEqual((await panel.waitFor(is.result, { timeoutMs: 150_000 })).backend, 'webgpu');
        const from = await panel.count();
        // the device goes while the run is on the GPU (SwiftShader takes well over 50 ms per run)
        await panel.send(runMessage(2, tokens, focus, false));
        await panel.page.waitForTimeout(50);
        assert.ok(await panel.loseGpu() >= 1, 'the page made a GPUDevice');
        // onnxruntime-web's runtime is stuck after that; the page asks the host for a new page
        const reload = await panel.waitFor((m): m is Extract<ToHost, { type: 'reload' }> => m.type === 'reload', { from, timeoutMs: 120_000 });
        assert.match(reload.reason, /^WebGPU failed during a run \(GPU device lost .+\); fell back to WASM$/);
        assert.ok(!(await panel.posted(from)).some(is.result), 'the stuck run rendered nothing');
        // what the host does on reload: load the page again (VS Code keeps the webview state), init, run
        await panel.page.reload();
        await panel.waitFor(is.ready, { from: 0 });
        await panel.send(initMessage(server, PREFERENCE[name]));
        await panel.send(runMessage(2, tokens, focus, false));
        const r = await panel.waitFor(is.result, { timeoutMs: 120_000 });
        assert.strictEqual(r.backend, 'wasm');
        assert.strictEqual(r.backendReason, reload.reason);
        console.log(`      after device loss: ${r.backendReason}`);
        assert.ok(maxDiff(await exportJson(panel), native) < tolerance);
        assert.match(await panel.page.textContent('.facts') ?? '', /Backend: WASM \(not WebGPU: WebGPU failed during a run/);
        const from2 = await panel.count();
        await panel.send(runMessage(3, tokens, focus, false));
        const r2 = await panel.waitFor(is.result, { from: from2 });
        assert.strictEqual(r2.backend, 'wasm');
      });
      return;
    }

    it('the direction toggle shows what attends to the token (its column)', async () => {
      const target = 2;
      await panel.page.click('vscode-checkbox.flip');
      const json = await exportJson(panel);
      assert.strictEqual(json.view.direction, 'to');
      const from = await panel.count();
      await panel.page.hover(`.tok[data-i="${target}"]`);
      await panel.page.hover(`.tok[data-i="${target + 1}"]`);
      await panel.page.hover(`.tok[data-i="${target}"]`);
      const h = await panel.waitFor((m): m is Extract<ToHost, { type: 'highlight' }> => is.highlight(m) && m.tokenIndex === target && m.direction === 'to', { from });
      const want = topTargets(column(expectedView(native, json.view), native.seq, target), HOST_TARGETS);
      assert.deepStrictEqual(h.targets.map((t) => t.index), want.map((t) => t.index));
      await panel.page.click('vscode-checkbox.flip');
    });

    it('keyboard: arrows move between tokens, Enter pins, Escape unpins', async () => {
      await panel.page.focus('.tok[data-i="1"]');
      await panel.page.keyboard.press('ArrowRight');
      await panel.page.keyboard.press('ArrowRight');
      assert.strictEqual(await panel.page.evaluate(() => (document.activeElement as HTMLElement).dataset.i), '3');
      await panel.page.keyboard.press('Enter');
      assert.strictEqual(await panel.page.getAttribute('.tok[data-i="3"]', 'aria-selected'), 'true');
      assert.match(await panel.page.getAttribute('.tok[data-i="3"]', 'aria-label') ?? '', /Attends to .*\d+\.\d%/);
      await panel.page.keyboard.press('Escape');
      assert.strictEqual(await panel.page.getAttribute('.tok[data-i="3"]', 'aria-selected'), 'false');
    });

    it('a pin from the host (editor cursor) pins that token', async () => {
      await panel.send({ type: 'pin', runId: 1, tokenIndex: focus });
      await panel.page.waitForSelector(`.tok[data-i="${focus}"][aria-selected="true"]`);
    });

    it('one head, max and rollout modes show the model\'s numbers; a grid cell focuses its layer and head', async () => {
      await panel.page.click('canvas.cell[aria-label="Layer 2 head 3"]');
      let json = await exportJson(panel);
      assert.deepStrictEqual([json.view.mode, json.view.layer, json.view.head], ['head', 1, 2]);
      const same = (m: Float32Array): void => {
        const S = native.seq;
        for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) assert.ok(Math.abs((json.view.matrix[i][j] ?? 0) - m[i * S + j]) < 1e-4);
      };
      same(headMatrix(native.layers[1], 2, native.seq));
      await panel.page.click('vscode-radio[data-mode="max"]');
      json = await exportJson(panel);
      assert.strictEqual(json.view.mode, 'max');
      same(aggregateHeads(native.layers[1], native.seq, json.view.heads, 'max'));
      await panel.page.click('vscode-radio[data-mode="rollout"]');
      json = await exportJson(panel);
      assert.strictEqual(json.view.mode, 'rollout');
      same(rollout(native)[1]);
      await panel.page.click('vscode-radio[data-mode="mean"]');
    });

    it('drops malformed messages and keeps working', async () => {
      const before = await panel.count();
      await panel.send({ type: 'run', runId: 'two' });
      await panel.send({ type: 'launch-missiles' });
      await panel.send('pin');
      await panel.send({ type: 'pin', runId: 1, tokenIndex: 2 });
      await panel.page.waitForSelector('.tok[data-i="2"][aria-selected="true"]');
      const dropped = panel.console.filter((l) => l.includes('dropped a malformed message'));
      assert.strictEqual(dropped.length, 3, dropped.join('\n'));
      const after = await panel.posted(before);
      assert.ok(!after.some((m) => m.type === 'error' || m.type === 'result'), JSON.stringify(after));
    });

    it('a newer run or a cancel means an older run is not rendered', async () => {
      const code = await tokensFor(CODE, config, null);
      // A page of its own whose model bytes are held until every message is in: no run can end
      // before the newer ones arrive, however fast the machine.
      const held = await openPanel(browser, server);
      let release = (): void => undefined;
      const gate = new Promise<void>((r) => { release = r; });
      let asked = false;
      await held.page.route('**/models/default/model.onnx', async (route) => { asked = true; await gate; await route.continue(); });
      try {
        await held.waitFor(is.ready);
        await held.send(initMessage(server, PREFERENCE[name]));
        const from = await held.count();
        await held.sendAll([
          runMessage(10, tokens, null, false),
          runMessage(11, code.tokens, null, false, 'area.ts'),
          runMessage(12, tokens, null, false),
          { type: 'cancel', runId: 12 },
          runMessage(13, code.tokens, null, false, 'area.ts'),
        ]);
        await held.page.waitForTimeout(300);
        assert.deepStrictEqual((await held.posted(from)).filter(is.result), [], 'a run ended before its model arrived');
        assert.ok(asked, 'the page has not asked for the model: the gate holds nothing');
        release();
        const r = await held.waitFor(is.result, { from });
        assert.strictEqual(r.runId, 13);
        await held.page.waitForTimeout(300);
        assert.deepStrictEqual((await held.posted(from)).filter(is.result).map((m) => m.runId), [13]);
        const shown = await held.page.evaluate(() => [...document.querySelectorAll('.tok:not(.special)')].map((s) => s.textContent).join(''));
        assert.strictEqual(shown, CODE, 'the page shows a run that was overtaken');
      } finally {
        release();
        await held.close();
      }
      // The main page renders run 13 too, for the tests after this one.
      const from = await panel.count();
      await panel.send({ ...runMessage(13, code.tokens, null, false, 'area.ts'), truncation: { totalTokens: 900, keptStart: 0, keptEnd: CODE.length } });
      assert.strictEqual((await panel.waitFor(is.result, { from })).runId, 13);
      // the code keeps its shape: the token view's text is the source (bos chip aside)
      const text = await panel.page.evaluate(() => [...document.querySelectorAll('.tok:not(.special)')].map((s) => s.textContent).join(''));
      assert.strictEqual(text, CODE);
      assert.match(await panel.page.textContent('.notice') ?? '', new RegExp(`has 900 tokens.*characters 0–${CODE.length}`));
    });

    it('exports PNG, SVG and a standalone HTML page', async () => {
      await panel.send({ type: 'pin', runId: 13, tokenIndex: 3 });
      const saves: Record<string, Extract<ToHost, { type: 'save' }>> = {};
      for (const f of ['png', 'svg', 'html'] as const) {
        const from = await panel.count();
        await panel.page.click(`vscode-button[data-export="${f}"]`);
        saves[f] = await panel.waitFor(is.save, { from });
        assert.strictEqual(saves[f].format, f);
      }
      const png = Buffer.from(saves.png.data, 'base64');
      assert.strictEqual(saves.png.encoding, 'base64');
      assert.deepStrictEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.ok(png.length > 2000);
      assert.match(saves.svg.data, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.ok(saves.svg.data.includes('return'), 'the SVG has the code');
      const html = saves.html.data;
      assert.ok(!/\b(src|href)\s*=|url\(|@import/i.test(html), 'the HTML loads nothing');
      assert.ok(!/https?:\/\//.test(html), 'the HTML names no URL');
      const dir = artifactsDir();
      fs.writeFileSync(path.join(dir, 'export.png'), png);
      fs.writeFileSync(path.join(dir, 'export.svg'), saves.svg.data);
      fs.writeFileSync(path.join(dir, 'export.html'), html);
      // the exported page works on its own: hovering a token lights its targets
      const page = await panel.context.newPage();
      await page.setContent(html);
      await page.hover('#tokens .tok:nth-child(5)');
      assert.match(await page.textContent('#status') ?? '', /→ .*\d+%/);
      await page.close();
    });

    it('a reloaded page restores the chosen view', async () => {
      await panel.page.click('canvas.cell[aria-label="Layer 1 head 4"]');
      await panel.page.reload();
      await panel.waitFor(is.ready, { from: 0 });
      const from = await panel.count();
      await panel.send(initMessage(server, PREFERENCE[name]));
      await panel.send(runMessage(20, tokens, focus, false));
      await panel.waitFor(is.result, { from });
      const json = await exportJson(panel);
      assert.deepStrictEqual([json.view.mode, json.view.layer, json.view.head], ['head', 0, 3]);
    });

    it('screenshots in the light and dark theme', async () => {
      const dir = artifactsDir();
      await panel.send({ type: 'pin', runId: 20, tokenIndex: focus });
      await panel.page.click('vscode-radio[data-mode="heads"]');
      for (const theme of ['light', 'dark'] as const) {
        await panel.setTheme(theme);
        await panel.page.waitForTimeout(100);
        await panel.page.hover(`.tok[data-i="${focus}"]`);
        await panel.page.screenshot({ path: path.join(dir, `webview-${theme}.png`), fullPage: true });
      }
      assert.ok(fs.statSync(path.join(dir, 'webview-dark.png')).size > 10_000);
    });

    // How fast a hover restyles is the bench's (hover_ms); here, that every hover at full length does it.
    it('at the model\'s maximum tokens, with all heads, every hover marks its token and lights its targets, and the JSON export equals onnxruntime-node', async () => {
      const long = await tokensFor(`${PROSE}\n${CODE}`.repeat(40), config, null);
      assert.strictEqual(long.tokens.length, config.max_tokens);
      const from = await panel.count();
      await panel.send(runMessage(30, long.tokens, null, false));
      const r = await panel.waitFor(is.result, { from });
      console.log(`      ${name}: inference ${r.inferenceMs.toFixed(0)} ms for ${long.tokens.length} tokens`);
      await panel.page.click('vscode-radio[data-mode="heads"]');
      const words = long.tokens.map((t, i) => (t.text.trim() ? i : -1)).filter((i) => i > 0);
      for (let k = 0; k < 25; k++) {
        const i = words[Math.floor((k * words.length) / 25)];
        await panel.page.hover(`.tok[data-i="${i}"]`);
        const shown = await panel.page.evaluate(() => ({
          active: [...document.querySelectorAll('.tok.active')].map((s) => Number((s as HTMLElement).dataset.i)),
          lit: document.querySelectorAll('.tok.lit').length,
        }));
        assert.deepStrictEqual(shown.active, [i], `hovering token ${i} marked ${JSON.stringify(shown.active)}`);
        assert.ok(shown.lit > 0, `hovering token ${i} lit nothing`);
      }
      const t0 = Date.now();
      const json = await exportJson(panel);
      console.log(`      JSON export at ${long.tokens.length} tokens: ${Date.now() - t0} ms`);
      assert.strictEqual(json.tokens.length, config.max_tokens);
      assert.ok(maxDiff(json, await nativeAttention(long.tokens.map((t) => t.id), config.num_layers, config.num_heads)) < tolerance);
    });

    it('no CSP violations and no request leaves 127.0.0.1', async () => {
      assert.deepStrictEqual(await panel.violations(), []);
      const outside = panel.requests.filter((u) => !u.startsWith(`${server.origin}/`));
      assert.deepStrictEqual(outside, []);
      // A page on WASM loads the plain runtime, one that may use WebGPU the .jsep one (webview/runtime.ts).
      assert.ok(panel.requests.some((u) => /\/dist\/webview\/ort-wasm-simd-threaded(\.jsep)?\.wasm$/.test(u)), 'the .wasm came from the page server');
      assert.ok(!panel.console.some((l) => l.startsWith('pageerror')), panel.console.join('\n'));
    });

    it('every message the page posted passes the host\'s validation', async () => {
      const all = await panel.posted();
      assert.ok(all.length > 20);
      for (const m of all) parseToHost(m);
      assert.ok(all.some((m) => m.type === 'progress' && m.phase === 'running'));
    });
  });
}

backendSuite('wasm', 1e-4);
backendSuite('webgpu', 1e-4);
