// The webview's entry: takes the VS Code handle, validates every message from the host (a
// malformed one is dropped and logged), and says `ready` so the host sends init and the last run.
import { parseToWebview } from '../src/shared/protocol';
import { App, SavedState } from './app';
import { decideWebGpu } from './backendChoice';
import { clearPageCaches } from './cacheClear';
import { receiveChunk, setChunkRequester } from './fetchModel';
import { preloadRuntime } from './runtime';
import { receiveRuntime, setRuntimeRequester } from './runtimeBinary';
import { vscodeApi } from './vscodeApi';

const api = vscodeApi<SavedState>();
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
const app = new App(api, root);
setChunkRequester((m) => api.postMessage(m));
setRuntimeRequester((m) => api.postMessage(m));

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  let msg;
  try {
    msg = parseToWebview(event.data);
  } catch (e) {
    console.warn(`[attention-lens] dropped a malformed message: ${(e as Error).message}`);
    return;
  }
  // A large model's bytes: kept apart from the app's messages (webview/fetchModel.ts).
  if (msg.type === 'modelChunk') {
    receiveChunk(msg);
    return;
  }
  if (msg.type === 'runtime') {
    receiveRuntime(msg);
    return;
  }
  if (msg.type === 'clearCache') {
    void clearPageCaches().then((m) => api.postMessage(m));
    return;
  }
  try {
    app.handle(msg);
  } catch (e) {
    console.error('[attention-lens] failed to handle', msg.type, e);
    api.postMessage({ type: 'error', runId: 'runId' in msg ? msg.runId : null, message: `the panel failed on ${msg.type}: ${(e as Error).message}` });
  }
});

api.postMessage({ type: 'ready' });
// The WASM runtime's fetch and compile start now, not when init arrives (webview/runtime.ts):
// wherever auto would not use WebGPU (no adapter, or a software one such as SwiftShader).
void preloadRuntime(async () => (await decideWebGpu('auto')).reason);
