// Serves DriverRequests from the in-host tests on a loopback HTTP port and performs them in the
// workbench page with Playwright.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { nativeAttention } from '../../support/nativeAttention';
import type { Duplex } from 'stream';
import { DriverRequest, DriverResponse, PlainStack, ProxiedRequest } from '../driverProtocol';
import { localHub, stopLocalHub } from './localHub';
import { findWebviewFrame, waitWebviewFrame } from './webviewFrames';

export interface UiDriver {
  readonly url: string;
  /** host:port for Chromium's --proxy-server: what the browser sends beyond loopback reaches the driver, is recorded and refused. */
  readonly proxy: string;
  attach(page: Page): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the quick input shows now, for a failure message: its value and first rows. */
async function quickInputState(page: Page): Promise<string> {
  const input = page.locator('.quick-input-widget input.input');
  if (!(await input.isVisible().catch(() => false))) return 'no quick input open';
  const rows = await page.locator('.quick-input-widget .monaco-list-row').allTextContents().catch(() => []);
  return `quick input "${await input.inputValue().catch(() => '?')}" with rows [${rows.slice(0, 5).join(' | ')}]`;
}

async function runCommand(page: Page, title: string, artifacts: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  const deadline = Date.now() + 60_000;
  let lastError = '';
  // The palette is usable some seconds after load, and a row can lag behind typing on a busy machine: retry.
  // Each try starts from a fresh palette: a quick input left open (another picker, a half-typed filter) is closed.
  while (Date.now() < deadline) {
    try {
      for (let i = 0; i < 3 && (await input.isVisible()); i++) {
        await page.keyboard.press('Escape');
        await sleep(200);
      }
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${title}`);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      await row.click();
      await input.waitFor({ state: 'hidden', timeout: 5000 });
      return;
    } catch (e) {
      lastError = `${e instanceof Error ? e.message.split('\n')[0] : String(e)}; ${await quickInputState(page)}`;
      await sleep(500);
    }
  }
  await shoot(page, artifacts, `runCommand-failed-${title}`);
  throw new Error(`command palette never ran "${title}": ${lastError}`);
}

function artifactFile(artifacts: string, name: string): string {
  fs.mkdirSync(artifacts, { recursive: true });
  return path.join(artifacts, `${name.replace(/[^\w.-]+/g, '_')}.png`);
}

/** A window screenshot beside a failure; the failure's own message is what matters if this one fails too. */
async function shoot(page: Page, artifacts: string, name: string): Promise<void> {
  await page.screenshot({ path: artifactFile(artifacts, name) }).catch(() => undefined);
}

/**
 * Types into the open quick input and accepts it. The save dialog (code-server's simple file
 * dialog) fills its own value once it has listed the folder, which can land after ours: wait until
 * it is idle and our text has stayed put before pressing Enter.
 */
async function typeInput(page: Page, text: string, artifacts: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  const busy = page.locator('.quick-input-widget .monaco-progress-container.active');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  const deadline = Date.now() + 30_000;
  let steady = 0;
  while (steady < 3) {
    if (Date.now() > deadline) {
      await shoot(page, artifacts, 'typeInput-failed');
      throw new Error(`the quick input never kept "${text}": ${await quickInputState(page)}`);
    }
    await sleep(200);
    if ((await busy.count()) > 0) {
      steady = 0;
      continue;
    }
    if ((await input.inputValue()) === text) {
      steady += 1;
    } else {
      steady = 0;
      await input.fill(text);
    }
  }
  await input.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Clicks a button of the notification that reads `text`: on its toast, or, when no toast shows it
 * (VS Code hides toasts past the few that fit, and shows none while the center is open), in the
 * notification center, where a user finds it too.
 */
async function clickNotificationButton(page: Page, text: string, label: string, artifacts: string): Promise<void> {
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  const inCenter = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  const deadline = Date.now() + 40_000;
  let centerOpened = false;
  const started = Date.now();
  while (Date.now() < deadline) {
    for (const item of [toast, inCenter]) {
      if (!(await item.isVisible().catch(() => false))) continue;
      const button = item.locator('.monaco-button', { hasText: label }).first();
      if (!(await button.isVisible().catch(() => false))) await item.click().catch(() => undefined); // a center row shows its buttons once expanded
      if (await button.isVisible().catch(() => false)) {
        await button.click();
        return;
      }
    }
    if (!centerOpened && Date.now() - started > 10_000) {
      await runCommand(page, 'Notifications: Show Notifications', artifacts);
      centerOpened = true;
    }
    await sleep(250);
  }
  await shoot(page, artifacts, `clickToastButton-failed-${label}`);
  const shown = await page.locator('.notification-toast, .notifications-center .notification-list-item').allTextContents().catch(() => []);
  throw new Error(`no notification "${text}" with a "${label}" button, on a toast or in the center; notifications shown: [${shown.join(' | ')}]`);
}

/** A local path for a model folder a host names by path or by vscode-remote Uri (the web pass's worker). */
function localDir(dir: string): string {
  return dir.startsWith('vscode-remote://') ? decodeURIComponent(new URL(dir).pathname) : dir;
}

/** @param reportFile where a 'report' request's counts are written (the web pass's worker has no file system of its own). */
export function startUiDriver(artifacts: string, log: (line: string) => void, reportFile?: string): Promise<UiDriver> {
  let page: Page | null = null;
  const leftLoopback: ProxiedRequest[] = [];

  async function perform(req: DriverRequest): Promise<unknown> {
    if (req.kind === 'log') {
      log(req.line);
      return null;
    }
    if (req.kind === 'report') {
      if (!reportFile) throw new Error('this pass takes no report by request');
      fs.writeFileSync(reportFile, JSON.stringify(req.report));
      return null;
    }
    if (req.kind === 'leftLoopback') return leftLoopback;
    if (req.kind === 'localHub') return localHub(req.action);
    if (req.kind === 'nativeAttention') {
      const stack = await nativeAttention(localDir(req.modelDir), req.ids, req.layers, req.heads);
      const plain: PlainStack = { layers: stack.layers.map((l) => Array.from(l)), heads: stack.heads, seq: stack.seq };
      return plain;
    }
    if (!page) throw new Error('no workbench page yet');
    switch (req.kind) {
      case 'runCommand':
        await runCommand(page, req.title, artifacts);
        return null;
      case 'pickQuickItem': {
        const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: req.text }).first();
        await row.waitFor({ state: 'visible', timeout: 30_000 });
        await row.click();
        return null;
      }
      case 'typeInput':
        await typeInput(page, req.text, artifacts);
        return null;
      case 'hoverWebview': {
        const frame = await waitWebviewFrame(page, req.selector, 10_000);
        await frame.locator(req.selector).first().hover();
        return null;
      }
      case 'webviewText': {
        const frame = await findWebviewFrame(page, req.selector);
        return frame ? await frame.locator(req.selector).allTextContents() : [];
      }
      case 'workbenchText': {
        const found = page.locator(req.selector);
        await found.first().waitFor({ state: 'attached', timeout: req.timeoutMs }).catch(() => undefined);
        return await found.allTextContents();
      }
      case 'waitWebview': {
        const frame = await waitWebviewFrame(page, req.selector, req.timeoutMs);
        return await frame.locator(req.selector).first().textContent();
      }
      case 'webviewEval': {
        const frame = await waitWebviewFrame(page, req.selector, 10_000);
        return await frame.evaluate(req.expression);
      }
      case 'toasts':
        // What a user would see over the window: toasts on screen, or the open notification center.
        return await page.evaluate(() => [...document.querySelectorAll('.notification-toast-container, .notifications-center.visible')]
          .filter((e) => e.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && e.getBoundingClientRect().height > 0)
          .map((e) => (e.textContent ?? '').trim()));
      case 'clickToastButton':
        await clickNotificationButton(page, req.toast, req.label, artifacts);
        return null;
      case 'mouseAway':
        await page.mouse.move(5, 5);
        return null;
      case 'screenshot': {
        const file = artifactFile(artifacts, req.name);
        if (req.target === 'window') {
          await page.screenshot({ path: file });
        } else {
          // The webview's content frame sits inside an outer frame; shoot the outer iframe element.
          const frame = await waitWebviewFrame(page, req.target.webview, 10_000);
          const outer = frame.parentFrame() ?? frame;
          const element = await outer.frameElement();
          await element.screenshot({ path: file });
        }
        return file;
      }
    }
  }

  // The web pass's tests call from a browser worker on code-server's origin: a cross-origin fetch.
  const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' };
  const server = http.createServer((req, res) => {
    // As the browser's proxy: a request in absolute form (`GET http://host/path`) is one that would have left the machine.
    if (!(req.url ?? '/').startsWith('/')) {
      leftLoopback.push({ method: req.method ?? '?', target: req.url ?? '' });
      res.writeHead(502);
      res.end();
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: DriverResponse;
      const reply = (r: DriverResponse) => {
        body = r;
        res.writeHead(200, { 'content-type': 'application/json', ...CORS });
        res.end(JSON.stringify(body));
      };
      let parsed: DriverRequest;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DriverRequest;
      } catch (e) {
        reply({ ok: false, error: `bad request: ${String(e)}` });
        return;
      }
      perform(parsed).then(
        (value) => reply({ ok: true, value: value ?? null }),
        (e: unknown) => reply({ ok: false, error: e instanceof Error ? e.message : String(e) }),
      );
    });
  });

  // https and WebSockets through the proxy: a CONNECT (or an upgrade in absolute form), recorded and refused.
  const refuse = (req: http.IncomingMessage, socket: Duplex) => {
    leftLoopback.push({ method: req.method ?? '?', target: req.url ?? '' });
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  };
  server.on('connect', refuse);
  server.on('upgrade', refuse);

  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      if (typeof addr !== 'object' || !addr) return reject(new Error('driver has no address'));
      resolve({
        url: `http://127.0.0.1:${addr.port}/`,
        proxy: `127.0.0.1:${addr.port}`,
        attach: (p) => { page = p; },
        close: () => stopLocalHub().then(() => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); })),
      });
    });
  });
}
