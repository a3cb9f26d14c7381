// Bundles the benchmark runner (Node) into out/bench/. esbuild rather than tsc: it takes a
// second, which matters for `npm run bench -- --quick` (under 60 s in all). Types are checked by
// `npm run typecheck` (tsconfig.json includes bench/).
const esbuild = require('esbuild');
const path = require('path');

const root = path.join(__dirname, '..');

esbuild
  .build({
    entryPoints: [path.join(root, 'bench', 'run.ts')],
    outfile: path.join(root, 'out', 'bench', 'run.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    // onnxruntime-node's native binding, playwright-core and the tokenizer load from node_modules.
    packages: 'external',
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));
