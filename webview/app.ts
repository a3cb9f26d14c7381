// The webview's composition root: builds the page's parts and layout, and wires message handling
// (pageMessages.ts), the views of the shown run (pageViews.ts), state (pageState.ts) and exports.
import type { ToHost, ToWebview } from '../src/shared/protocol';
import { ThemeColors } from './colors';
import { CompareView } from './compareView';
import { Controls } from './controls';
import { ExplainPanel } from './explainPanel';
import { exportView } from './exportView';
import { HeadGrid } from './grid';
import { Header } from './header';
import { PageParts, layOut, onThemeChange } from './layout';
import { PageMessages } from './pageMessages';
import { PageState, SavedState } from './pageState';
import { PageViews } from './pageViews';
import type { RunData } from './runData';
import { TokenView } from './tokenView';
import type { VsCodeApi } from './vscodeApi';

export type { SavedState } from './pageState';

export class App {
  private readonly state: PageState;
  private readonly views: PageViews;
  private readonly messages: PageMessages;

  constructor(private readonly api: VsCodeApi<SavedState>, root: HTMLElement) {
    const colors = new ThemeColors(document.body);
    const state = new PageState(api);
    const post = (msg: ToHost): void => this.api.postMessage(msg);
    const header = new Header();
    const fail = (runId: number, text: string): void => {
      header.error(text);
      post({ type: 'error', runId, message: text });
    };
    const parts: PageParts = {
      header,
      controls: new Controls({
        change: (v) => this.views.setView(v),
        export: (f) => void exportView(f, { state, views: this.views, header, colors, post, fail, compare: parts.compare }),
        unit: (u) => this.views.setUnit(u),
      }),
      tokens: new TokenView({
        hover: (i) => this.views.hoverToken(i),
        pin: (i) => this.views.pin(i, false),
      }),
      explainPanel: new ExplainPanel(),
      grid: new HeadGrid(colors, (layer, head) => {
        if (state.view) this.views.setView({ ...state.view, layer, head, mode: 'head' });
      }),
      compare: new CompareView({
        pick: (layer, head) => {
          if (state.view) this.views.setView({ ...state.view, layer, head, mode: 'head' });
        },
      }),
    };
    this.state = state;
    this.views = new PageViews(parts, state, post);
    this.messages = new PageMessages({ state, views: this.views, header, post, fail, render: (d) => this.render(d) });
    layOut(root, parts);
    // Right-clicking a token offers "Compare with an edit" for its word (package.json webview/context):
    // VS Code reads data-vscode-context from the clicked element's ancestors when the menu opens.
    parts.tokens.el.addEventListener('contextmenu', (e) => {
      const tok = e.target instanceof Element ? e.target.closest<HTMLElement>('.tok') : null;
      const i = tok ? Number(tok.dataset.i) : NaN;
      parts.tokens.el.dataset.vscodeContext = JSON.stringify(Number.isInteger(i)
        ? { webviewSection: 'token', tokenIndex: i, preventDefaultContextMenuItems: true } : {});
    }, true);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && state.pinned !== null) this.views.pin(null, false);
    });
    onThemeChange(() => {
      colors.reset();
      if (state.current) parts.grid.draw(state.pinned, state.view?.direction ?? 'from');
    });
    header.idle('Waiting for text: select some and run "Attention Lens: Show attention for selection".');
  }

  handle(msg: ToWebview): void {
    this.messages.handle(msg);
  }

  /** Shows a finished run (the bench's page calls it to show synthetic attention). */
  private render(data: RunData): void {
    this.views.render(data);
  }
}
