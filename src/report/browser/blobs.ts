// Reads the page's binary blobs: base64 text in inert script elements, gzip-inflated by the browser's own DecompressionStream.
import type { BlobId } from '../reportTypes.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 → bytes: the built-in Uint8Array.fromBase64 where there is one, else a table-driven loop (atob builds a string per byte). */
function fromBase64(text: string): Uint8Array {
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native !== undefined) return native(text);
  const table = new Uint8Array(128);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  for (let i = 0, o = 0; i < text.length; i += 4) {
    const n = (table[text.charCodeAt(i)] << 18) | (table[text.charCodeAt(i + 1)] << 12) | (table[text.charCodeAt(i + 2)] << 6) | table[text.charCodeAt(i + 3)];
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** The bytes of blob `id`. */
export async function readBlob(id: BlobId): Promise<Uint8Array> {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the report has no blob "${id}"`);
  const packed = fromBase64(element.textContent ?? '');
  const stream = new Blob([packed as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
