// Decoded samples that cannot be audio (NaN, ±Infinity, beyond ±64): the pure check, its message, and decodeAudio on float WAVs that hold them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBadSample, firstBadSample, MAX_SAMPLE_MAGNITUDE } from '../../src/audio/sampleBounds.js';
import { DecodeError } from '../../src/errors/index.js';
import { badSampleError } from '../../src/ffmpeg/badSampleError.js';
import { decodeAudio } from '../../src/operators/decodeAudio.js';
import { floatWavBytes, removeTempDirs, tempDir, writeBadFloatWav } from './makeFixtures.js';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(removeTempDirs);

describe('firstBadSample', () => {
  it('finds the first NaN, ±Infinity or |x| > 64, and −1 when there is none', () => {
    expect(firstBadSample(Float32Array.of(0, 1, -1, 64, -64))).toBe(-1);
    expect(firstBadSample(Float32Array.of(0, 0.5, Number.NaN, Number.POSITIVE_INFINITY))).toBe(2);
    expect(firstBadSample(Float32Array.of(0, Number.NEGATIVE_INFINITY))).toBe(1);
    expect(firstBadSample(Float32Array.of(64.01))).toBe(0);
    expect(firstBadSample(Float32Array.of(3, -65))).toBe(1);
    expect(firstBadSample(new Float32Array(0))).toBe(-1);
    expect(MAX_SAMPLE_MAGNITUDE).toBe(64);
  });

  it('describes each kind of bad sample, with its level over full scale (20·log10 |x|)', () => {
    expect(describeBadSample(Number.NaN)).toBe('a NaN sample');
    expect(describeBadSample(Number.NEGATIVE_INFINITY)).toBe('a sample of −Infinity');
    expect(describeBadSample(1e6)).toBe('a sample of 1.0e6 (120 dB over full scale)');
    expect(describeBadSample(-100)).toBe('a sample of -100 (40 dB over full scale)');
  });

  it('makes one DecodeError line naming the input, the time and the fix', () => {
    const nan = badSampleError({ input: 'a.wav', value: Number.NaN, sampleIndex: 24_000, sampleRateHz: 16_000 });
    expect(nan).toBeInstanceOf(DecodeError);
    expect(nan.message).toBe('"a.wav" holds a NaN sample at 1.50 s; the file is damaged or is not audio: re-encode it from a sound copy, or cut that part out');
    expect(nan.details.input).toBe('a.wav');
    const loud = badSampleError({ input: 'a.wav', value: 1e6, sampleIndex: 8000, sampleRateHz: 16_000 });
    expect(loud.message).toBe('"a.wav" holds a sample of 1.0e6 (120 dB over full scale) at 0.50 s; audio stays within ±64 (36 dB over full scale): re-encode it at its right level, e.g. ffmpeg -i in -af volume=-120dB out.wav');
  });
});

describe('decodeAudio on float WAVs holding samples that are not audio', () => {
  async function decodeError(path: string): Promise<DecodeError> {
    const error = await lastValueFrom(decodeAudio(path).pipe(toArray())).then(
      () => new Error('expected a DecodeError'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DecodeError);
    return error as DecodeError;
  }

  // The bad run starts at 1.5 s = sample 24 000 of a 16 kHz file, which ffmpeg passes through unresampled.
  it.each([
    ['NaN', Number.NaN, 'a NaN sample'],
    ['+Infinity', Number.POSITIVE_INFINITY, 'a sample of +Infinity'],
    ['-Infinity', Number.NEGATIVE_INFINITY, 'a sample of −Infinity'],
    ['1e6', 1e6, 'a sample of 1.0e6 (120 dB over full scale)'],
  ])('fails on %s at 1.50 s with one DecodeError line', async (name, value, what) => {
    const path = writeBadFloatWav(dir, `bad-${name}.wav`, value, 1.5);
    const error = await decodeError(path);
    expect(error.message.startsWith(`"${path}" holds ${what} at 1.50 s; `)).toBe(true);
    expect(error.message).not.toContain('\n');
    expect(error.details.input).toBe(path);
  });

  it('gives the time in the decoded 16 kHz audio of a 44.1 kHz input (to the 10 ms shown)', async () => {
    const error = await decodeError(writeBadFloatWav(dir, 'bad-44k.wav', Number.NaN, 1.25, 2, 44_100));
    // The resampler's filter spreads the NaN a few samples earlier: 1.25 s minus well under 5 ms still prints 1.25.
    expect(error.message).toMatch(/holds a NaN sample at 1\.2[45] s; /);
  });

  it('decodes float audio up to ±64 (36 dB over full scale), which unnormalised mixes reach', async () => {
    const samples = Float32Array.from({ length: 16_000 }, (_, i) => 60 * Math.sin((2 * Math.PI * 440 * i) / 16_000));
    const path = join(dir, 'hot.wav');
    writeFileSync(path, floatWavBytes(samples, 16_000));
    const chunks = await lastValueFrom(decodeAudio(path).pipe(toArray()));
    const decoded = chunks.reduce((n, c) => n + c.length, 0);
    expect(decoded).toBe(16_000);
    expect(Math.max(...chunks.map((c) => c.reduce((m, x) => Math.max(m, Math.abs(x)), 0)))).toBeCloseTo(60, 3);
  });
});
