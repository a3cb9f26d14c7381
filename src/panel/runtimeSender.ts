// The host's side of sending onnxruntime-web's .wasm to the page by message (issue 20): VS Code's
// webview resource loader took seconds for the 14 MB runtime on a slow machine, a message takes a
// copy. The file is read once the panel is created, so the bytes are ready when the page asks.
import type { Backend, RuntimeMessage } from '../shared/protocol';
import { RUNTIME_WASM, runtimeSha256 } from '../shared/runtimeFiles';

export class RuntimeSender {
  private readonly reads = new Map<Backend, Promise<Uint8Array>>();

  /** `readFile`: the bytes of a file in the extension's dist/webview folder, by name. */
  constructor(private readonly readFile: (name: string) => PromiseLike<Uint8Array>) {}

  /** Starts reading a runtime (the page on WASM asks for the plain one as it starts). */
  preload(kind: Backend): void {
    this.read(kind).catch(() => undefined);
  }

  /**
   * The message answering the page's runtimeRequest. The read is forgotten once answered: a page
   * that reloads finds the runtime in its own cache, so the host need not hold 14 MB meanwhile.
   */
  async message(kind: Backend): Promise<RuntimeMessage> {
    const sha256 = runtimeSha256(kind);
    const reading = this.read(kind);
    this.reads.delete(kind);
    if (sha256 === null) return { type: 'runtime', kind, sha256: '0'.repeat(64), data: new Uint8Array(0), error: 'this build has no runtime hash' };
    try {
      return { type: 'runtime', kind, sha256, data: await reading };
    } catch (e) {
      return { type: 'runtime', kind, sha256, data: new Uint8Array(0), error: `${RUNTIME_WASM[kind]} could not be read: ${(e as Error).message}` };
    }
  }

  private read(kind: Backend): Promise<Uint8Array> {
    let p = this.reads.get(kind);
    if (!p) {
      p = Promise.resolve(this.readFile(RUNTIME_WASM[kind])).then(ownCopy);
      this.reads.set(kind, p);
      p.catch(() => this.reads.delete(kind));
    }
    return p;
  }
}

/**
 * The bytes in an ArrayBuffer of their own: a Node Buffer (what the file system gives in a desktop
 * host) may be a view into a larger pooled buffer, and the whole of that would cross to the page.
 */
export function ownCopy(data: Uint8Array): Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && !isNodeBuffer(data) ? data : new Uint8Array(data);
}

function isNodeBuffer(data: Uint8Array): boolean {
  return data.constructor !== Uint8Array;
}
