// Compiles the benchmark runner into out/ with the same layout tsc gives (out/bench/run.js,
// out/src/..., out/test/browser/...), so modules that find the repository from their own folder
// (the browser test harness) work unchanged. esbuild rather than tsc: it takes a second, which
// matters for `npm run bench -- --quick` (under 60 s in all); types are checked by
// `npm run typecheck` (tsconfig.json includes bench/).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');

function tsFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

// test/vscode's launcher and driver: the bench opens the real VS Code with them (bench/vscode/).
const vscodeLauncher = [...tsFiles('test/vscode/launcher'), 'test/vscode/driverProtocol.ts', 'test/vscode/driverClient.ts', 'test/support/hubServer.ts'];
// test/fixtures: the 124 M-parameter model of the big-model rows is built with it (bench/bigModel.ts).
const fixtures = tsFiles('test/fixtures');
const entryPoints = [...tsFiles('bench'), ...tsFiles('src'), ...tsFiles('test/browser'), ...vscodeLauncher, ...fixtures, 'webview/modelGraph.ts']
  // bench/page/ holds browser code, bundled by the runner when it needs it
  .filter((f) => !f.startsWith(path.join('bench', 'page') + path.sep));

const node = esbuild.build({
  entryPoints: entryPoints.map((f) => path.join(root, f)),
  outdir: path.join(root, 'out'),
  outbase: root,
  bundle: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});

// The rendering bench page: the webview's components bundled for the browser, as esbuild.js
// bundles the webview itself (onnxruntime-web's .mjs glue is loaded from dist/webview/).
const page = esbuild.build({
  entryPoints: [path.join(root, 'bench', 'page', 'render.ts')],
  outfile: path.join(root, 'out', 'bench-page', 'render.js'),
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'chrome120',
  sourcemap: true,
  external: ['./ort-wasm-simd-threaded.jsep.mjs', './ort-wasm-simd-threaded.mjs'],
  logLevel: 'warning',
});

Promise.all([node, page])
  .then(() => fs.copyFileSync(path.join(root, 'bench', 'page', 'render.html'), path.join(root, 'out', 'bench-page', 'render.html')))
  .catch(() => process.exit(1));
