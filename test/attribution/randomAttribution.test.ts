// The random control: seeded, complete by construction, both signs, and ranks unrelated to the input.
import type { ExplainedFunction } from '../../src/types.js';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PatchValues } from '../../src/attribution/explainedFunction.js';
import { randomAttribution, randomUniforms } from '../../src/attribution/randomAttribution.js';
import { selectBackend } from '../../src/engine/backend.js';
import { OptionError } from '../../src/errors/index.js';
import { SILENCE_LOG_MEL } from '../../src/types.js';

const FRAMES = 96;
const BANDS = 64;
const SIZE = FRAMES * BANDS;
/** A YAMNet-sized patch with log-mel-like structure: smooth in time and frequency, between about −7 and −1. */
const X: PatchValues = {
  values: Float32Array.from({ length: SIZE }, (_, i) => -4 + 3 * Math.sin(Math.floor(i / BANDS) / 7) * Math.cos((i % BANDS) / 5)),
  frames: FRAMES,
  bands: BANDS,
};
const W = Float32Array.from({ length: SIZE }, (_, i) => Math.cos(0.37 * i) / 100);

/** F(x) = Σ W ⊙ x + 0.5, [B]. */
const linear: ExplainedFunction = (x) => tf.add(tf.sum(tf.mul(x, tf.tensor3d(W, [1, FRAMES, BANDS])), [1, 2]), 0.5) as tf.Tensor1D; // [B]
/** Two outputs: [Σ W ⊙ x + 0.5, mean x²], [B, 2]. */
const twoOutputs: ExplainedFunction = (x) => tf.stack([linear(x), tf.mean(tf.square(x), [1, 2])], 1) as tf.Tensor2D; // [B, 2]
/** A constant: F(x) = F(silence), so the values stay unscaled. */
const constant: ExplainedFunction = (x) => tf.fill([x.shape[0]], 3) as tf.Tensor1D; // [B]

/** Ranks 0…n−1 (no ties expected among float draws or the smooth input; ties broken by position). */
function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const result = new Float64Array(values.length);
  order.forEach((index, rank) => (result[index] = rank));
  return result;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let [ma, mb] = [0, 0];
  for (let i = 0; i < n; i++) [ma, mb] = [ma + a[i] / n, mb + b[i] / n];
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < n; i++) [ab, aa, bb] = [ab + (a[i] - ma) * (b[i] - mb), aa + (a[i] - ma) ** 2, bb + (b[i] - mb) ** 2];
  return ab / Math.sqrt(aa * bb);
}

const spearman = (a: ArrayLike<number>, b: ArrayLike<number>): number => pearson(ranks(a), ranks(b));
function sumOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

