// Builds the web pass's test bundle (test/vscode/web/index.ts and suite-web/) for the browser worker
// extension host: one CommonJS file requiring only `vscode`, with the driver's address baked in. It
// lies inside the extension's folder so VS Code runs the tests in the host the extension runs in.
import * as esbuild from 'esbuild';
import * as path from 'path';
import type { WebTestEnv } from '../web/webTestEnv';

export async function buildWebTests(repo: string, outfile: string, env: WebTestEnv): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(repo, 'test', 'vscode', 'web', 'index.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    target: 'chrome120',
    external: ['vscode'],
    // assert (Node's) is bundled from the npm package `assert` where present; else the build fails here, loudly.
    define: { __ATTENTION_LENS_WEB_TEST__: JSON.stringify(env) },
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}
