// Issue 6, workspace trust: in a workspace that is not trusted, a model path from the workspace's
// settings is not loaded, the user is told why, and the bundled model still works. runTests.js
// starts this pass with trust on and a .vscode/settings.json whose attentionLens.modelPath points
// at a workable model under another name (UNTRUSTED_MODEL_NAME), so loading it would show.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ResultMessage, ToHost } from '../../../src/shared/protocol';
import { UNTRUSTED_MODEL_NAME } from '../driverProtocol';
import { EXTENSION_ID, lensApi, nextMessage, openSample } from '../suite/helpers';

describe('Untrusted workspace (untrusted pass)', () => {
  it('ignores the workspace\'s attentionLens.modelPath, says why, and runs the bundled model', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'this pass must open the folder untrusted, or it shows nothing');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    // The workspace really asks for a model that exists and would load.
    const settings = JSON.parse(fs.readFileSync(path.join(folder.uri.fsPath, '.vscode', 'settings.json'), 'utf8')) as Record<string, string>;
    const asked = settings['attentionLens.modelPath'];
    assert.ok(asked && fs.existsSync(path.join(asked, 'model.onnx')), 'the workspace settings do not point at a model folder');
    const askedName = (JSON.parse(fs.readFileSync(path.join(asked, 'config.json'), 'utf8')) as { name: string }).name;
    assert.strictEqual(askedName, UNTRUSTED_MODEL_NAME);

    const api = await lensApi();
    const editor = await openSample('story.md');
    const at = editor.document.getText().indexOf(' it was too tired') + 2;
    assert.ok(at > 1, 'story.md lost its sentence');
    editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at));
    const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
    const runId = await vscode.commands.executeCommand<number | undefined>('attentionLens.explainHere');
    assert.ok(runId, 'no run started');
    const res = await result;
    assert.strictEqual(res.runId, runId);

    // The bundled model ran, not the workspace's.
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    // The bundled model for story.md (src/models/routing.ts): prose goes to the encoder where one is bundled.
    const encoder = path.join(ext.extensionPath, 'models', 'encoder');
    const bundledDir = fs.existsSync(path.join(encoder, 'model.onnx')) ? encoder : path.join(ext.extensionPath, 'models', 'default');
    const bundledName = (JSON.parse(fs.readFileSync(path.join(bundledDir, 'config.json'), 'utf8')) as { name: string }).name;
    const model = api.model();
    assert.ok(model, 'no model reported');
    assert.strictEqual(model.bundled, true, `the workspace's model was loaded: ${JSON.stringify(model)}`);
    assert.strictEqual(model.name, bundledName);
    assert.notStrictEqual(path.resolve(model.dir), path.resolve(asked));

    // The user was told why.
    const told = api.messages().find((m) => m.severity === 'warning' && /not trusted/.test(m.text) && m.text.includes('attentionLens.modelPath'));
    assert.ok(told, `no message says the workspace's modelPath is ignored; shown: ${JSON.stringify(api.messages())}`);
    assert.match(told.text, /bundled model/);
  });
});
