// Issue 19 in an untrusted workspace (after untrusted.test, which needs the bundled model): Download
// model… writes only the user's Hugging Face cache and user settings, so it works here, and the
// downloaded model is what Explain runs (the workspace's own modelPath stays ignored). The local Hub
// is started in this extension host and reached through HF_ENDPOINT.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Downloaded } from '../../../src/commands/target';
import type { ResultMessage, ToHost } from '../../../src/shared/protocol';
import { HubServer } from '../../support/hubServer';
import { testRepos } from '../../support/hubRepos';
import { lensApi, nextMessage, openSample } from '../suite/helpers';

describe('Download model… in an untrusted workspace (untrusted pass)', function () {
  this.timeout(240_000);
  it('downloads into the user\'s cache, sets the user\'s modelPath, and Explain runs the downloaded model', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const repos = testRepos();
    const server = await HubServer.start([repos.bert]);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-untrusted-hubcache-'));
    process.env.HF_ENDPOINT = server.hubUrl;
    process.env.HF_HUB_CACHE = cache;
    const settings = () => vscode.workspace.getConfiguration('attentionLens');
    try {
      const api = await lensApi();
      const done = await vscode.commands.executeCommand<Downloaded | undefined>('attentionLens.downloadModel', { repo: 'test-org/tiny-bert', variant: 'fp32' });
      assert.ok(done, `nothing was downloaded: ${JSON.stringify(api.messages().slice(-2))}`);
      assert.strictEqual(done.dtype, 'fp32');
      assert.ok(done.modelPath.startsWith(cache) && fs.existsSync(done.modelPath));
      assert.strictEqual(settings().inspect<string>('modelPath')?.globalValue, done.modelPath);
      const editor = await openSample('story.md');
      const at = editor.document.getText().indexOf(' it was too tired') + 2;
      editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at));
      const result = nextMessage(api, 'a result', (m: ToHost): m is ResultMessage => m.type === 'result');
      await vscode.commands.executeCommand('attentionLens.explainHere');
      await result;
      const model = api.model();
      assert.ok(model && !model.bundled && model.dir.startsWith(cache), `ran ${JSON.stringify(model)}`);
    } finally {
      delete process.env.HF_ENDPOINT;
      delete process.env.HF_HUB_CACHE;
      await settings().update('modelPath', undefined, vscode.ConfigurationTarget.Global);
      await server.close();
      fs.rmSync(cache, { recursive: true, force: true });
      fs.rmSync(repos.dir, { recursive: true, force: true });
    }
  });
});
