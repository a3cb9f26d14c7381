// The web (browser worker) build of the extension host, built by esbuild.js into dist/web/extension.js (issue 21).
// Each src/env/node/X import is swapped for src/env/browser/X, so a new Node-only piece needs only its twin; any
// Node built-in left in the graph fails the build.
const path = require('path');
const fs = require('fs');
const { builtinModules } = require('module');

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Redirects every import that resolves into src/env/node/ to the same name under src/env/browser/. */
function envSwapPlugin(srcRoot) {
  const nodeDir = path.join(srcRoot, 'env', 'node') + path.sep;
  return {
    name: 'env-node-to-browser',
    setup(build) {
      build.onResolve({ filter: /env\/node\// }, (args) => {
        const target = path.resolve(args.resolveDir, args.path);
        if (!target.startsWith(nodeDir)) return undefined;
        const twin = path.join(srcRoot, 'env', 'browser', target.slice(nodeDir.length));
        const file = ['.ts', '/index.ts'].map((ext) => twin + ext).find((f) => fs.existsSync(f));
        if (!file) return { errors: [{ text: `no browser twin for ${args.path} (expected ${twin}.ts)` }] };
        return { path: file };
      });
      build.onResolve({ filter: /.*/ }, (args) =>
        builtins.has(args.path)
          ? { errors: [{ text: `Node built-in "${args.path}" imported by ${args.importer} in the web build` }] }
          : undefined,
      );
    },
  };
}

/** esbuild options for dist/web/extension.js: one CommonJS file, only `vscode` external. */
function webHostOptions(root, production) {
  return {
    entryPoints: [path.join(root, 'src', 'extension.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    mainFields: ['browser', 'module', 'main'],
    outfile: path.join(root, 'dist', 'web', 'extension.js'),
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    logLevel: 'warning',
    plugins: [envSwapPlugin(path.join(root, 'src'))],
  };
}

module.exports = { envSwapPlugin, webHostOptions };
