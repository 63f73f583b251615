// The listen room's STFT against closed forms and against the log-mel front-end; its inverse by round trip (DESIGN.md §1.2, §7).
import { describe, expect, it } from 'vitest';
import { frameCount } from '../../src/audio/framing.js';
import { createLogMelFrameComputer } from '../../src/audio/logMelFrame.js';
import { melWeightMatrix } from '../../src/audio/melFilterbank.js';
import { OptionError, ShapeError } from '../../src/errors/index.js';
import { applyMask, istft, OVERLAP_FLOOR, STFT_BINS, stft } from '../../src/listen/index.js';
import { windowSquareSum } from '../../src/listen/window.js';
import { noise, sine } from '../helpers/signals.js';

const magnitude = (re: Float32Array, im: Float32Array, i: number): number => Math.hypot(re[i], im[i]);

describe('stft (DESIGN.md §1.2)', () => {
  it('puts a 1 kHz sine of amplitude 1 in bin 32 with magnitude Σw/2 = 100 (closed form; tolerance 1e-3)', () => {
    // 1000 Hz · 512 / 16 000 = bin 32, and 25 whole cycles per 400-sample window, so the negative-frequency image
    // (at 2 kHz, 50 cycles) is orthogonal to the periodic Hann: |X[32]| = Σ_n w[n] / 2 = 200 / 2 = 100 exactly.
    const spec = stft(sine(1000, 1, 0.5));
    expect(spec.bins).toBe(257);
    for (let t = 0; t < spec.frames; t++) {
      let peak = 0;
      for (let k = 1; k < STFT_BINS; k++) {
        if (magnitude(spec.re, spec.im, t * STFT_BINS + k) > magnitude(spec.re, spec.im, t * STFT_BINS + peak)) peak = k;
      }
      expect(peak).toBe(32);
      expect(Math.abs(magnitude(spec.re, spec.im, t * STFT_BINS + 32) - 100)).toBeLessThan(1e-3);
    }
  });

  it.each([0, 399, 400, 559, 560, 16_000])('gives frameCount(%i) frames, as the log-mel front-end (exact)', (samples) => {
    const spec = stft(new Float32Array(samples));
    expect(spec.frames).toBe(frameCount(samples));
    expect(spec.re.length).toBe(spec.frames * 257);
    expect(spec.im.length).toBe(spec.frames * 257);
  });

  it('reproduces the log-mel front-end: ln(|X|·W + 0.001) equals createLogMelFrameComputer() frame by frame (tolerance 1e-4)', () => {
    const waveform = noise(8_000, 0.5, 7);
    const spec = stft(waveform);
    const weights = melWeightMatrix(); // [257 × 64], row k = bin k
    const compute = createLogMelFrameComputer();
    let worst = 0;
    for (let t = 0; t < spec.frames; t++) {
      const expected = compute(waveform, t * 160);
      for (let m = 0; m < 64; m++) {
        let mel = 0;
        for (let k = 0; k < STFT_BINS; k++) mel += magnitude(spec.re, spec.im, t * STFT_BINS + k) * weights[k * 64 + m];
        worst = Math.max(worst, Math.abs(Math.log(mel + 0.001) - expected[m]));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('istft (DESIGN.md §7)', () => {
  const waveform = noise(16_000 + 123, 0.8, 42); // 101 frames; the last 83 samples lie past the last frame
  const spec = stft(waveform);
  const coveredSamples = 160 * (spec.frames - 1) + 400;

  it('returns the input with a mask of ones, away from the first and last 400 samples (tolerance 1e-4)', () => {
    const output = istft(applyMask(spec, new Float32Array(spec.frames * STFT_BINS).fill(1)), waveform.length);
    expect(output.length).toBe(waveform.length);
    let worst = 0;
    for (let n = 400; n < coveredSamples - 400; n++) worst = Math.max(worst, Math.abs(output[n] - waveform[n]));
    expect(worst).toBeLessThan(1e-4);
  });

  it('at the ends: exact wherever Σw² ≥ the floor, a fade that never exceeds the input below it, 0 past the last frame', () => {
    const output = istft(spec, waveform.length);
    let attenuated = 0;
    for (let n = 0; n < waveform.length; n++) {
      if (n >= coveredSamples) expect(output[n]).toBe(0);
      else if (windowSquareSum(n, spec.frames) >= OVERLAP_FLOOR) expect(Math.abs(output[n] - waveform[n])).toBeLessThan(1e-4);
      else {
        attenuated++;
        expect(Math.abs(output[n])).toBeLessThanOrEqual(Math.abs(waveform[n]) + 1e-6);
      }
    }
    // Where the floor applies: samples 0…22 (w(n)² < 1.02e-3 for n ≤ 22) and, as w(400 − n) = w(n), the last 22
    // samples of the last frame.
    expect(attenuated).toBe(23 + 22);
  });

  it('gives exact silence with a mask of zeros (max |x| = 0)', () => {
    const output = istft(applyMask(spec, new Float32Array(spec.frames * STFT_BINS)), waveform.length);
    expect(output.every((x) => x === 0)).toBe(true);
  });

  it('rejects a spectrogram whose arrays do not match its frames and bins, and a bad sample count', () => {
    expect(() => istft({ frames: 2, bins: 257, re: new Float32Array(514), im: new Float32Array(513) }, 560)).toThrow(ShapeError);
    expect(() => istft({ frames: 2, bins: 256, re: new Float32Array(512), im: new Float32Array(512) }, 560)).toThrow(ShapeError);
    expect(() => istft(spec, -1)).toThrow(OptionError);
    expect(() => applyMask(spec, new Float32Array(300))).toThrow(ShapeError);
  });
});
