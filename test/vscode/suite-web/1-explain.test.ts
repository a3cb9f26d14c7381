// The web pass: the extension in code-server's browser worker extension host (its dist/web bundle),
// explaining "it" on each bundled model. The model is found and read through vscode.workspace.fs by
// Uri; the explanation must equal the one computed from the same model run natively on the same ids
// (by the launcher: a worker has no native runtime).
import * as vscode from 'vscode';
import { makeStack } from '../../../src/shared/attention';
import type { ExplanationMessage, ResultMessage, ToHost } from '../../../src/shared/protocol';
import { referenceExplanation } from '../../support/referenceExplain';
import { check } from '../web/check';
import { ui } from '../web/fetchDriver';
import { BundledKind, closePanelTab, lensApi, modelConfig, nextMessage, openSample, sameLine, SENTENCE, until, useBundled } from './webHelpers';

const ARCHITECTURE = { encoder: 'bidirectional', decoder: 'causal' } as const;

describe('Explain attention here (web pass: browser worker extension host)', () => {
  it('runs in a browser worker, not in Node', async () => {
    await lensApi();
    const scope = globalThis as { importScripts?: unknown; process?: { versions?: { node?: string } } };
    check.equal(typeof scope.importScripts, 'function', 'not a worker');
    check.equal(scope.process?.versions?.node, undefined, 'Node is here');
  });

  afterEach(async () => {
    const api = await lensApi();
    await useBundled(api, undefined);
    if (api.stats().panels > 0) {
      await closePanelTab();
      await until('the panel to close', () => api.stats().panels === 0);
    }
  });

  for (const kind of ['encoder', 'decoder'] as BundledKind[]) {
    it(`explains "it" with the model's own numbers, the model read by Uri (bundled ${kind})`, async () => {
      const api = await lensApi();
      await useBundled(api, kind);
      const editor = await openSample('story.md');
      const doc = editor.document;
      const at = doc.getText().indexOf(SENTENCE);
      check.ok(at >= 0, 'story.md lost the seeds\' sentence');
      const cursor = doc.positionAt(at + SENTENCE.indexOf(' it ') + 2);
      editor.selection = new vscode.Selection(cursor, cursor);
      const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
      const explanation = nextMessage(api, 'an explanation', (m: ToHost): m is ExplanationMessage => m.type === 'explanation');
      await ui.runCommand('Attention Lens: Explain attention here');
      const [res, exp] = await Promise.all([result, explanation]);
      const run = api.lastRun();
      check.ok(run && run.runId === res.runId && exp.runId === run.runId, 'the result is not the last run\'s');

      // The bundled model, found by Uri (the browser twins: a Node host would give a path).
      const model = api.model();
      check.ok(model?.bundled, `not a bundled model: ${model?.dir} (${api.lastError() ?? 'no error'})`);
      check.match(model.dir, new RegExp(`^vscode-remote://[^/]+/.*/models/${kind === 'encoder' ? 'encoder' : 'default'}$`));
      const config = await modelConfig(model.dir);
      check.equal(config.architecture, ARCHITECTURE[kind]);

      const focus = run.message.focus;
      check.ok(focus !== null, 'the run has no focus token');
      check.equal(run.message.tokens[focus].text.trim(), 'it');
      check.equal(res.backend, 'wasm');
      const facts = await ui.waitWebview('.facts[data-backend]') ?? '';
      check.match(facts, /Backend: WASM \(not WebGPU: [^)]+\)/);
      // code-server's webviews are not cross-origin isolated: one thread, and the header says how to get more.
      check.match(facts, /1 WASM thread \(the panel is not cross-origin isolated: vscode\.dev\/\?vscode-coi=on/);

      // The same lines as the model run natively on the same ids, in words, and the panel shows them.
      const ids = run.message.tokens.map((t) => t.id);
      const plain = await ui.nativeAttention(model.dir, ids, config.num_layers, config.num_heads);
      const stack = makeStack(plain.layers.map((l) => Float32Array.from(l)), plain.heads, plain.seq);
      const reference = referenceExplanation(run.message.tokens, stack, config, focus, { wordIds: run.message.wordIds, languageId: run.message.source.languageId });
      sameLine(exp.summary, reference.summary);
      check.equal(exp.lines.length, reference.lines.length, 'explanation lines');
      exp.lines.forEach((line, i) => sameLine(line, reference.lines[i]));
      check.sameJson(await ui.webviewText('.explain li'), exp.lines, 'the panel shows other lines');
      await ui.log(`      web ${kind}: ${exp.summary}`);
    });
  }

  it('a disk path typed into modelPath is refused, saying what to do, and the bundled model runs', async () => {
    const api = await lensApi();
    const lens = () => vscode.workspace.getConfiguration('attentionLens');
    await lens().update('modelPath', '/home/someone/models/gpt2', vscode.ConfigurationTarget.Global);
    try {
      await until('modelPath to be set', () => lens().get<string>('modelPath') === '/home/someone/models/gpt2');
      const editor = await openSample('story.md');
      const cursor = editor.document.positionAt(editor.document.getText().indexOf(SENTENCE) + 4);
      editor.selection = new vscode.Selection(cursor, cursor);
      const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
      await ui.runCommand('Attention Lens: Explain attention here');
      await result;
      check.ok(api.model()?.bundled, `not the bundled model: ${api.model()?.dir}`);
      const warning = api.messages().find((m) => m.severity === 'warning' && m.text.includes('/home/someone/models/gpt2'));
      check.ok(warning, `no warning names the path: ${JSON.stringify(api.messages())}`);
      check.match(warning.text, /VS Code for the Web cannot read; open the model's folder in the workspace and choose it with "Attention Lens: Choose model…"/);
      check.match(warning.text, /Using the bundled model instead/);
    } finally {
      await lens().update('modelPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
