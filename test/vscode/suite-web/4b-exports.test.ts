// The web pass: the panel's four exports saved through VS Code's save dialog from the browser
// worker host, each read back from the workspace. The JSON's weights are the model's own: every
// layer and head equal the model run natively on the same ids.
import * as vscode from 'vscode';
import { makeStack } from '../../../src/shared/attention';
import type { ExportFormat } from '../../../src/shared/protocol';
import { check } from '../web/check';
import { ui } from '../web/fetchDriver';
import { closePanelTab, explainIt, lensApi, modelConfig, until, useBundled } from './webHelpers';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface ExportedJson {
  format: string;
  model: { num_layers: number; num_heads: number };
  backend: { used: string };
  unit: string;
  tokens: { text: string; start: number; end: number }[];
  attentions: number[][][][];
}

async function readIfThere(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
}

describe('Exports (web pass)', () => {
  after(async () => {
    const api = await lensApi();
    await useBundled(api, undefined);
    if (api.stats().panels > 0) await closePanelTab();
  });

  it('JSON, HTML, SVG and PNG: each saved in the workspace through the save dialog; the JSON holds the model\'s own weights', async () => {
    const api = await lensApi();
    await useBundled(api, 'encoder');
    const folder = vscode.workspace.workspaceFolders?.[0];
    check.ok(folder, 'no workspace folder is open');
    const res = await explainIt(api);
    const run = api.lastRun();
    check.ok(run && run.runId === res.runId, 'the result is not the last run\'s');
    await ui.waitWebview('[data-export="json"]');
    // Prose opens in words; the tokens view exports the model's own rows, comparable with a native run.
    const setWords = (on: boolean) => ui.webviewEval('.unit-switch', `(() => {
      const box = document.querySelector('.unit-switch');
      box.checked = ${on};
      box.dispatchEvent(new Event('change'));
      return true;
    })()`);
    await setWords(false);
    const shownTokens = () => ui.webviewEval('.tok', 'document.querySelectorAll(".tokens .tok").length') as Promise<number>;
    await until('the panel to show tokens', async () => (await shownTokens()) === run.message.tokens.length);

    const saved: Partial<Record<ExportFormat, Uint8Array>> = {};
    for (const format of ['json', 'html', 'svg', 'png'] as ExportFormat[]) {
      const target = vscode.Uri.joinPath(folder.uri, `web-export.${format}`);
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
      const mark = api.messagesShown();
      await ui.webviewEval(`[data-export="${format}"]`, `(document.querySelector('[data-export="${format}"]').click(), true)`);
      // VS Code's own save dialog (the simple one, as vscode.dev's is): the path typed, Enter.
      await ui.typeInput(target.path);
      // The message comes once the write has finished: a file read before it can be partly written.
      const said = await until('the saved message', () => api.messagesSince(mark).find((m) => m.text.includes('saved')), 60_000);
      check.ok(said.text.includes(`web-export.${format}`), `the message names another file: ${said.text}`);
      const bytes = await readIfThere(target);
      check.ok(bytes && bytes.length > 0, `${format}: no file, or an empty one, at ${target.path}`);
      saved[format] = bytes;
      await vscode.workspace.fs.delete(target);
    }

    await setWords(true);

    const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
    const html = text(saved.html);
    check.ok(html.startsWith('<!DOCTYPE html>'), 'the HTML export is not a page');
    check.ok(html.includes('<title>Attention Lens — story.md</title>'), 'the HTML export is not titled for story.md');
    const svg = text(saved.svg);
    check.ok(svg.includes('<svg xmlns="http://www.w3.org/2000/svg"') && svg.trimEnd().endsWith('</svg>'), 'the SVG export is not an SVG');
    const png = saved.png!;
    check.sameJson([...png.subarray(0, 8)], PNG_SIGNATURE, 'the PNG export has no PNG signature');
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    check.ok(view.getUint32(16) > 0 && view.getUint32(20) > 0, 'the PNG export has no size');

    // The JSON: every layer and head, within 1e-4 of the model run natively on the same ids.
    const json = JSON.parse(text(saved.json)) as ExportedJson;
    check.equal(json.format, 'attention-lens/1');
    check.equal(json.backend.used, res.backend);
    check.equal(json.unit, 'token');
    check.sameJson(json.tokens.map((t) => [t.text, t.start, t.end]), run.message.tokens.map((t) => [t.text, t.start, t.end]), 'the JSON\'s tokens are not the run\'s');
    const model = api.model();
    check.ok(model, 'no model');
    const config = await modelConfig(model.dir);
    const ids = run.message.tokens.map((t) => t.id);
    const plain = await ui.nativeAttention(model.dir, ids, config.num_layers, config.num_heads);
    const native = makeStack(plain.layers.map((l) => Float32Array.from(l)), plain.heads, plain.seq);
    const seq = ids.length;
    check.equal(json.attentions.length, config.num_layers, 'layers in the JSON');
    let worst = 0;
    json.attentions.forEach((layer, l) => {
      check.equal(layer.length, config.num_heads, `heads in layer ${l + 1}`);
      layer.forEach((rows, h) => rows.forEach((row, i) => {
        for (let j = 0; j < seq; j++) {
          worst = Math.max(worst, Math.abs((row[j] ?? 0) - native.layers[l]![(h * seq + i) * seq + j]!));
        }
      }));
    });
    check.ok(worst < 1e-4, `the JSON's weights differ from the native run's by ${worst}`);
    await ui.log(`      web exports: json ${saved.json!.length} B, html ${saved.html!.length} B, svg ${saved.svg!.length} B, png ${png.length} B; JSON vs native max diff ${worst.toExponential(2)}`);
  });
});
