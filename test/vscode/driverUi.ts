// The requests a test can make of the UI driver, over whichever transport its host has: Node's http
// (driverClient.ts) or fetch (the web pass, web/fetchDriver.ts).
import type { DriverRequest, HubRequestSeen, LocalHubInfo, PassReport, PlainStack, ProxiedRequest } from './driverProtocol';

export type Ui = ReturnType<typeof makeUi>;

export function makeUi(drive: (req: DriverRequest) => Promise<unknown>) {
  return {
    runCommand: (title: string) => drive({ kind: 'runCommand', title }).then(() => undefined),
    pickQuickItem: (text: string) => drive({ kind: 'pickQuickItem', text }).then(() => undefined),
    typeInput: (text: string) => drive({ kind: 'typeInput', text }).then(() => undefined),
    hoverWebview: (selector: string) => drive({ kind: 'hoverWebview', selector }).then(() => undefined),
    webviewText: async (selector: string) => (await drive({ kind: 'webviewText', selector })) as string[],
    workbenchText: async (selector: string, timeoutMs = 30_000) => (await drive({ kind: 'workbenchText', selector, timeoutMs })) as string[],
    waitWebview: async (selector: string, timeoutMs = 60_000) =>
      (await drive({ kind: 'waitWebview', selector, timeoutMs })) as string | null,
    webviewEval: (selector: string, expression: string) => drive({ kind: 'webviewEval', selector, expression }),
    clickToastButton: (toast: string, label: string) => drive({ kind: 'clickToastButton', toast, label }).then(() => undefined),
    mouseAway: () => drive({ kind: 'mouseAway' }).then(() => undefined),
    toasts: async () => (await drive({ kind: 'toasts' })) as string[],
    screenshot: async (name: string, target: 'window' | { webview: string }) =>
      (await drive({ kind: 'screenshot', name, target })) as string,
    log: (line: string) => drive({ kind: 'log', line }).then(() => undefined),
    report: (report: PassReport) => drive({ kind: 'report', report }).then(() => undefined),
    nativeAttention: async (modelDir: string, ids: number[], layers: number, heads: number) =>
      (await drive({ kind: 'nativeAttention', modelDir, ids, layers, heads })) as PlainStack,
    leftLoopback: async () => (await drive({ kind: 'leftLoopback' })) as ProxiedRequest[],
    startLocalHub: async () => (await drive({ kind: 'localHub', action: 'start' })) as LocalHubInfo,
    localHubRequests: async () => (await drive({ kind: 'localHub', action: 'requests' })) as HubRequestSeen[],
    clearLocalHub: () => drive({ kind: 'localHub', action: 'clear' }).then(() => undefined),
    stopLocalHub: () => drive({ kind: 'localHub', action: 'stop' }).then(() => undefined),
  };
}
