// The page's memory, read through Chrome's DevTools protocol after a forced garbage collection:
// the V8 heap, ArrayBuffer backing stores (where attention tensors and the WASM memory live), and
// DOM nodes and event listeners (a panel that leaks on re-render grows these).
import type { CDPSession, Page } from 'playwright-core';

export interface HeapReading {
  /** V8 heap in use (JS objects). */
  usedBytes: number;
  /** ArrayBuffer backing stores: typed arrays and WebAssembly memory. */
  backingBytes: number;
  domNodes: number;
  listeners: number;
}

export class HeapProbe {
  private constructor(private readonly cdp: CDPSession) {}

  static async attach(page: Page): Promise<HeapProbe> {
    return new HeapProbe(await page.context().newCDPSession(page));
  }

  async read(): Promise<HeapReading> {
    await this.cdp.send('HeapProfiler.collectGarbage');
    const heap = await this.cdp.send('Runtime.getHeapUsage');
    const dom = await this.cdp.send('Memory.getDOMCounters');
    return { usedBytes: heap.usedSize, backingBytes: heap.backingStorageSize, domNodes: dom.nodes, listeners: dom.jsEventListeners };
  }

  detach(): Promise<void> {
    return this.cdp.detach();
  }
}
