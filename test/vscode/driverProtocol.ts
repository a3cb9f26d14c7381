// Requests the VS Code tests (running inside the extension host) send to the launcher, which
// performs them in the real browser window with Playwright: a user's keyboard, mouse and eyes.
// Shared by test/vscode/driverClient.ts (extension host side) and launcher/uiDriver.ts.

export type DriverRequest =
  /** F1, type the command's title, click its row (retried until the palette lists it). */
  | { kind: 'runCommand'; title: string }
  /** In the open quick pick (a command's, not the palette), click the first row showing `text`. */
  | { kind: 'pickQuickItem'; text: string }
  /** In the open input box (a command's showInputBox), type `text` and press Enter. */
  | { kind: 'typeInput'; text: string }
  /** Move the mouse over the first element matching `selector` inside a webview. */
  | { kind: 'hoverWebview'; selector: string }
  /** Text of every element matching `selector` inside the webview that has one (empty if none). */
  | { kind: 'webviewText'; selector: string }
  /** Text of every element matching `selector` in the workbench itself (not a webview), once one shows (empty after `timeoutMs`). */
  | { kind: 'workbenchText'; selector: string; timeoutMs: number }
  /** Wait until an element matching `selector` exists in a webview; resolves to its text. */
  | { kind: 'waitWebview'; selector: string; timeoutMs: number }
  /** Value of a JavaScript expression evaluated in the webview frame that has `selector`. */
  | { kind: 'webviewEval'; selector: string; expression: string }
  /** Click the button labelled `label` on the notification toast whose text holds `toast`. */
  | { kind: 'clickToastButton'; toast: string; label: string }
  /** Move the mouse to the workbench's title bar, away from any webview. */
  | { kind: 'mouseAway' }
  /** The text of every notification toast (and of the notification center, when open) the workbench shows now. */
  | { kind: 'toasts' }
  /** Save a PNG under the artifacts folder: the whole window or the webview showing `selector`. */
  | { kind: 'screenshot'; name: string; target: 'window' | { webview: string } }
  /** A line for the launcher's console (the extension host's stdout is not the test's). */
  | { kind: 'log'; line: string }
  /** The pass's counts, from a host that cannot write the report file itself (the web pass's worker). */
  | { kind: 'report'; report: PassReport }
  /**
   * The model in `modelDir` (a local path or a vscode-remote Uri to one) run natively by onnxruntime-node on
   * `ids`: the web pass's reference, computed by the launcher since a browser worker has no native runtime.
   */
  | { kind: 'nativeAttention'; modelDir: string; ids: number[]; layers: number; heads: number }
  /**
   * The local Hub (test/support/hubServer.ts, two ports: the Hub and its CDN) run by the launcher for the
   * web pass, whose worker cannot serve: start it (LocalHubInfo), read what it received (HubRequestSeen[]),
   * clear that record, or stop it.
   */
  | { kind: 'localHub'; action: 'start' | 'requests' | 'clear' | 'stop' }
  /**
   * What the browser sent beyond loopback so far: the web pass starts Chromium with the driver as its
   * proxy (loopback bypasses it), so every such request, from any page, frame or worker, lands here.
   */
  | { kind: 'leftLoopback' };

/** A request that reached the driver as the browser's proxy: `GET http://host/path`, `CONNECT host:443`. */
export interface ProxiedRequest { method: string; target: string }

/** The local Hub's addresses and its repos' pinned commits. */
export interface LocalHubInfo { hubUrl: string; cdnUrl: string; repos: { id: string; sha: string }[] }

/** One request the local Hub received: which port, and the headers a test checks. */
export interface HubRequestSeen { server: 'hub' | 'cdn'; method: string; url: string; authorization?: string; preflightHeaders?: string; range?: string }

/** An AttentionStack as JSON carries it (nativeAttention's answer). */
export interface PlainStack { layers: number[][]; heads: number; seq: number }

export type DriverResponse = { ok: true; value: unknown } | { ok: false; error: string };

/** Environment variables the launcher sets for code-server, inherited by the extension host. */
export const ENV = {
  driver: 'ATTENTION_LENS_UI_DRIVER',
  pass: 'ATTENTION_LENS_TEST_PASS',
  report: 'ATTENTION_LENS_TEST_REPORT',
  repo: 'ATTENTION_LENS_REPO',
  /** Only the tests whose title matches (mocha --grep), for working on one test. */
  grep: 'ATTENTION_LENS_TEST_GREP',
  /** The folder screenshots and the README's example texts are written to (test-artifacts/ unless --artifacts). */
  artifacts: 'ATTENTION_LENS_ARTIFACTS',
} as const;

/**
 * webgpu: Chromium with a WebGPU adapter; wasm: without one (the WASM fallback); untrusted: a
 * workspace that is not trusted and sets attentionLens.modelPath (a short pass of its own suites);
 * web: the extension in code-server's browser worker extension host (dist/web), suite-web/ bundled for it.
 */
export type TestPass = 'webgpu' | 'wasm' | 'untrusted' | 'web';

export const TEST_PASSES: readonly TestPass[] = ['webgpu', 'wasm', 'untrusted', 'web'];

/** The config name of the model that the untrusted pass's workspace settings point at. */
export const UNTRUSTED_MODEL_NAME = 'workspace-model';

/** The web pass's copy of the bundled decoder inside its workspace folder, under another name (Choose model… → Browse…). */
export const WEB_WORKSPACE_MODEL = { folder: 'my-model', name: 'workspace decoder (web pass)' } as const;

/** The folder (next to index.js) whose *.test.js files a pass runs. */
export function suiteFolder(pass: string): string {
  return pass === 'untrusted' ? 'suite-untrusted' : pass === 'web' ? 'suite-web' : 'suite';
}

/** What the in-host runner writes to ENV.report when mocha ends. */
export interface PassReport {
  passed: number;
  failed: number;
  failures: { title: string; message: string }[];
}
