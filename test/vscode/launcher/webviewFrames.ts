// Finding the webview frame that shows a selector, for the UI driver's requests (uiDriver.ts).
import type { Frame, Page } from 'playwright-core';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function findWebviewFrame(page: Page, selector: string): Promise<Frame | null> {
  const found: Frame[] = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    try {
      if ((await frame.locator(selector).count()) > 0) found.push(frame);
    } catch {
      // a frame detached while we looked
    }
  }
  if (found.length < 2) return found[0] ?? null;
  // A webview the workbench is replacing (or one it hid) can still hold an older page: the one on
  // screen is the one the user sees.
  for (const frame of found) {
    // The content frame sits in VS Code's outer webview frame, which the workbench hides and shows.
    const element = await (frame.parentFrame() ?? frame).frameElement().catch(() => null);
    const box = element ? await element.boundingBox().catch(() => null) : null;
    if (box && box.width > 0 && box.height > 0 && await element!.isVisible().catch(() => false)) {
      console.log(`[driver] ${found.length} webview frames show ${selector}; using the one on screen`);
      return frame;
    }
  }
  console.log(`[driver] ${found.length} webview frames show ${selector}, none on screen; using the first`);
  return found[0]!;
}

export async function waitWebviewFrame(page: Page, selector: string, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await findWebviewFrame(page, selector);
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector} after ${timeoutMs} ms`);
    await sleep(200);
  }
}
