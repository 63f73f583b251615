// F32leChunker: float32 samples split across reads at any byte come out whole and in order.
import { describe, expect, it } from 'vitest';
import { F32leChunker } from '../../src/ffmpeg/f32leChunker.js';

function bytesOf(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

describe('F32leChunker', () => {
  const values = [0.5, -1, 0.25, 1e-7, -0.125, 3.5, -2.75];
  const bytes = bytesOf(values);

  it('gives back every sample for every way of cutting the bytes in three', () => {
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        const chunker = new F32leChunker();
        const out = [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)].flatMap((part) => [...chunker.push(part)]);
        expect(out).toEqual(values.map((v) => Math.fround(v)));
        expect(chunker.remainder).toBe(0);
      }
    }
  });

  it('handles reads of one byte at a time', () => {
    const chunker = new F32leChunker();
    const out: number[] = [];
    for (const byte of bytes) out.push(...chunker.push(Uint8Array.of(byte)));
    expect(out).toEqual(values.map((v) => Math.fround(v)));
  });

  it('copies from unaligned views (as Node pooled Buffers are)', () => {
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes, 1);
    const out = new F32leChunker().push(padded.subarray(1));
    expect(out.byteOffset).toBe(0);
    expect([...out]).toEqual(values.map((v) => Math.fround(v)));
  });

  it('reports bytes that do not make a whole sample', () => {
    const chunker = new F32leChunker();
    expect(chunker.push(bytes.subarray(0, 6)).length).toBe(1);
    expect(chunker.remainder).toBe(2);
  });
});
