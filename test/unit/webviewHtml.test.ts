import * as assert from 'assert';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../src/panel/webviewHtml';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

describe('webview HTML', () => {
  const nonce = makeNonce();
  const html = webviewHtml({ cspSource: SOURCE, nonce, scriptUri: `${SOURCE}/ext/dist/webview/main.js`, styleUri: `${SOURCE}/ext/media/panel.css` });

  it('has exactly the strict policy', () => {
    assert.strictEqual(
      contentSecurityPolicy(SOURCE, 'N0nce'),
      `default-src 'none'; img-src ${SOURCE} data: blob:; style-src ${SOURCE} 'nonce-N0nce'; script-src 'nonce-N0nce' 'wasm-unsafe-eval'; connect-src ${SOURCE}; font-src ${SOURCE}; worker-src ${SOURCE} blob:`,
    );
    assert.ok(html.includes(`content="${contentSecurityPolicy(SOURCE, nonce)}"`));
  });

  it('allows nothing looser: no unsafe-inline, no unsafe-eval, no wildcard, no remote origin', () => {
    const csp = contentSecurityPolicy(SOURCE, nonce);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*|http:|https:(?!\/\/file\+)/);
  });

  it('loads one module script with the nonce, from the extension', () => {
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepStrictEqual(scripts, [`<script type="module" nonce="${nonce}" src="${SOURCE}/ext/dist/webview/main.js">`]);
    assert.ok(html.includes(`<link rel="stylesheet" href="${SOURCE}/ext/media/panel.css">`));
    assert.ok(html.includes(`<div id="app" data-nonce="${nonce}"></div>`));
  });

  it('makes a fresh alphanumeric nonce each time', () => {
    const seen = new Set(Array.from({ length: 100 }, makeNonce));
    assert.strictEqual(seen.size, 100);
    for (const n of seen) assert.match(n, /^[A-Za-z0-9]{16,}$/);
  });

  it('refuses a nonce that could break out of the attribute', () => {
    assert.throws(() => webviewHtml({ cspSource: SOURCE, nonce: 'a"b', scriptUri: '', styleUri: '' }));
  });

  it('escapes resource URIs', () => {
    const h = webviewHtml({ cspSource: SOURCE, nonce: 'abc', scriptUri: 'x"><script>alert(1)</script>', styleUri: 's' });
    assert.strictEqual((h.match(/<script/g) ?? []).length, 1);
  });
});
