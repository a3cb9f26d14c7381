// The model overview: every layer × head as a small canvas — the head's whole matrix when no token
// is pinned, or, for a pinned token, lines from it to what it attends to (BertViz's model view).
// Clicking a cell (or Enter on it) focuses that layer and head.
import type { AttentionStack } from '../src/shared/attention';
import type { HeadLabel } from '../src/shared/headLabels';
import { ThemeColors, headVar } from './colors';
import { RoleFilter, badges, labelsText } from './roleBadges';
import type { Direction } from './viewState';

const CELL = 72;

export class HeadGrid {
  readonly el: HTMLElement;
  /** The grid itself (el also holds the role filter above it). */
  private readonly table: HTMLElement;
  private readonly filter: RoleFilter;
  private cells: HTMLCanvasElement[][] = [];
  private boxes: HTMLElement[][] = [];
  private labels: HeadLabel[][][] | null = null;
  private stack: AttentionStack | null = null;
  private selected: { layer: number; head: number | null } | null = null;

  constructor(private readonly colors: ThemeColors, private readonly onPick: (layer: number, head: number) => void) {
    this.el = document.createElement('div');
    this.el.className = 'grid-wrap';
    this.filter = new RoleFilter(() => this.applyFilter());
    this.table = document.createElement('div');
    this.table.className = 'grid';
    this.el.append(this.filter.el, this.table);
  }

  setStack(stack: AttentionStack): void {
    this.stack = stack;
    this.table.replaceChildren();
    this.cells = [];
    this.boxes = [];
    this.labels = null;
    const corner = document.createElement('div');
    corner.className = 'grid-label';
    this.table.appendChild(corner);
    this.table.style.setProperty('--cols', String(stack.heads));
    for (let h = 0; h < stack.heads; h++) {
      const lab = document.createElement('div');
      lab.className = 'grid-label';
      lab.textContent = `H${h + 1}`;
      lab.style.setProperty('color', `var(${headVar(h)})`);
      this.table.appendChild(lab);
    }
    const dpr = Math.max(1, Math.round(window.devicePixelRatio || 1));
    stack.layers.forEach((_, l) => {
      const lab = document.createElement('div');
      lab.className = 'grid-label';
      lab.textContent = `L${l + 1}`;
      this.table.appendChild(lab);
      const row: HTMLCanvasElement[] = [];
      const boxRow: HTMLElement[] = [];
      for (let h = 0; h < stack.heads; h++) {
        const c = document.createElement('canvas');
        c.width = c.height = CELL * dpr;
        c.className = 'cell';
        c.tabIndex = 0;
        c.setAttribute('role', 'button');
        c.setAttribute('aria-label', `Layer ${l + 1} head ${h + 1}`);
        c.addEventListener('click', () => this.onPick(l, h));
        c.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            this.onPick(l, h);
          }
        });
        row.push(c);
        // The canvas and, under it, the head's role badges.
        const box = document.createElement('div');
        box.className = 'cell-box';
        const tags = document.createElement('div');
        tags.className = 'badges';
        tags.id = `badges-${l}-${h}`;
        c.setAttribute('aria-describedby', tags.id);
        box.append(c, tags);
        boxRow.push(box);
        this.table.appendChild(box);
      }
      this.cells.push(row);
      this.boxes.push(boxRow);
    });
  }

  /** Every head's role labels as badges (tooltip: score and meaning); the filter offers their kinds. */
  setLabels(labels: HeadLabel[][][], probed: boolean): void {
    this.labels = labels;
    this.filter.setSource(probed);
    this.boxes.forEach((row, l) => row.forEach((box, h) => {
      const ls = labels[l]?.[h] ?? [];
      const tags = box.lastElementChild as HTMLElement;
      tags.replaceChildren(...badges(ls));
      tags.setAttribute('aria-label', ls.length ? labelsText(ls) : 'no clear role');
    }));
    this.filter.setLabels(labels);
    this.applyFilter();
  }

  /** Shows only the heads with a role (null: all), as the filter select does. */
  showRole(kind: string | null): void {
    this.filter.pick(kind);
  }

  private applyFilter(): void {
    const kind = this.filter.value;
    this.boxes.forEach((row, l) => row.forEach((box, h) => {
      const has = kind !== null && (this.labels?.[l]?.[h] ?? []).some((x) => x.kind === kind);
      box.classList.toggle('match', has);
      box.classList.toggle('dim', kind !== null && !has);
    }));
  }

  /** Marks the focused layer (and head, in one-head mode). */
  select(layer: number, head: number | null): void {
    this.selected = { layer, head };
    this.cells.forEach((row, l) => row.forEach((c, h) => {
      c.classList.toggle('selected', l === layer && (head === null || h === head));
    }));
  }

  /** Redraws every cell for the pinned token (or whole matrices when null). */
  draw(pinned: number | null, direction: Direction): void {
    const stack = this.stack;
    if (!stack) return;
    const fg = this.colors.rgb('--vscode-foreground');
    stack.layers.forEach((layer, l) => {
      for (let h = 0; h < stack.heads; h++) {
        const canvas = this.cells[l][h];
        const ctx = canvas.getContext('2d');
        if (!ctx) continue;
        const rgb = this.colors.rgb(headVar(h));
        const m = layer.subarray(h * stack.seq * stack.seq, (h + 1) * stack.seq * stack.seq);
        if (pinned === null) drawMatrix(ctx, canvas.width, m, stack.seq, rgb);
        else drawLines(ctx, canvas.width, m, stack.seq, pinned, direction, rgb, fg);
      }
    });
    if (this.selected) this.select(this.selected.layer, this.selected.head);
  }
}

