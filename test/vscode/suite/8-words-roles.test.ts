// Issue 10, items 2 and 3 in the real VS Code: prose is explained in whole words (a word the
// tokenizer splits is one unit in the headline, the panel and the editor), code in tokens; every
// head of the grid carries role badges, filterable; "Probe heads" labels the heads from the fixed
// probe input and the labels stay cached for the model. Runs after the suites that compare the
// explanation with a probe-less reference: the probe cache lives in this pass's globalState.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { tokenLabel } from '../../../src/shared/explain';
import { runRoles } from '../../../src/shared/headLabels';
import type { ProbeScores } from '../../../src/shared/headProbe';
import { ROLE_KINDS, roleContext, scoreStack } from '../../../src/shared/headRoles';
import type { ExplanationMessage } from '../../../src/shared/protocol';
import { groupTokens, groupWords } from '../../../src/shared/words';
import { probeInput } from '../../../src/commands/probeHeads';
import { loadModelFolder } from '../../../src/models/modelFolder';
import { referenceExplanation } from '../../support/referenceExplain';
import { ui } from '../driverClient';
import {
  Recorder, assertSameLine, closePanelTab, lensApi, modelFiles, nativeAttention, toRange, until,
} from './helpers';

// "elephant", "avenue" and "exhausted" are split by the bundled tokenizer (and most others).
const SENTENCE = "The elephant didn't cross the avenue because it was too exhausted.";
const CODE = 'const animal = findAnimal(street);\nif (animal.tired) rest(animal);\n';

/** Opens `content` as a new document of `language` and runs Explain with the cursor inside `word`. */
async function explainIn(language: string, content: string, word: string): Promise<{ doc: vscode.TextDocument; exp: ExplanationMessage }> {
  const api = await lensApi();
  const doc = await vscode.workspace.openTextDocument({ language, content });
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
  const cursor = doc.positionAt(content.indexOf(word) + 1);
  editor.selection = new vscode.Selection(cursor, cursor);
  // The palette may run the command twice on a slow machine: wait for the latest run's explanation.
  const rec = new Recorder(api);
  try {
    await ui.runCommand('Attention Lens: Explain attention here');
    const exp = await until('the explanation of the latest run', () => {
      const failed = rec.of('error')[0];
      if (failed) throw new Error(`the webview reported an error: ${failed.message}`);
      const run = api.lastRun();
      return run && run.documentUri === doc.uri.toString() ? rec.of('explanation', run.runId)[0] : undefined;
    }, 240_000);
    return { doc, exp };
  } finally {
    rec.dispose();
  }
}

/** A badge's tooltips in the panel's grid. */
const gridBadgeTitles = async (): Promise<string[]> =>
  (await ui.webviewEval('.grid .badge', 'Array.from(document.querySelectorAll(".grid .badge"), (b) => b.title)')) as string[];

