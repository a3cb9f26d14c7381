// Bundles the extension host (Node, CommonJS) and the webview (browser, ESM), and copies the
// onnxruntime-web runtime files the webview loads through asWebviewUri (nothing from a CDN).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');
const { webHostOptions } = require('./scripts/webHostBuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// The two runtimes the page may load (webview/runtime.ts): the plain WASM one (14 MB) when WebGPU
// will not be used, the WebGPU-capable .jsep one (28 MB) when it will. Nothing else ships.
const ORT_FILES = [
  'ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.jsep.wasm', 'ort-wasm-simd-threaded.jsep.mjs',
];

function copyRuntime() {
  const out = path.join(__dirname, 'dist', 'webview');
  fs.mkdirSync(out, { recursive: true });
  // A runtime file from an earlier build that no longer ships would still be packaged.
  for (const f of fs.readdirSync(out)) {
    if (/^ort-wasm/.test(f) && !ORT_FILES.includes(f)) fs.rmSync(path.join(out, f));
  }
  for (const f of ORT_FILES) {
    // the package exports each runtime file by its bare name (./dist/... is not exported)
    fs.copyFileSync(require.resolve(`onnxruntime-web/${f}`, { paths: [__dirname] }), path.join(out, f));
  }
}

/** Chunks of earlier builds (their names carry a content hash) would otherwise be packaged too. */
function removeStaleChunks(metafile) {
  const dir = path.join(__dirname, 'dist', 'webview');
  const current = new Set(Object.keys(metafile.outputs).map((f) => path.resolve(__dirname, f)));
  for (const f of fs.readdirSync(dir)) {
    const file = path.join(dir, f);
    if (/\.js(\.map)?$/.test(f) && !current.has(file)) fs.rmSync(file);
  }
}

/**
 * SHA-256 of each runtime's .wasm, baked into both bundles: the page caches a runtime in its
 * IndexedDB under this key (webview/runtimeCache.ts), so a new build never reads an old one.
 */
function runtimeHashes() {
  const hash = (f) => require('crypto').createHash('sha256')
    .update(fs.readFileSync(require.resolve(`onnxruntime-web/${f}`, { paths: [__dirname] }))).digest('hex');
  return { wasm: hash('ort-wasm-simd-threaded.wasm'), webgpu: hash('ort-wasm-simd-threaded.jsep.wasm') };
}

async function main() {
  const define = { __ORT_RUNTIME_SHA256__: JSON.stringify(runtimeHashes()) };
  const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', define };
  const host = await esbuild.context({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  });
  const webview = await esbuild.context({
    ...common,
    entryPoints: { main: 'webview/main.ts' },
    outdir: 'dist/webview',
    // Each onnxruntime-web build is its own chunk (chunk-*.js), imported only when used.
    splitting: true,
    chunkNames: '[name]-[hash]',
    metafile: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    // onnxruntime-web imports its .mjs glue dynamically; the files sit beside the bundle
    external: ['./ort-wasm-simd-threaded.jsep.mjs', './ort-wasm-simd-threaded.mjs'],
  });
  // The same host for VS Code for the Web's browser worker (package.json "browser"): src/env/node/X
  // swapped for src/env/browser/X, and any Node built-in left in it fails the build.
  const web = await esbuild.context({ ...webHostOptions(__dirname, production), define, target: 'chrome120', logLevel: 'info' });
  copyRuntime();
  if (watch) {
    await Promise.all([host.watch(), webview.watch(), web.watch()]);
  } else {
    const [, built] = await Promise.all([host.rebuild(), webview.rebuild(), web.rebuild()]);
    removeStaleChunks(built.metafile);
    await Promise.all([host.dispose(), webview.dispose(), web.dispose()]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
