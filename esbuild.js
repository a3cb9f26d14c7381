// Bundles the extension host (Node, CommonJS) and the webview (browser, ESM), and copies the
// onnxruntime-web runtime files the webview loads through asWebviewUri (nothing from a CDN).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const ORT_FILES = ['ort-wasm-simd-threaded.jsep.wasm', 'ort-wasm-simd-threaded.jsep.mjs'];

function copyRuntime() {
  const out = path.join(__dirname, 'dist', 'webview');
  fs.mkdirSync(out, { recursive: true });
  for (const f of ORT_FILES) {
    // the package exports each runtime file by its bare name (./dist/... is not exported)
    fs.copyFileSync(require.resolve(`onnxruntime-web/${f}`, { paths: [__dirname] }), path.join(out, f));
  }
}

async function main() {
  const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info' };
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
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview/main.js',
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    // onnxruntime-web imports its .mjs glue dynamically; the files sit beside the bundle
    external: ['./ort-wasm-simd-threaded.jsep.mjs'],
  });
  copyRuntime();
  if (watch) {
    await Promise.all([host.watch(), webview.watch()]);
  } else {
    await Promise.all([host.rebuild(), webview.rebuild()]);
    await Promise.all([host.dispose(), webview.dispose()]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
