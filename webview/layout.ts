// The page's layout: header, then the token section (controls and tokens), the explanation and
// the layers × heads overview; and a hook for theme changes.
import type { CompareView } from './compareView';
import type { ExplainPanel } from './explainPanel';
import type { Controls } from './controls';
import type { HeadGrid } from './grid';
import type { Header } from './header';
import type { TokenView } from './tokenView';

export interface PageParts {
  header: Header;
  controls: Controls;
  tokens: TokenView;
  explainPanel: ExplainPanel;
  grid: HeadGrid;
  compare: CompareView;
}

export function layOut(root: HTMLElement, p: PageParts): void {
  const main = document.createElement('main');
  const tokensSection = document.createElement('section');
  tokensSection.className = 'token-section';
  tokensSection.append(p.controls.el, p.tokens.el);
  const overview = document.createElement('section');
  overview.className = 'overview';
  const h = document.createElement('h2');
  h.textContent = 'All layers × heads (click one to focus it)';
  overview.append(h, p.grid.el);
  main.append(tokensSection, p.compare.el, p.explainPanel.el, overview);
  root.replaceChildren(p.header.el, main);
}

/**
 * VS Code switches themes by changing the body's classes and the --vscode-* variables in the
 * html element's style; canvases then need their colours resolved again.
 */
export function onThemeChange(changed: () => void): void {
  const observer = new MutationObserver(changed);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
