// PNG and SVG of the view: the header lines and the tokens laid out as on screen (newlines kept,
// long lines wrapped), each lit token filled in its colour(s) with alpha ∝ weight. Colours are the
// theme's, resolved to RGB, since a file cannot read --vscode-* variables.
import type { TokenInfo } from '../src/shared/protocol';
import type { Rgb } from './colors';

export interface Fill { rgb: Rgb; alpha: number }

export interface Picture {
  title: string[];
  tokens: readonly TokenInfo[];
  /** Fills per lit token index (several for several heads, drawn side by side). */
  fills: Map<number, Fill[]>;
  active: number | null;
  background: Rgb;
  foreground: Rgb;
  muted: Rgb;
  accent: Rgb;
  fontFamily: string;
}

export interface Box { index: number; text: string; x: number; y: number; w: number }

const FONT_SIZE = 13;
const LINE = 20;
const PAD = 12;
const WIDTH = 900;

/** Places each visible piece of each token; text after a newline starts a new line. */
export function layout(tokens: readonly TokenInfo[], measure: (s: string) => number, maxWidth: number): { boxes: Box[]; lines: number } {
  const boxes: Box[] = [];
  let x = 0;
  let line = 0;
  tokens.forEach((t, index) => {
    const pieces = t.special ? [index === 0 ? 'bos' : 'special'] : t.text.replace(/\r/g, '').replace(/\t/g, '    ').split('\n');
    pieces.forEach((piece, k) => {
      if (k > 0) {
        line++;
        x = 0;
      }
      if (!piece && pieces.length > 1) return;
      // a special token is a chip: room around its label
      const w = t.special ? measure(piece) + 8 : Math.max(measure(piece), 3);
      if (x > 0 && x + w > maxWidth) {
        line++;
        x = 0;
      }
      boxes.push({ index, text: piece, x, y: line, w });
      x += w;
    });
  });
  return { boxes, lines: line + 1 };
}

const css = (c: Rgb, a = 1): string => `rgba(${c.r}, ${c.g}, ${c.b}, ${a.toFixed(3)})`;

export function renderPng(p: Picture): string {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d canvas');
  const font = `${FONT_SIZE}px ${p.fontFamily}`;
  ctx.font = font;
  const { boxes, lines } = layout(p.tokens, (s) => ctx.measureText(s).width, WIDTH - 2 * PAD);
  const top = PAD + p.title.length * LINE + 8;
  canvas.width = WIDTH;
  canvas.height = top + lines * LINE + PAD;
  ctx.fillStyle = css(p.background);
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = font;
  ctx.textBaseline = 'middle';
  p.title.forEach((t, i) => {
    ctx.fillStyle = css(i === 0 ? p.foreground : p.muted);
    ctx.fillText(t, PAD, PAD + i * LINE + LINE / 2);
  });
  for (const b of boxes) {
    const x = PAD + b.x;
    const y = top + b.y * LINE;
    const fills = p.fills.get(b.index) ?? [];
    fills.forEach((f, k) => {
      ctx.fillStyle = css(f.rgb, f.alpha);
      ctx.fillRect(x + (b.w * k) / fills.length, y + 1, b.w / fills.length, LINE - 2);
    });
    if (b.index === p.active) {
      ctx.strokeStyle = css(p.accent);
      ctx.lineWidth = 2;
      ctx.strokeRect(x, y + 1, b.w, LINE - 2);
    }
    const special = p.tokens[b.index].special;
    if (special) {
      ctx.strokeStyle = css(p.muted);
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 1.5, y + 3.5, b.w - 3, LINE - 7);
    }
    ctx.fillStyle = css(special ? p.muted : p.foreground);
    ctx.fillText(b.text, special ? x + 4 : x, y + LINE / 2);
  }
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderSvg(p: Picture, measure: (s: string) => number): string {
  const { boxes, lines } = layout(p.tokens, measure, WIDTH - 2 * PAD);
  const top = PAD + p.title.length * LINE + 8;
  const height = top + lines * LINE + PAD;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${esc(p.fontFamily)}" font-size="${FONT_SIZE}">`,
    `<rect width="100%" height="100%" fill="${css(p.background)}"/>`,
  ];
  p.title.forEach((t, i) => {
    out.push(`<text x="${PAD}" y="${PAD + i * LINE + LINE / 2}" dominant-baseline="middle" fill="${css(i === 0 ? p.foreground : p.muted)}">${esc(t)}</text>`);
  });
  for (const b of boxes) {
    const x = PAD + b.x;
    const y = top + b.y * LINE;
    const fills = p.fills.get(b.index) ?? [];
    fills.forEach((f, k) => {
      out.push(`<rect x="${(x + (b.w * k) / fills.length).toFixed(2)}" y="${y + 1}" width="${(b.w / fills.length).toFixed(2)}" height="${LINE - 2}" fill="${css(f.rgb, f.alpha)}"/>`);
    });
    if (b.index === p.active) {
      out.push(`<rect x="${x.toFixed(2)}" y="${y + 1}" width="${b.w.toFixed(2)}" height="${LINE - 2}" fill="none" stroke="${css(p.accent)}" stroke-width="2"/>`);
    }
    const special = p.tokens[b.index].special;
    if (special) {
      out.push(`<rect x="${(x + 1.5).toFixed(2)}" y="${y + 3.5}" width="${(b.w - 3).toFixed(2)}" height="${LINE - 7}" fill="none" stroke="${css(p.muted)}"/>`);
    }
    out.push(`<text x="${(special ? x + 4 : x).toFixed(2)}" y="${y + LINE / 2}" dominant-baseline="middle" xml:space="preserve" fill="${css(special ? p.muted : p.foreground)}">${esc(b.text)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
