// "Choose model…" in the web pass, picked in its quick pick as a user does: the other bundled model,
// then Browse… and a model folder inside the open workspace (the launcher put a copy of the bundled
// decoder there under another name: a web host reads model folders only through the workspace).
// Each choice is written to the user settings, and the next Explain runs on it.
import * as vscode from 'vscode';
import { WEB_WORKSPACE_MODEL } from '../driverProtocol';
import { check } from '../web/check';
import { ui } from '../web/fetchDriver';
import { explainIt, lensApi, until } from './webHelpers';

const CHOOSE = 'attentionLens.chooseModel';
const settings = () => vscode.workspace.getConfiguration('attentionLens');
type Chosen = { modelPath: string; bundled: string } | undefined;

/** The command, not awaited: its quick pick stays open for the driver to click in. */
const choose = () => Promise.resolve(vscode.commands.executeCommand<Chosen>(CHOOSE));

describe('Choose model… (web pass)', () => {
  after(async () => {
    // Back to the bundled models for whatever runs next.
    await vscode.commands.executeCommand(CHOOSE, '');
    await until('the bundled models again', () => settings().inspect('modelPath')?.globalValue === undefined && settings().inspect('bundledModel')?.globalValue === undefined);
  });

  it('picking the bundled decoder writes bundledModel, and prose then runs on the decoder', async () => {
    const api = await lensApi();
    // Prose on the encoder first (the chooser lists the encoder once the host has found it).
    await explainIt(api);
    check.match(api.model()?.dir ?? '', /\/models\/encoder$/, 'the encoder\'s folder');
    const picked = choose();
    await ui.pickQuickItem('Bundled decoder');
    check.sameJson(await picked, { modelPath: '', bundled: 'decoder' }, 'what Choose model… wrote');
    check.equal(settings().inspect<string>('bundledModel')?.globalValue, 'decoder');
    await explainIt(api);
    const model = api.model();
    check.ok(model?.bundled, `not a bundled model: ${model?.dir} (${api.lastError() ?? 'no error'})`);
    check.match(model.dir, /\/models\/default$/, 'the decoder\'s folder');

    // And back: "Bundled models" is auto again, prose on the encoder.
    const auto = choose();
    await ui.pickQuickItem('Bundled models');
    check.sameJson(await auto, { modelPath: '', bundled: 'auto' }, 'what Choose model… wrote');
    check.equal(settings().inspect<string>('bundledModel')?.globalValue, undefined);
    await explainIt(api);
    check.match(api.model()?.dir ?? '', /\/models\/encoder$/, 'the encoder\'s folder');
  });

  it('Browse… to a model folder in the workspace: its Uri is the modelPath, and Explain runs on it', async () => {
    const api = await lensApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    check.ok(folder, 'no workspace folder is open');
    const modelDir = vscode.Uri.joinPath(folder.uri, WEB_WORKSPACE_MODEL.folder);
    const picked = choose();
    await ui.pickQuickItem('Browse…');
    // code-server's own dialog (a quick input over the remote file system): the folder's path, Enter (with the slash: the folder itself, not a name in it).
    await ui.typeInput(`${modelDir.path}/`);
    const chosen = await picked;
    check.ok(chosen, `Choose model… wrote nothing (${api.lastError() ?? 'no error'})`);
    check.equal(chosen.modelPath, modelDir.toString(), 'the chosen folder');
    check.equal(settings().inspect<string>('modelPath')?.globalValue, modelDir.toString());

    const res = await explainIt(api);
    const model = api.model();
    check.ok(model && !model.bundled, `the bundled model ran instead (${api.lastError() ?? 'no error'})`);
    check.equal(model.dir, modelDir.toString());
    check.equal(model.name, WEB_WORKSPACE_MODEL.name);
    check.equal(res.backend, 'wasm');
    check.match((await ui.waitWebview('header h1')) ?? '', new RegExp(WEB_WORKSPACE_MODEL.name.replace(/[()]/g, '\\$&')), 'the panel\'s title');
    check.equal(api.lastRun()?.message.tokens[api.lastRun()?.message.focus ?? 0]?.text.trim(), 'it');
  });
});
