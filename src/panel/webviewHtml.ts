// The panel's HTML: one module script and one stylesheet, both from the extension's own folders,
// under a strict Content-Security-Policy with a fresh nonce for every load.

export interface PageResources {
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri of dist/webview/main.js */
  scriptUri: string;
  /** asWebviewUri of media/panel.css */
  styleUri: string;
  nonce: string;
  /**
   * The host answers the page's runtimeRequest with the runtime's bytes (src/panel/runtimeSender.ts):
   * the page waits a while for them before fetching the .wasm itself.
   */
  runtimeByMessage?: boolean;
}

export function makeNonce(): string {
  // Web Crypto: the same in Node's extension host and a browser worker's.
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/[^A-Za-z0-9]/g, '');
}

/**
 * The policy: nothing by default; images, styles, fonts and fetches (the model and the .wasm)
 * only from the webview's resource origin; scripts only with the nonce; workers only from the
 * resource origin or blob: (onnxruntime's WASM threads); WebAssembly compilation
 * allowed ('wasm-unsafe-eval', which onnxruntime-web needs) but not eval.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `connect-src ${cspSource}`,
    `font-src ${cspSource}`,
    // WASM threads (only where the page is cross-origin isolated): onnxruntime starts its workers
    // from its own .mjs in dist/webview, or from a blob: copy of it when that is cross-origin.
    `worker-src ${cspSource} blob:`,
  ].join('; ');
}

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The page. The nonce is also given to the script as data-nonce on #app, so styles it creates at
 * run time can carry it (style-src allows only the nonce and the resource origin); data-runtime
 * says the runtime comes by message.
 */
export function webviewHtml(r: PageResources): string {
  if (!/^[A-Za-z0-9]+$/.test(r.nonce)) throw new Error('nonce must be alphanumeric');
  const n = r.nonce;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(r.cspSource, n))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(r.styleUri)}">
<title>Attention Lens</title>
</head>
<body>
<div id="app" data-nonce="${n}"${r.runtimeByMessage ? ' data-runtime="message"' : ''}></div>
<script type="module" nonce="${n}" src="${escapeAttr(r.scriptUri)}"></script>
</body>
</html>
`;
}
