// The text as tokens, whitespace and newlines kept (code keeps its shape). Hovering a token lights
// what it attends to; a click or Enter pins it, Escape unpins. One token is in the tab order at a
// time (roving tabindex); arrow keys move between tokens. A hover restyles only the tokens that
// were lit and the ones that are lit now — nothing else in the DOM is touched.
import type { TokenInfo } from '../src/shared/protocol';
import { tokenLabel } from '../src/shared/explain';

export interface LitToken {
  index: number;
  /** CSS background for the token (a theme colour mixed with transparency). */
  background: string;
  /** Tooltip and screen-reader text, with the exact percentage. */
  label: string;
}

export interface TokenViewEvents {
  /** The pointer or keyboard focus is on a token (null: left the tokens). */
  hover(index: number | null): void;
  /** Pin a token (null: unpin). */
  pin(index: number | null): void;
}

export class TokenView {
  readonly el: HTMLElement;
  private spans: HTMLElement[] = [];
  private baseLabels: string[] = [];
  private lit: number[] = [];
  private active: number | null = null;
  private pinned: number | null = null;
  private tabStop = 0;

  constructor(private readonly events: TokenViewEvents) {
    const el = document.createElement('div');
    el.className = 'tokens';
    el.setAttribute('role', 'listbox');
    el.setAttribute('aria-label', 'Tokens. Arrow keys move, Enter pins, Escape unpins.');
    el.addEventListener('pointerover', (e) => {
      const i = this.indexOf(e.target);
      if (i !== null) this.events.hover(i);
    });
    el.addEventListener('pointerleave', () => this.events.hover(null));
    el.addEventListener('click', (e) => {
      const i = this.indexOf(e.target);
      if (i !== null) this.events.pin(i === this.pinned ? null : i);
    });
    el.addEventListener('focusin', (e) => {
      const i = this.indexOf(e.target);
      if (i !== null) {
        this.moveTabStop(i);
        this.events.hover(i);
      }
    });
    el.addEventListener('keydown', (e) => this.key(e));
    this.el = el;
  }

  get count(): number {
    return this.spans.length;
  }

  spanAt(i: number): HTMLElement | undefined {
    return this.spans[i];
  }

  setTokens(tokens: readonly TokenInfo[]): void {
    this.el.replaceChildren();
    this.spans = [];
    this.baseLabels = [];
    this.lit = [];
    this.active = null;
    this.pinned = null;
    const frag = document.createDocumentFragment();
    let end: number | null = null;
    tokens.forEach((t, i) => {
      // Text no token covers (white space a WordPiece tokenizer drops) is shown between the tokens.
      if (!t.special) {
        if (end !== null && t.start > end) frag.appendChild(document.createTextNode(' '));
        end = t.end;
      }
      const s = document.createElement('span');
      s.className = t.special ? 'tok special' : 'tok';
      s.textContent = t.special ? (t.name ?? (i === 0 ? 'bos' : 'special')) : t.text;
      s.dataset.i = String(i);
      s.setAttribute('role', 'option');
      s.setAttribute('aria-selected', 'false');
      s.tabIndex = -1;
      const base = `${tokenLabel(t, i)}, token ${i + 1} of ${tokens.length}`;
      s.setAttribute('aria-label', base);
      this.baseLabels.push(base);
      this.spans.push(s);
      frag.appendChild(s);
    });
    this.el.appendChild(frag);
    this.tabStop = 0;
    if (this.spans[0]) this.spans[0].tabIndex = 0;
  }

  /** Shows `active` (hovered or pinned) and lights its targets; restyles only what changed. */
  show(active: number | null, pinned: number | null, targets: readonly LitToken[], activeLabel: string | null): void {
    for (const i of this.lit) {
      const s = this.spans[i];
      s.classList.remove('lit');
      s.style.removeProperty('background');
      s.removeAttribute('title');
      s.setAttribute('aria-label', this.baseLabels[i]);
    }
    if (this.active !== null && this.spans[this.active]) {
      this.spans[this.active].classList.remove('active');
      this.spans[this.active].setAttribute('aria-label', this.baseLabels[this.active]);
    }
    if (this.pinned !== pinned) {
      if (this.pinned !== null && this.spans[this.pinned]) {
        this.spans[this.pinned].classList.remove('pinned');
        this.spans[this.pinned].setAttribute('aria-selected', 'false');
      }
      if (pinned !== null && this.spans[pinned]) {
        this.spans[pinned].classList.add('pinned');
        this.spans[pinned].setAttribute('aria-selected', 'true');
      }
      this.pinned = pinned;
    }
    this.lit = [];
    for (const t of targets) {
      const s = this.spans[t.index];
      if (!s) continue;
      s.classList.add('lit');
      s.style.setProperty('background', t.background);
      s.title = t.label;
      s.setAttribute('aria-label', `${this.baseLabels[t.index]}: ${t.label}`);
      this.lit.push(t.index);
    }
    this.active = active;
    if (active !== null && this.spans[active]) {
      const s = this.spans[active];
      s.classList.add('active');
      if (activeLabel) s.setAttribute('aria-label', `${this.baseLabels[active]}. ${activeLabel}`);
    }
  }

  focusToken(i: number): void {
    const s = this.spans[i];
    if (!s) return;
    this.moveTabStop(i);
    s.focus({ preventScroll: false });
  }

  scrollTo(i: number): void {
    this.spans[i]?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  private indexOf(target: EventTarget | null): number | null {
    const s = target instanceof Element ? target.closest<HTMLElement>('.tok') : null;
    if (!s || !this.el.contains(s)) return null;
    const i = Number(s.dataset.i);
    return Number.isInteger(i) ? i : null;
  }

  private moveTabStop(i: number): void {
    if (this.tabStop === i) return;
    if (this.spans[this.tabStop]) this.spans[this.tabStop].tabIndex = -1;
    this.spans[i].tabIndex = 0;
    this.tabStop = i;
  }

  private key(e: KeyboardEvent): void {
    const i = this.indexOf(e.target);
    if (i === null) return;
    const n = this.spans.length;
    let next: number | null = null;
    switch (e.key) {
      case 'ArrowRight': next = Math.min(n - 1, i + 1); break;
      case 'ArrowLeft': next = Math.max(0, i - 1); break;
      case 'ArrowDown': next = this.lineNeighbour(i, +1); break;
      case 'ArrowUp': next = this.lineNeighbour(i, -1); break;
      case 'Home': next = 0; break;
      case 'End': next = n - 1; break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.events.pin(i === this.pinned ? null : i);
        return;
      case 'Escape':
        if (this.pinned !== null) {
          e.preventDefault();
          this.events.pin(null);
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next !== null && next !== i) this.focusToken(next);
  }

  /** The token on the next (or previous) visual line nearest in x. */
  private lineNeighbour(i: number, dir: 1 | -1): number | null {
    const here = this.spans[i].getBoundingClientRect();
    const x = here.left + here.width / 2;
    let best: number | null = null;
    let bestDx = Infinity;
    let lineTop: number | null = null;
    for (let j = i + dir; j >= 0 && j < this.spans.length; j += dir) {
      const r = this.spans[j].getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const onOtherLine = dir > 0 ? r.top >= here.bottom - 1 : r.bottom <= here.top + 1;
      if (!onOtherLine) continue;
      if (lineTop === null) lineTop = r.top;
      else if (Math.abs(r.top - lineTop) > 1) break;
      const dx = Math.abs(r.left + r.width / 2 - x);
      if (dx < bestDx) {
        bestDx = dx;
        best = j;
      }
    }
    return best;
  }
}
