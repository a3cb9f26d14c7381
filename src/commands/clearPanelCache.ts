// "Attention Lens: Clear the panel's cache": the panel keeps the runtime and the model files it
// loaded in its own storage (webview/modelCache.ts, up to 2 GiB), so a later panel or window need
// not move them again; this empties it. The storage belongs to the panel's page, so the panel is
// opened if it is not, and asked.
import * as vscode from 'vscode';
import type { ModelManager } from '../models/modelManager';
import type { Notifier } from '../notifier';
import type { PanelConnection } from '../panel/panelConnection';
import type { CacheClearedMessage } from '../shared/protocol';
import type { CommandTarget } from './target';

export const CLEAR_PANEL_CACHE = 'attentionLens.clearPanelCache';
const READY_TIMEOUT_MS = 120_000;
const ANSWER_TIMEOUT_MS = 60_000;

export function registerClearPanelCache(target: CommandTarget): vscode.Disposable {
  return vscode.commands.registerCommand(CLEAR_PANEL_CACHE, () => target.clearPanelCache());
}

export interface PanelCacheDeps { notifier: Notifier; models: ModelManager; link: PanelConnection; log: vscode.OutputChannel }

export class PanelCacheCommand {
  private waiting: ((m: CacheClearedMessage) => void) | null = null;

  constructor(private readonly d: PanelCacheDeps) {}

  /** What the cache held, or undefined when it could not be cleared (the user was told why). */
  async run(): Promise<{ files: number; bytes: number } | undefined> {
    const { link, notifier, models, log } = this.d;
    if (!link.panel) {
      const doc = vscode.window.activeTextEditor?.document;
      try {
        link.ensure(models.loaded ?? (await models.load(doc, doc?.getText() ?? '')));
      } catch (e) {
        notifier.fail(`Attention Lens cannot clear the panel's cache: the panel needs a model to open (${(e as Error).message})`);
        return undefined;
      }
    }
    if (!(await this.d.link.whenReady(READY_TIMEOUT_MS))) {
      notifier.fail('Attention Lens cannot clear the panel\'s cache: the panel did not open');
      return undefined;
    }
    const m = await this.ask();
    if (!m || m.error !== undefined) {
      notifier.fail(`Attention Lens could not clear the panel's cache: ${m?.error ?? 'the panel did not answer'}`);
      return undefined;
    }
    log.appendLine(`[cache] the panel cleared ${m.files} model files and ${m.bytes} bytes`);
    notifier.tell('info', `Attention Lens: cleared the panel's cache (${m.files} model file${m.files === 1 ? '' : 's'}, ${(m.bytes / 1e6).toFixed(1)} MB in all). A later panel or window reads them from the disk again.`);
    return { files: m.files, bytes: m.bytes };
  }

  /** The page's answer. */
  receive(m: CacheClearedMessage): void {
    const w = this.waiting;
    this.waiting = null;
    w?.(m);
  }

  private async ask(): Promise<CacheClearedMessage | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answered = new Promise<CacheClearedMessage | null>((resolve) => {
      timer = setTimeout(() => resolve(null), ANSWER_TIMEOUT_MS);
      this.waiting = resolve;
    });
    try {
      return (await this.d.link.post({ type: 'clearCache' })) ? await answered : null;
    } finally {
      clearTimeout(timer);
      this.waiting = null;
    }
  }
}
