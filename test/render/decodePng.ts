// A test-side PNG reader for what encodePng writes (RGBA, filter 0), checking every chunk CRC with Node's zlib.crc32.
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { expect } from 'vitest';

/** Split a PNG file into its chunks, checking each CRC with Node's own zlib.crc32. */
export function readChunks(png: Buffer): { type: string; data: Buffer }[] {
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(zlibCrc32(png.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  return chunks;
}

/** Decode an RGBA, filter-0 PNG as encodePng writes it. */
export function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  const chunks = readChunks(png);
  const ihdr = chunks[0].data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0); // filter type None
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, rgba };
}
