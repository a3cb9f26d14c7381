// What an export from the panel becomes on disk: a safe default file name and the bytes.
import type { SaveMessage } from '../shared/protocol';

/**
 * The file name to offer in the save dialog: only the base name the webview suggested (never a
 * path), with characters outside letters, digits, space, dot, dash and underscore replaced, and
 * the format's extension.
 */
export function exportFileName(suggested: string, format: SaveMessage['format']): string {
  let name = (suggested.replace(/\\/g, '/').replace(/\/+$/, '').split('/').pop() ?? '').replace(/[^\w.\- ]/g, '_').trim();
  if (!name || name.startsWith('.')) name = `attention.${format}`;
  if (!name.toLowerCase().endsWith(`.${format}`)) name += `.${format}`;
  return name;
}

/** The bytes to write; throws when base64 data is not base64 (decoders that skip junk would hide it). */
export function exportBytes(msg: Pick<SaveMessage, 'data' | 'encoding'>): Uint8Array {
  if (msg.encoding === 'utf8') return new TextEncoder().encode(msg.data);
  const clean = msg.data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) throw new Error('the exported data is not valid base64');
  // atob exists in Node 16+ and in the browser worker host alike.
  const text = atob(clean);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export const EXPORT_LABELS: Record<SaveMessage['format'], string> = {
  json: 'JSON', png: 'PNG image', svg: 'SVG image', html: 'HTML page',
};
