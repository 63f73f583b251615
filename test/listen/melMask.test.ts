// The mel-to-linear mask against DESIGN.md §7's formula, computed here independently from the float64 filterbank.
import { describe, expect, it } from 'vitest';
import { melWeightMatrix } from '../../src/audio/melFilterbank.js';
import { OptionError, ShapeError } from '../../src/errors/index.js';
import { melToLinearMask } from '../../src/listen/index.js';
import { seededRandom } from '../helpers/signals.js';

const weights = melWeightMatrix(); // [257 × 64], row k = bin k

/** g[t, k] = Σ_m W[k, m]·A⁺[t, m] / Σ_m W[k, m], no smoothing or scaling, in float64. */
function spreadByFormula(attribution: Float32Array, frames: number): Float64Array {
  const g = new Float64Array(frames * 257);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < 257; k++) {
      let num = 0;
      let den = 0;
      for (let m = 0; m < 64; m++) {
        const a = attribution[t * 64 + m];
        num += weights[k * 64 + m] * (a > 0 ? a : 0);
        den += weights[k * 64 + m];
      }
      g[t * 257 + k] = den > 0 ? num / den : 0;
    }
  }
  return g;
}

function randomAttribution(frames: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: frames * 64 }, () => 2 * random() - 1);
}

describe('melToLinearMask (DESIGN.md §7)', () => {
  it('equals min(1, g / p99 of the nonzero g) from the formula, and lies in [0, 1] (tolerance 1e-6)', () => {
    const frames = 50;
    const attribution = randomAttribution(frames, 3);
    const mask = melToLinearMask(attribution, frames, { smoothFrames: 1 });
    const g = spreadByFormula(attribution, frames);
    const nonzero = Array.from(g).filter((v) => v > 0).sort((a, b) => a - b);
    const reference = nonzero[Math.ceil(0.99 * nonzero.length) - 1]; // nearest-rank 99th percentile
    expect(mask.length).toBe(frames * 257);
    for (let i = 0; i < mask.length; i++) {
      expect(mask[i]).toBeGreaterThanOrEqual(0);
      expect(mask[i]).toBeLessThanOrEqual(1);
      expect(Math.abs(mask[i] - Math.min(1, g[i] / reference))).toBeLessThan(1e-6);
    }
  });

  it('maps the 99th percentile (nearest rank) of the nonzero gains to exactly 1; the 1 % above it clip to 1', () => {
    const frames = 40;
    const mask = melToLinearMask(randomAttribution(frames, 11), frames);
    const nonzero = Array.from(mask).filter((v) => v > 0).sort((a, b) => a - b);
    const rank = Math.ceil(0.99 * nonzero.length) - 1;
    expect(nonzero[rank]).toBe(1);
    expect(nonzero[rank - 1]).toBeLessThan(1);
    expect(nonzero.slice(rank).every((v) => v === 1)).toBe(true);
  });

  it('lights only the bins under a single band’s triangle, with their normalised weights (tolerance 1e-6)', () => {
    const band = 30;
    const attribution = new Float32Array(3 * 64);
    attribution[64 + band] = 2.5; // middle frame only
    const mask = melToLinearMask(attribution, 3, { smoothFrames: 1, scalePercentile: 1 });
    const g = spreadByFormula(attribution, 3);
    const peak = Math.max(...g);
    for (let t = 0; t < 3; t++) {
      for (let k = 0; k < 257; k++) {
        const under = t === 1 && weights[k * 64 + band] > 0;
        if (!under) expect(mask[t * 257 + k]).toBe(0);
        else expect(Math.abs(mask[t * 257 + k] - g[t * 257 + k] / peak)).toBeLessThan(1e-6);
      }
    }
  });

  it('gives 0 at DC, below 125 Hz and from 7500 Hz up, whatever the attribution (exact)', () => {
    const frames = 5;
    const mask = melToLinearMask(new Float32Array(frames * 64).fill(1), frames);
    for (let t = 0; t < frames; t++) {
      for (let k = 0; k < 257; k++) {
        const hz = k * 31.25;
        if (hz <= 125 || hz >= 7500) expect(mask[t * 257 + k]).toBe(0);
        else expect(mask[t * 257 + k]).toBe(1); // a constant attribution spreads to a constant gain
      }
    }
  });

  it('gives all zeros for an all-zero, all-negative or NaN attribution', () => {
    for (const fill of [0, -1, Number.NaN]) {
      const mask = melToLinearMask(new Float32Array(4 * 64).fill(fill), 4);
      expect(mask.every((v) => v === 0)).toBe(true);
    }
    expect(melToLinearMask(new Float32Array(0), 0)).toHaveLength(0);
  });

  it('smooths along time with a centred mean over smoothFrames frames (3: frames t−1…t+1; tolerance 1e-6)', () => {
    const attribution = new Float32Array(5 * 64);
    attribution.fill(1, 2 * 64, 3 * 64); // frame 2 only
    const mask = melToLinearMask(attribution, 5, { smoothFrames: 3, scalePercentile: 1 });
    const k = 100;
    expect(Array.from({ length: 5 }, (_unused, t) => mask[t * 257 + k])).toEqual([0, 1, 1, 1, 0]);
    const wide = melToLinearMask(attribution, 5, { smoothFrames: 5, scalePercentile: 1 });
    // Means over the frames that exist: 1/3, 1/4, 1/5, 1/4, 1/3, scaled by the largest, 1/3.
    const expected = [1, 3 / 4, 3 / 5, 3 / 4, 1];
    for (let t = 0; t < 5; t++) expect(Math.abs(wide[t * 257 + k] - expected[t])).toBeLessThan(1e-6);
  });

  it('rejects bad options and a mismatched attribution length', () => {
    const attribution = new Float32Array(2 * 64);
    expect(() => melToLinearMask(attribution, 2, { scalePercentile: 0 })).toThrow(OptionError);
    expect(() => melToLinearMask(attribution, 2, { scalePercentile: 1.5 })).toThrow(OptionError);
    expect(() => melToLinearMask(attribution, 2, { smoothFrames: 0 })).toThrow(OptionError);
    expect(() => melToLinearMask(attribution, 2, { bands: 32 as 64 })).toThrow(/`bands` option/);
    expect(() => melToLinearMask(attribution, 3)).toThrow(ShapeError);
    expect(() => melToLinearMask(attribution, 2.5)).toThrow(OptionError);
  });
});
