/** How a response body preview is shown: pretty JSON, text, an image, or hex. Pure. */
import type { BodyPreview } from '../extension/protocol';

export type BodyView =
  | { kind: 'text'; text: string }
  | { kind: 'image'; dataUrl: string }
  | { kind: 'hex'; text: string };

/** Raster types only: an SVG is a document and could carry script. */
const IMAGES = /^image\/(png|jpeg|gif|webp|avif|bmp)$/i;

export function bodyView(preview: BodyPreview): BodyView {
  const type = preview.contentType.split(';')[0]!.trim().toLowerCase();
  if (preview.encoding === 'text') {
    if (/json/.test(type) && !preview.truncated) {
      try {
        return { kind: 'text', text: JSON.stringify(JSON.parse(preview.data), null, 2) };
      } catch {
        /* not valid JSON after all: show it as it is */
      }
    }
    return { kind: 'text', text: preview.data };
  }
  if (IMAGES.test(type) && !preview.truncated && /^[A-Za-z0-9+/]*={0,2}$/.test(preview.data)) {
    return { kind: 'image', dataUrl: `data:${type};base64,${preview.data}` };
  }
  return { kind: 'hex', text: hexDump(atob(preview.data), 4096) };
}

export function hexDump(binary: string, max: number): string {
  const lines: string[] = [];
  for (let offset = 0; offset < binary.length && offset < max; offset += 16) {
    const bytes = binary.slice(offset, offset + 16);
    const hex = [...bytes].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(' ');
    const ascii = [...bytes].map((c) => (c >= ' ' && c <= '~' ? c : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (binary.length > max) lines.push('…');
  return lines.join('\n');
}
