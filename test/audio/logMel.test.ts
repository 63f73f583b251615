// The whole-clip YAMNet front-end against DESIGN.md §1: padding, frame counts, reference figures, the FFT.
import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { frameCount, paddedSampleCount, patchCount } from '../../src/audio/framing.js';
import { logMelPatches, logMelSpectrogram } from '../../src/audio/logMel.js';
import { hertzToMel, melWeightMatrix } from '../../src/audio/melFilterbank.js';
import { padWaveform } from '../../src/audio/framing.js';
import { sine } from '../helpers/signals.js';

describe('padding and counts (DESIGN.md §1.1 examples, exact)', () => {
  it.each([
    [0.5, 15_600, 96, 1],
    [1.0, 23_280, 144, 2],
    [3.0, 54_000, 336, 6],
    [10.3, 169_200, 1_056, 21],
  ])('%f s pads to %i samples, %i frames, %i patches', (seconds, samples, frames, patches) => {
    const n = Math.round(seconds * 16_000);
    expect(paddedSampleCount(n)).toBe(samples);
    expect(frameCount(samples)).toBe(frames);
    expect(patchCount(frames)).toBe(patches);
    expect(logMelPatches(new Float32Array(n))).toHaveLength(patches);
  });

  it('never pads a clip that is already a whole number of hops past the first patch', () => {
    expect(paddedSampleCount(15_600 + 7_680)).toBe(15_600 + 7_680);
    expect(paddedSampleCount(15_601)).toBe(15_600 + 7_680);
  });
});

describe('log-mel figures (DESIGN.md §1, from an independent float64 implementation; tolerance 1e-3)', () => {
  it('440 Hz sine, amplitude 1, 1 s: 144 frames, min −6.9078, max 4.7822, mean −5.2152', () => {
    const { frames, logMel } = logMelSpectrogram(padWaveform(sine(440, 1, 1)));
    expect(frames).toBe(144);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of logMel) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    expect(min).toBeCloseTo(-6.9078, 3);
    expect(max).toBeCloseTo(4.7822, 3);
    expect(sum / logMel.length).toBeCloseTo(-5.2152, 3);
  });

  it('digital silence is ln(0.001) in every band', () => {
    const { logMel } = logMelSpectrogram(new Float32Array(15_600));
    for (const v of logMel) expect(v).toBeCloseTo(Math.log(0.001), 6);
  });
});

describe('mel weight matrix (DESIGN.md §1.3)', () => {
  const weights = melWeightMatrix();
  it('is 257 × 64 with an all-zero DC row', () => {
    expect(weights.length).toBe(257 * 64);
    expect(Array.from(weights.subarray(0, 64)).every((w) => w === 0)).toBe(true);
  });
  it('peaks at 1 only where a bin sits on a band centre, and each weight follows the triangle formula', () => {
    const lowMel = hertzToMel(125);
    const step = (hertzToMel(7500) - lowMel) / 65;
    const k = 40; // 1250 Hz
    const m = hertzToMel((k * 8000) / 256);
    for (let j = 0; j < 64; j++) {
      const lower = lowMel + j * step;
      const expected = Math.max(0, Math.min((m - lower) / step, (lower + 2 * step - m) / step));
      expect(weights[k * 64 + j]).toBeCloseTo(expected, 12);
    }
  });
});

describe('fft.js real transform', () => {
  it('equals a direct DFT on a random 512-point frame to 1e-9', () => {
    const x = Float64Array.from({ length: 512 }, (_, i) => Math.sin(i * 1.7) + ((i * 7919) % 13) / 13);
    const fft = new FFT(512);
    const out = fft.createComplexArray();
    fft.realTransform(out, x);
    for (const k of [0, 1, 5, 100, 255, 256]) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < 512; n++) {
        re += x[n] * Math.cos((2 * Math.PI * k * n) / 512);
        im -= x[n] * Math.sin((2 * Math.PI * k * n) / 512);
      }
      expect(out[2 * k]).toBeCloseTo(re, 9);
      expect(out[2 * k + 1]).toBeCloseTo(im, 9);
    }
  });
});
