// The test API (see api.ts): read-only snapshots of the lens's parts, and waiting for messages.
import type {
  AttentionLensApi, DecorationSnapshot, HostMessageOf, HostMessageType, LensStats, RunSnapshot,
} from './api';
import type { Highlighter } from './editor/decorations';
import type { HostReceiver } from './panel/hostReceiver';
import type { ModelManager } from './models/modelManager';
import type { Notifier } from './notifier';
import type { PanelConnection } from './panel/panelConnection';
import type { RunControl } from './run/runControl';
import { toPlain } from './run/runRecord';
import type { ToHost } from './shared/protocol';
import type { WindowMarker } from './editor/windowMarker';

export interface TestApiParts {
  runs: RunControl;
  notifier: Notifier;
  models: ModelManager;
  link: PanelConnection;
  receiver: HostReceiver;
  highlighter: Highlighter;
  marker: WindowMarker;
  /** The lens's own listeners (editor, workspace, configuration). */
  ownListeners: () => number;
}

export function testApi(p: TestApiParts): AttentionLensApi {
  const listeners = p.receiver.listeners;
  return {
    lastRun: (): RunSnapshot | undefined => {
      const run = p.runs.current;
      if (!run) return undefined;
      return {
        runId: run.message.runId,
        documentUri: run.request.document.uri.toString(),
        range: toPlain(run.request.picked.range),
        message: run.message,
        documentRanges: run.ranges.map(toPlain),
        stale: run.stale,
      };
    },
    lastResult: () => p.runs.lastResult,
    lastExplanation: () => p.runs.lastExplanation,
    lastCompare: () => p.runs.current?.compare,
    lastComparison: () => p.runs.current?.comparison,
    analysedRange: () => {
      const m = p.marker.current();
      return m ? { documentUri: m.document.uri.toString(), range: toPlain(m.range) } : null;
    },
    lastError: () => p.notifier.lastErrorText,
    messages: () => [...p.notifier.shown],
    messagesShown: () => p.notifier.shownCount,
    messagesSince: (mark: number) => p.notifier.shownSince(mark),
    decorations: (): DecorationSnapshot | null => {
      const c = p.highlighter.current();
      if (!c) return null;
      return {
        targets: c.targets.map((t) => ({ range: toPlain(t.range), weight: t.weight })),
        source: c.source ? toPlain(c.source) : null,
        documentUri: c.document.uri.toString(),
      };
    },
    model: () => {
      const l = p.models.loaded;
      return l ? { dir: l.model.dir, bundled: l.model.bundled, name: l.model.config.name } : undefined;
    },
    stats: (): LensStats => ({
      decorationTypes: p.highlighter.liveTypes,
      decoratedRanges: (p.highlighter.current()?.targets.length ?? 0) + (p.highlighter.current()?.source ? 1 : 0),
      listeners: p.ownListeners() + listeners.size + p.link.listenerCount,
      panels: p.link.panel ? 1 : 0,
      inFlight: p.runs.ledger.inFlightCount,
      runsStarted: p.runs.runsStarted,
      cancelsSent: p.runs.cancelsSent,
      droppedMessages: p.link.droppedMessages,
    }),
    pinToken: (tokenIndex) => p.runs.pinToken(tokenIndex),
    onDidReceive: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitFor: <T extends HostMessageType>(type: T, options: { runId?: number; timeoutMs?: number } = {}) =>
      new Promise<HostMessageOf<T>>((resolve, reject) => {
        const timeoutMs = options.timeoutMs ?? 60_000;
        const listener = (m: ToHost): void => {
          if (m.type !== type) return;
          if (options.runId !== undefined && (!('runId' in m) || m.runId !== options.runId)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(m as HostMessageOf<T>);
        };
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no ${type} message${options.runId !== undefined ? ` for run ${options.runId}` : ''} within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(listener);
      }),
  };
}
