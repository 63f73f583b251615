// encodePng against the PNG specification: signature, IHDR fields, chunk CRCs, and the pixels after inflating IDAT.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors/ShapeError.js';
import { crc32, encodePng } from '../../src/render/png.js';
import { decodePng, readChunks } from './decodePng.js';

describe('encodePng', () => {
  const width = 3;
  const height = 2;
  const rgba = Uint8Array.from({ length: width * height * 4 }, (_, i) => (i * 37 + 11) % 256);
  const png = encodePng(width, height, rgba);

  it('starts with the PNG signature and has IHDR, IDAT, IEND in order', () => {
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(readChunks(png).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('writes IHDR: width, height, bit depth 8, colour type 6 (RGBA), deflate, filter 0, no interlace', () => {
    const ihdr = readChunks(png)[0].data;
    expect(ihdr.length).toBe(13);
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ...ihdr.subarray(8)]).toEqual([3, 2, 8, 6, 0, 0, 0]);
  });

  it('stores the pixels exactly', () => {
    const decoded = decodePng(png);
    expect(decoded.width).toBe(3);
    expect(decoded.height).toBe(2);
    expect([...decoded.rgba]).toEqual([...rgba]);
  });

  it('computes the standard CRC-32 (check value of "123456789" is 0xCBF43926)', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('rejects a buffer of the wrong length', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow(ShapeError);
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow(ShapeError);
  });
});
