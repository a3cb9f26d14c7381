// The web host's build (scripts/webHostBuild.js, run by esbuild.js into dist/web/extension.js):
// the real host bundles for the browser with only `vscode` left to require and the browser twins in
// it; a Node built-in or a twin that is missing fails the build.
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
const { webHostOptions } = require(path.join(ROOT, 'scripts', 'webHostBuild.js')) as { webHostOptions(root: string, production: boolean): esbuild.BuildOptions };

async function build(root: string): Promise<{ text?: string; errors: string[] }> {
  try {
    const r = await esbuild.build({ ...webHostOptions(root, false), write: false, sourcemap: false, logLevel: 'silent' });
    return { text: r.outputFiles?.find((f) => f.path.endsWith('.js'))?.text, errors: [] };
  } catch (e) {
    return { errors: ((e as esbuild.BuildFailure).errors ?? []).map((m) => m.text) };
  }
}

describe('web host build (dist/web/extension.js)', function () {
  this.timeout(120_000);

  it('bundles the real host with only vscode required, and the browser twins in place of the Node ones', async () => {
    const { text, errors } = await build(ROOT);
    assert.deepStrictEqual(errors, []);
    assert.ok(text);
    const required = new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
    assert.deepStrictEqual([...required], ['vscode']);
    assert.ok(text.includes('VS Code for the Web cannot read'), 'the browser ModelFs is not in the bundle');
    assert.ok(text.includes('PARTS = ".parts"'), 'the browser Hub files (parts, not append) are not in the bundle');
    assert.ok(/HUB_REDIRECTS\w* = "browser"/.test(text), 'the browser\'s own redirects are not in the bundle');
    assert.ok(!/\bfs\.promises\b|\bcreateReadStream\b/.test(text), 'Node file access in the web bundle');
  });

  it('fails on a Node built-in outside src/env/node and on a Node piece without its browser twin', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-webbuild-'));
    try {
      const write = (name: string, text: string): void => {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      };
      write('src/env/node/files.ts', "export const where = 'node';\n");
      write('src/env/node/lonely.ts', "export const lonely = 1;\n");
      write('src/env/browser/files.ts', "export const where = 'browser';\n");
      write('src/extension.ts', "import * as os from 'os';\nimport { where } from './env/node/files';\nexport const x = [os, where];\n");
      const withBuiltin = await build(dir);
      assert.ok(withBuiltin.errors.some((e) => /Node built-in "os" imported by .*src\/extension\.ts in the web build/.test(e)), withBuiltin.errors.join('\n'));

      write('src/extension.ts', "import { where } from './env/node/files';\nimport { lonely } from './env/node/lonely';\nexport const x = [where, lonely];\n");
      const noTwin = await build(dir);
      assert.ok(noTwin.errors.some((e) => /no browser twin for \.\/env\/node\/lonely/.test(e)), noTwin.errors.join('\n'));

      write('src/extension.ts', "import { where } from './env/node/files';\nexport const x = where;\n");
      const ok = await build(dir);
      assert.deepStrictEqual(ok.errors, []);
      assert.ok(ok.text?.includes('"browser"') && !ok.text.includes('"node"'), 'the twin was not swapped in');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