/** F at silence, computed here from its definition (W · silence + 0.5 and silence²). */
const F_SILENCE = [sumOf(W) * SILENCE_LOG_MEL + 0.5, SILENCE_LOG_MEL ** 2];

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('randomAttribution', () => {
  it('sums to F(x) − F(silence) for every output, with no gradient calls', async () => {
    let calls = 0;
    const counted: ExplainedFunction = (x) => {
      calls++;
      return twoOutputs(x);
    };
    const result = await randomAttribution(counted, X, { seed: 4 });
    expect([result.method, result.steps, result.evaluations, result.modelCalls, calls]).toEqual(['random', 0, 0, 0, 1]);
    for (const k of [0, 1]) {
      const { completeness } = result.outputs[k];
      // F(b) from the definition, to float32 precision of sums over 6 144 cells.
      expect(completeness.fBaseline).toBeCloseTo(F_SILENCE[k], 3);
      const change = completeness.fInput - completeness.fBaseline;
      expect(Math.abs(change)).toBeGreaterThan(0.1); // so the check below is not vacuous
      // Float32 values summed in float64: relative error ~1e-7 of Σ|a|, which the scale Δ/Σu can make ~1e-5 of Δ.
      expect(Math.abs(sumOf(result.outputs[k].attribution) - change)).toBeLessThan(1e-4 * Math.abs(change));
      expect(completeness.relError).toBeLessThan(1e-4);
    }
  });

  it('is the seeded uniforms of each output, scaled by (F(x) − F(b)) / Σ u', async () => {
    const result = await randomAttribution(twoOutputs, X, { seed: 4 });
    const uniforms = randomUniforms(SIZE, 2, 4);
    for (const k of [0, 1]) {
      const { fInput, fBaseline } = result.outputs[k].completeness;
      const scale = (fInput - fBaseline) / sumOf(uniforms[k]);
      const expected = Float32Array.from(uniforms[k], (u) => u * scale);
      let worst = 0;
      for (let j = 0; j < SIZE; j++) worst = Math.max(worst, Math.abs(result.outputs[k].attribution[j] - expected[j]));
      expect(worst).toBeLessThanOrEqual(1e-6 * Math.abs(scale)); // float32 rounding of values ≤ |scale|
    }
    expect(Math.abs(spearman(result.outputs[0].attribution, result.outputs[1].attribution))).toBeLessThan(0.06); // separate streams (bound as below)
  });

  it('repeats with the same seed and differs with another (and for each output)', async () => {
    const a = await randomAttribution(linear, X, { seed: 10 });
    expect((await randomAttribution(linear, X, { seed: 10 })).attribution).toEqual(a.attribution);
    expect((await randomAttribution(linear, X, { seed: 11 })).attribution).not.toEqual(a.attribution);
    expect((await randomAttribution(linear, X)).attribution).toEqual((await randomAttribution(linear, X, { seed: 0 })).attribution);
    // Neighbouring seeds do not share streams: seed 0's second output is not seed 1's first.
    const [seed0, seed1] = [randomUniforms(8, 2, 0), randomUniforms(8, 1, 1)];
    expect(seed0[1]).not.toEqual(seed1[0]);
    expect(seed0[0]).not.toEqual(seed0[1]);
  });

  it('covers both signs, with uniformly spread values', () => {
    const [u] = randomUniforms(SIZE, 1, 0);
    expect(u.every((v) => v >= -1 && v < 1)).toBe(true);
    // 10 equal bins of [−1, 1): 614.4 expected each, binomial sd 23.5; bound ± 92 (3.9 sd).
    const bins = new Array(10).fill(0);
    for (const v of u) bins[Math.floor((v + 1) * 5)]++;
    for (const count of bins) expect(Math.abs(count - SIZE / 10)).toBeLessThan(92);
  });

  it('has ranks unrelated to the input and to neighbouring cells (|Spearman ρ| < 0.06 on 96 × 64)', async () => {
    // Under independence ρ has sd 1/√(n − 1) = 0.0128 for n = 6 144: 0.06 is 4.7 sd, for every seed tried here.
    for (const seed of [0, 1, 2]) {
      const result = await randomAttribution(linear, X, { seed });
      const a = result.attribution;
      expect(a.some((v) => v > 0) && a.some((v) => v < 0)).toBe(true);
      expect(Math.abs(spearman(a, X.values))).toBeLessThan(0.06);
      const nextFrame = a.subarray(BANDS);
      expect(Math.abs(spearman(a.subarray(0, SIZE - BANDS), nextFrame))).toBeLessThan(0.06);
      const nextBand = Float32Array.from({ length: SIZE - 1 }, (_, j) => a[j + 1]);
      expect(Math.abs(spearman(a.subarray(0, SIZE - 1), nextBand))).toBeLessThan(0.06);
    }
    // The check can fail: the input against a monotone function of itself has ρ = 1.
    expect(spearman(X.values, Float32Array.from(X.values, (v) => v ** 3))).toBeCloseTo(1, 6);
  });

  it('leaves the values unscaled where F(x) = F(silence), and completeness shows the gap', async () => {
    const result = await randomAttribution(constant, X, { seed: 2 });
    const [u] = randomUniforms(SIZE, 1, 2);
    expect(Array.from(result.attribution)).toEqual(Array.from(Float32Array.from(u)));
    expect(result.completeness.fInput - result.completeness.fBaseline).toBe(0);
    expect(result.completeness.absError).toBeCloseTo(Math.abs(sumOf(u)), 3);
    expect(result.completeness.absError).toBeGreaterThan(1); // Σ u ≠ 0: the gap is real, not hidden
  });

  it('rejects a bad seed, naming it', async () => {
    for (const seed of [0.5, Number.NaN, '3']) {
      await expect(randomAttribution(linear, X, { seed: seed as number })).rejects.toThrow(OptionError);
      await expect(randomAttribution(linear, X, { seed: seed as number })).rejects.toThrow(/`seed` option to be an integer/);
    }
  });

  it('leaves tensor memory unchanged after 50 runs', async () => {
    await randomAttribution(twoOutputs, X);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) await randomAttribution(i % 2 === 0 ? twoOutputs : linear, X, { seed: i });
    expect(tf.memory().numTensors).toBe(before);
  });
});
