// The layering rules (.dependency-cruiser.cjs) hold for the real tree, and each rule catches the
// import it forbids in a small tree made here (so a rule that matches nothing fails this test).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const CRUISER = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation { rule: { name: string }; from: string; to: string }

function cruise(cwd: string, dirs: string[]): { violations: Violation[]; status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [CRUISER, ...dirs, '--config', CONFIG, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const out = r.stdout ? JSON.parse(r.stdout) as { summary: { violations: Violation[] } } : null;
  return { violations: out?.summary.violations ?? [], status: r.status, stderr: r.stderr };
}

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

describe('layering rules (dependency-cruiser)', function () {
  this.timeout(120_000);

  it('the product tree breaks none of them', () => {
    const r = cruise(ROOT, ['src', 'webview']);
    assert.strictEqual(r.status, 0, `dependency-cruiser failed: ${r.stderr}`);
    assert.deepStrictEqual(r.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`), []);
  });

  it('each rule catches the import it forbids', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-lens-layers-'));
    try {
      writeTree(dir, {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }),
        'src/shared/leaf.ts': 'export const leaf = 1;\n',
        'src/shared/reachesOut.ts': "import { step } from '../run/step';\nexport const x = step;\n",
        'src/run/step.ts': "import * as fs from 'fs';\nimport { helper } from '../../test/helper';\nexport const step = fs.existsSync('.') ? helper : 0;\n",
        'src/run/ping.ts': "import { pong } from './pong';\nexport const ping = (): number => pong();\n",
        'src/run/pong.ts': "import { ping } from './ping';\nexport const pong = (): number => ping();\n",
        'src/models/reader.ts': "import * as fs from 'fs';\nexport const read = fs.readFileSync;\n",
        'src/env/node/files.ts': "import * as fs from 'fs';\nexport const read = fs.readFileSync;\n",
        'webview/page.ts': "import { leaf } from '../src/shared/leaf';\nimport { step } from '../src/run/step';\nimport * as vscode from 'vscode';\nimport { gone } from './missing';\nexport const page = [leaf, step, vscode, gone];\n",
        'test/helper.ts': 'export const helper = 2;\n',
      });
      const found = new Set(cruise(dir, ['src', 'webview']).violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`));
      const expected = [
        'shared-stays-shared: src/shared/reachesOut.ts → src/run/step.ts',
        'webview-takes-only-shared: webview/page.ts → src/run/step.ts',
        'webview-no-vscode: webview/page.ts → vscode',
        'product-not-tests: src/run/step.ts → test/helper.ts',
        'web-ready-no-node: src/run/step.ts → fs',
        'web-ready-no-node: src/models/reader.ts → fs',
        'not-to-unresolvable: webview/page.ts → ./missing',
      ];
      for (const e of expected) assert.ok(found.has(e), `not caught: ${e}\nfound: ${[...found].join('\n')}`);
      assert.ok([...found].some((f) => f.startsWith('no-circular: src/run/p')), `the ping/pong circle is not caught: ${[...found].join('\n')}`);
      // Only the Node host's twins (src/env/node/) may use Node; the web build swaps them for src/env/browser/.
      assert.ok(![...found].some((f) => f.startsWith('web-ready-no-node: src/env/node/')), 'src/env/node is held to the web rule');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
