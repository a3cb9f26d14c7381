// Colours come only from the theme (--vscode-* variables), so light, dark and high-contrast themes
// all work. Heads get the theme's chart colours first (BertViz-like: blue, orange, green, red,
// purple, yellow), then terminal ANSI colours; media/panel.css maps --al-head-N to them.

export const HEAD_PALETTE = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-red',
  '--vscode-charts-purple',
  '--vscode-charts-yellow',
  '--vscode-terminal-ansiCyan',
  '--vscode-terminal-ansiMagenta',
  '--vscode-terminal-ansiBrightBlue',
  '--vscode-terminal-ansiBrightGreen',
  '--vscode-terminal-ansiBrightRed',
  '--vscode-terminal-ansiBrightYellow',
] as const;

/** The theme variable for a head's colour (the palette repeats past 12 heads). */
export function headVar(head: number): string {
  return HEAD_PALETTE[head % HEAD_PALETTE.length];
}

/** The accent for combined views (mean, max, rollout). */
export const ACCENT_VAR = '--vscode-focusBorder';

/** A CSS colour: the variable mixed with transparency, alpha in [0, 1]. */
export function tint(varName: string, alpha: number): string {
  const pct = Math.round(Math.max(0, Math.min(1, alpha)) * 100);
  return `color-mix(in srgb, var(${varName}) ${pct}%, transparent)`;
}

export interface Rgb { r: number; g: number; b: number }

/**
 * Resolves theme variables to RGB for canvas and file exports (which cannot use var()). The value
 * is parsed by drawing it on a 1×1 canvas, so any CSS colour syntax the theme uses works.
 */
export class ThemeColors {
  private cache = new Map<string, Rgb>();
  private readonly probe: CanvasRenderingContext2D;

  constructor(private readonly root: Element = document.body) {
    const c = document.createElement('canvas');
    c.width = c.height = 1;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2d canvas');
    this.probe = ctx;
  }

  /** Forget resolved colours (the theme changed). */
  reset(): void {
    this.cache.clear();
  }

  rgb(varName: string, fallbackVar = '--vscode-foreground'): Rgb {
    const hit = this.cache.get(varName);
    if (hit) return hit;
    const style = getComputedStyle(this.root);
    const value = style.getPropertyValue(varName).trim() || style.getPropertyValue(fallbackVar).trim() || style.color;
    const ctx = this.probe;
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000';
    ctx.fillStyle = value;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    const rgb = { r, g, b };
    this.cache.set(varName, rgb);
    return rgb;
  }

  css(varName: string, alpha = 1, fallbackVar?: string): string {
    const { r, g, b } = this.rgb(varName, fallbackVar);
    return alpha >= 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha.toFixed(3)})`;
  }
}