/** The whole [seq, seq] matrix; each pixel shows the largest weight it covers (√ scale, so faint structure shows). */
function drawMatrix(ctx: CanvasRenderingContext2D, px: number, m: Float32Array, seq: number, rgb: { r: number; g: number; b: number }): void {
  const img = ctx.createImageData(px, px);
  const best = maxPool(m, seq, px);
  const d = img.data;
  for (let k = 0; k < best.length; k++) {
    d[4 * k] = rgb.r;
    d[4 * k + 1] = rgb.g;
    d[4 * k + 2] = rgb.b;
    d[4 * k + 3] = Math.round(Math.sqrt(best[k]) * 255);
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * A [seq, seq] matrix shrunk (or grown) to [px, px]: each pixel holds the largest weight of the
 * cells it covers. Token k covers pixels [lo[k], hi[k]) on each axis, computed once rather than
 * per cell: the grid draws layers × heads × seq² cells on every paint (bench/README.md).
 */
export function maxPool(m: Float32Array, seq: number, px: number): Float32Array {
  const best = new Float32Array(px * px);
  const scale = px / seq;
  const lo = new Int32Array(seq);
  const hi = new Int32Array(seq);
  for (let k = 0; k < seq; k++) {
    lo[k] = Math.min(px, Math.floor(k * scale));
    hi[k] = Math.min(px, Math.max(lo[k] + 1, Math.floor((k + 1) * scale)));
  }
  for (let i = 0; i < seq; i++) {
    const rowAt = i * seq;
    for (let y = lo[i]; y < hi[i]; y++) {
      const at = y * px;
      for (let j = 0; j < seq; j++) {
        const w = m[rowAt + j];
        if (w === 0) continue;
        for (let x = at + lo[j], end = at + hi[j]; x < end; x++) if (w > best[x]) best[x] = w;
      }
    }
  }
  return best;
}

/** Lines from the pinned token (left column) to the tokens it attends to (right), alpha ∝ weight. */
function drawLines(
  ctx: CanvasRenderingContext2D, px: number, m: Float32Array, seq: number, pinned: number, direction: Direction,
  rgb: { r: number; g: number; b: number }, fg: { r: number; g: number; b: number },
): void {
  ctx.clearRect(0, 0, px, px);
  const y = (i: number): number => ((i + 0.5) / seq) * px;
  const left = px * 0.12;
  const right = px * 0.88;
  ctx.fillStyle = `rgba(${fg.r}, ${fg.g}, ${fg.b}, 0.25)`;
  ctx.fillRect(left - 2, 0, 2, px);
  ctx.fillRect(right, 0, 2, px);
  ctx.lineWidth = Math.max(1, px / 48);
  for (let j = 0; j < seq; j++) {
    const w = direction === 'from' ? m[pinned * seq + j] : m[j * seq + pinned];
    if (w < 0.005) continue;
    ctx.strokeStyle = `rgba(${rgb.r}, ${rgb.g}, ${rgb.b}, ${Math.min(1, w).toFixed(3)})`;
    ctx.beginPath();
    // 'from': the pinned token on the left attends to j on the right; 'to': j on the left attends to it.
    if (direction === 'from') {
      ctx.moveTo(left, y(pinned));
      ctx.lineTo(right, y(j));
    } else {
      ctx.moveTo(left, y(j));
      ctx.lineTo(right, y(pinned));
    }
    ctx.stroke();
  }
  ctx.fillStyle = `rgb(${rgb.r}, ${rgb.g}, ${rgb.b})`;
  ctx.fillRect(direction === 'from' ? left - 4 : right, y(pinned) - 2, 4, 4);
}