describe(`Words and head roles (${process.env.ATTENTION_LENS_TEST_PASS} pass)`, () => {
  it('the headline names whole words: a word the tokenizer splits is one unit in the explanation, the panel and the editor', async () => {
    const api = await lensApi();
    const { doc, exp } = await explainIn('markdown', `${SENTENCE}\n`, ' it ');
    const run = api.lastRun();
    assert.ok(run && run.runId === exp.runId, 'the explanation is not for the latest run');
    const wordIds = run.message.wordIds;
    assert.ok(wordIds, 'the run carries no word ids');
    const g = groupWords(run.message.tokens, wordIds);
    const words = groupTokens(run.message.tokens, g);
    const split = g.units.map((u, k) => ({ ...u, k })).filter((u) => u.end - u.first > 1);
    assert.ok(split.length > 0, 'the tokenizer split no word of the sentence');

    // "it → elephant 31%, avenue 12% (itself 9%, <bos> 20%)": every name in the headline is a whole word of the text.
    assert.match(exp.lines[0], /In words: attention to a word is the sum over its tokens, from a word the mean over its tokens\./);
    const m = /^it → (.+?)(?: \((?:itself|<bos>) [^)]*\))?(?:; layer \d+ head \d+, [^:]+: .+)?$/.exec(exp.summary);
    assert.ok(m, `the headline is not "it → …": ${exp.summary}`);
    const names = m[1].split(', ').map((x) => x.replace(/ (<1|\d+)%$/, ''));
    const wordNames = new Set(words.map((w, i) => tokenLabel(w, i)));
    for (const n of names) assert.ok(wordNames.has(n), `"${n}" in "${exp.summary}" is not a whole word of the text (words: ${[...wordNames].join(' | ')})`);
    // … with the numbers of the model run natively, grouped into words the same way.
    const { dir, config } = modelFiles(api);
    const stack = await nativeAttention(dir, run.message.tokens.map((t) => t.id), config);
    const reference = referenceExplanation(run.message.tokens, stack, config, run.message.focus as number, { wordIds });
    assertSameLine(exp.summary, reference.summary);
    exp.lines.forEach((line, i) => assertSameLine(line, reference.lines[i]));
    await ui.log(`      ${exp.summary}`);

    // The panel's token view shows each split word as one unit.
    const shown = await ui.webviewText('.tokens .tok');
    assert.strictEqual(shown.length, words.length, 'the panel shows tokens, not words');
    for (const u of split) assert.ok(shown.includes(words[u.k].text), `the panel does not show "${words[u.k].text}" whole`);

    // Pinning a token of a split word pins the word: the editor outlines the whole word, and
    // every highlighted target is a whole word (the union of its tokens' ranges).
    const word = split[0];
    const union = (first: number, end: number): vscode.Range =>
      toRange(run.documentRanges[first]).union(toRange(run.documentRanges[end - 1]));
    assert.strictEqual(await api.pinToken(word.first + 1), true);
    const deco = await until('the split word outlined in the editor', () => {
      const d = api.decorations();
      return d && d.source && toRange(d.source).isEqual(union(word.first, word.end)) ? d : null;
    });
    assert.strictEqual(doc.getText(toRange(deco.source!)), words[word.k].text);
    const wordRanges = g.units.filter((u) => !run.message.tokens[u.first].special).map((u) => union(u.first, u.end));
    assert.ok(deco.targets.length > 0, 'nothing is highlighted');
    for (const t of deco.targets) {
      assert.ok(wordRanges.some((r) => r.isEqual(toRange(t.range))), `a highlight covers "${doc.getText(toRange(t.range))}", not a whole word`);
    }

    // Code stays in tokens: the headline starts with the token at the cursor, the panel shows tokens.
    const code = await explainIn('typescript', CODE, 'animal.tired');
    assert.doesNotMatch(code.exp.lines[0], /In words/);
    const codeRun = api.lastRun();
    assert.ok(codeRun && codeRun.runId === code.exp.runId && codeRun.message.focus !== null);
    const focus = codeRun.message.focus;
    assert.strictEqual(code.exp.summary.split(' → ')[0], tokenLabel(codeRun.message.tokens[focus], focus));
    assert.strictEqual((await ui.webviewText('.tokens .tok')).length, codeRun.message.tokens.length);
  });

  it('role badges are shown in the grid (tooltip: score and meaning), the named heads too, and a role filter picks its heads', async () => {
    const api = await lensApi();
    const { exp } = await explainIn('markdown', `${SENTENCE}\n`, ' it ');
    const { config } = modelFiles(api);
    await ui.waitWebview('.grid .badge');
    const badges = await ui.webviewText('.grid .badge');
    assert.ok(badges.length > 0, 'no role badge in the grid');
    const titles = await gridBadgeTitles();
    for (const t of titles) assert.match(t, /^(.+ \d\.\d\d on this text: .+|.+ head(, trained)?: named by the model's config\.json.*)/s);
    const pronoun = config.heads?.pronoun;
    if (pronoun) {
      const cell = await ui.webviewText(`#badges-${pronoun[0]}-${pronoun[1]} .badge`);
      assert.match(cell[0] ?? '', /^pronoun/, `the pronoun head's cell shows ${JSON.stringify(cell)}`);
    }
    // Every head the explanation cites is named with its role.
    const cited = exp.lines.find((l) => l.startsWith('Heads with the most weight')) ?? '';
    assert.match(cited, /^Heads with the most weight on "[^"]+": (layer \d+ head \d+, [^;:]+: (<1|\d+)%(; |$)){3}/);

    // The filter: pick the first badge's role; exactly the heads with that role are marked.
    const kind = String(await ui.webviewEval('.grid .badge', 'document.querySelector(".grid .badge").dataset.role'));
    const picked = (await ui.webviewEval('.grid .badge', `(() => {
      const s = document.querySelector('.role-select');
      s.value = ${JSON.stringify(kind)};
      s.dispatchEvent(new Event('change'));
      const withRole = Array.from(document.querySelectorAll('.cell-box')).filter((b) => b.querySelector('.badge[data-role=${JSON.stringify(kind)}]') !== null).length;
      return { match: document.querySelectorAll('.cell-box.match').length, dim: document.querySelectorAll('.cell-box.dim').length, withRole };
    })()`)) as { match: number; dim: number; withRole: number };
    assert.ok(picked.match > 0, `no head marked for ${kind}`);
    assert.ok(picked.match >= picked.withRole, `${picked.match} heads marked, ${picked.withRole} show the badge`);
    assert.strictEqual(picked.match + picked.dim, config.num_layers * config.num_heads);
    await ui.screenshot(`panel-words-roles-${process.env.ATTENTION_LENS_TEST_PASS}`, { webview: '.grid' });
  });

  it('"Probe heads" labels the heads from the fixed probe input, with the model\'s numbers, and caches them for the model', async () => {
    const api = await lensApi();
    const before = api.messagesShown();
    await ui.runCommand('Attention Lens: Probe heads');
    // Success or failure, the command ends with a message about the probe: fail on the first one.
    const note = await until('the probe\'s notification', () => api.messagesSince(before).find((m) => /probed? (the )?heads|probed the \d+ heads/.test(m.text)), 240_000);
    assert.match(note.text, /probed the \d+ heads/);
    assert.strictEqual(note.severity, 'info', note.text);
    await ui.waitWebview('.role-source[data-source="probe"]');

    // The scores are the model's: the same probe run natively scores the same.
    const scores = await vscode.commands.executeCommand<ProbeScores>('attentionLens.probeHeads');
    assert.ok(scores, 'the command returned no scores');
    const model = api.model();
    assert.ok(model);
    const folder = await loadModelFolder(model.dir, model.bundled);
    const probe = probeInput(folder);
    const { config } = folder;
    const native = scoreStack(await nativeAttention(model.dir, probe.map((t) => t.id), config), roleContext(probe, config.architecture === 'causal'));
    assert.strictEqual(scores.length, config.num_layers);
    scores.forEach((row, l) => row.forEach((s, h) => {
      // Induction needs repetition: the probe shows it for every head.
      assert.ok(s.induction !== null && s.duplicate !== null, `layer ${l + 1} head ${h + 1}: no induction score`);
      for (const k of ROLE_KINDS) {
        const a = s[k];
        const b = native[l][h][k];
        assert.ok((a === null) === (b === null) && Math.abs((a ?? 0) - (b ?? 0)) < 0.01, `layer ${l + 1} head ${h + 1} ${k}: ${a} in the panel, ${b} natively`);
      }
    }));

    // Cached: a new panel labels the heads from the probe at once, and the explanation cites them.
    await closePanelTab();
    const { exp } = await explainIn('markdown', `${SENTENCE}\n`, ' it ');
    await ui.waitWebview('.role-source[data-source="probe"]');
    const run = api.lastRun();
    assert.ok(run && run.runId === exp.runId);
    const stack = await nativeAttention(model.dir, run.message.tokens.map((t) => t.id), config);
    const reference = referenceExplanation(run.message.tokens, stack, config, run.message.focus as number, { wordIds: run.message.wordIds, probe: scores });
    exp.lines.forEach((line, i) => assertSameLine(line, reference.lines[i]));
    const titles = await gridBadgeTitles();
    const fromProbe = titles.filter((t) => / on the probe input: /.test(t));
    // Where the probe's scores alone earn a head a role, some badge says it comes from the probe.
    const probeLabelled = runRoles(scores, null, {}).labels.some((row) => row.some((ls) => ls.length > 0));
    if (probeLabelled) assert.ok(fromProbe.length > 0, `no badge from the probe: ${titles.join(' | ')}`);
    await ui.log(`      probe: ${note.text}`);
  });
});
