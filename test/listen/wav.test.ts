// WAV encoding and decoding: header fields from the RIFF/WAVE layout, samples to one 16-bit step.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors/index.js';
import { decodeWav, encodeWav } from '../../src/listen/index.js';
import { noise } from '../helpers/signals.js';

describe('encodeWav / decodeWav', () => {
  it('round-trips samples in [−1, 1] to within 1/32768', () => {
    const samples = noise(1_000, 1, 5);
    const decoded = decodeWav(encodeWav(samples));
    expect(decoded.sampleRateHz).toBe(16_000);
    expect(decoded.samples.length).toBe(samples.length);
    for (let i = 0; i < samples.length; i++) expect(Math.abs(decoded.samples[i] - samples[i])).toBeLessThanOrEqual(1 / 32_768);
  });

  it('writes a 44-byte header: RIFF size 36 + data, data size 2·N, rate, 1 channel, 16 bits', () => {
    const wav = encodeWav(new Float32Array(10), 22_050);
    expect(wav.length).toBe(44 + 20);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(36 + 20);
    expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(wav.readUInt32LE(16)).toBe(16);
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.readUInt16LE(22)).toBe(1); // channels
    expect(wav.readUInt32LE(24)).toBe(22_050);
    expect(wav.readUInt32LE(28)).toBe(44_100); // bytes per second
    expect(wav.readUInt16LE(32)).toBe(2); // block align
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.toString('ascii', 36, 40)).toBe('data');
    expect(wav.readUInt32LE(40)).toBe(20);
  });

  it('clips |x| > 1 to full scale and writes NaN as 0', () => {
    const wav = encodeWav(Float32Array.of(1.5, -3, 1, -1, Number.NaN, 0.5));
    expect([0, 1, 2, 3, 4, 5].map((i) => wav.readInt16LE(44 + 2 * i))).toEqual([32_767, -32_768, 32_767, -32_768, 0, 16_384]);
  });

  it('reads 32-bit float WAV and skips unknown chunks', () => {
    const values = Float32Array.of(0.25, -0.125, 0.7);
    const list = Buffer.from('LIST\x03\x00\x00\x00abc\x00', 'latin1'); // odd size, padded to even
    const fmt = Buffer.alloc(24);
    fmt.write('fmt ', 0, 'ascii');
    fmt.writeUInt32LE(16, 4);
    fmt.writeUInt16LE(3, 8); // IEEE float
    fmt.writeUInt16LE(1, 10);
    fmt.writeUInt32LE(8_000, 12);
    fmt.writeUInt32LE(32_000, 16);
    fmt.writeUInt16LE(4, 20);
    fmt.writeUInt16LE(32, 22);
    const data = Buffer.alloc(8 + 12);
    data.write('data', 0, 'ascii');
    data.writeUInt32LE(12, 4);
    values.forEach((v, i) => data.writeFloatLE(v, 8 + 4 * i));
    const head = Buffer.alloc(12);
    head.write('RIFF', 0, 'ascii');
    head.writeUInt32LE(4 + list.length + fmt.length + data.length, 4);
    head.write('WAVE', 8, 'ascii');
    const decoded = decodeWav(Buffer.concat([head, list, fmt, data]));
    expect(decoded.sampleRateHz).toBe(8_000);
    expect(Array.from(decoded.samples)).toEqual(Array.from(values));
  });

  it('rejects what it cannot read with a DecodeError saying why', () => {
    expect(() => decodeWav(Buffer.from('not a wav file at all'))).toThrow(DecodeError);
    const stereo = encodeWav(new Float32Array(4));
    stereo.writeUInt16LE(2, 22);
    expect(() => decodeWav(stereo)).toThrow(/expected 1 channel, got 2/);
    const eightBit = encodeWav(new Float32Array(4));
    eightBit.writeUInt16LE(8, 34);
    expect(() => decodeWav(eightBit)).toThrow(/16-bit PCM or 32-bit float/);
    expect(() => decodeWav(encodeWav(new Float32Array(4)).subarray(0, 36))).toThrow(/no data chunk/);
  });
});
