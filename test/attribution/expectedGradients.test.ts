// Expected Gradients on functions with closed-form gradients, recomputed from the method's own seeded draws.
// The two-output reference function needs the gradient of tf.stack, beyond the library's own: the umbrella package, a dev dependency.
import '@tensorflow/tfjs';
import type { AsyncExplainedFunction, ExplainedFunction } from '../../src/types.js';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PatchValues } from '../../src/attribution/explainedFunction.js';
import { expectedGradients, expectedGradientsDraws } from '../../src/attribution/expectedGradients.js';
import { selectBackend } from '../../src/engine/backend.js';
import { OptionError, ShapeError } from '../../src/errors/index.js';
import { SILENCE_LOG_MEL } from '../../src/types.js';
import { counted, expectClose } from '../helpers/attributionChecks.js';

const FRAMES = 4;
const BANDS = 3;
const SIZE = FRAMES * BANDS;
/** A small patch with both signs and a spread of values (as in peers.test.ts). */
const X: PatchValues = { values: Float32Array.from({ length: SIZE }, (_, i) => 2.5 * Math.sin(1.7 * i + 0.3)), frames: FRAMES, bands: BANDS };
const W = Float32Array.from({ length: SIZE }, (_, i) => Math.cos(0.9 * i) - 0.2);
const C = 0.75;
/** Three given baselines, rows of [3 × T × F]. */
const ROWS = { values: Float32Array.from({ length: 3 * SIZE }, (_, i) => Math.floor(i / SIZE) - 1 + 0.1 * Math.cos(i)), count: 3 };

/** F(x) = Σ W ⊙ x + c, [B]. */
const linear: ExplainedFunction = (x) => tf.add(tf.sum(tf.mul(x, tf.tensor3d(W, [1, FRAMES, BANDS])), [1, 2]), C) as tf.Tensor1D; // [B]
/** F(x) = Σ x², [B]. */
const square: ExplainedFunction = (x) => tf.sum(tf.square(x), [1, 2]) as tf.Tensor1D; // [B]
/** Two outputs: [Σ W ⊙ x + c, Σ x²], [B, 2]. */
const twoOutputs: ExplainedFunction = (x) => tf.stack([linear(x), square(x)], 1) as tf.Tensor2D; // [B, 2]

/** Row i of a row-major [n × SIZE] array. */
const rowOf = (values: Float32Array, i: number): Float32Array => values.subarray(i * SIZE, (i + 1) * SIZE);

/** mean over samples of each cell of a row-major [n × SIZE] array, in float64. */
function meanRow(values: Float32Array, n: number): Float64Array {
  const mean = new Float64Array(SIZE);
  for (let i = 0; i < n; i++) for (let j = 0; j < SIZE; j++) mean[j] += values[i * SIZE + j] / n;
  return mean;
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('expectedGradientsDraws', () => {
  it('draws α in [0, 1) and noise baselines around silence with σ = noiseLevel × the input range', () => {
    const samples = 200;
    const { baselines, alphas } = expectedGradientsDraws(X, { samples, noiseLevel: 0.2, seed: 3 });
    expect([baselines.length, alphas.length]).toEqual([samples * SIZE, samples]);
    expect(alphas.every((a) => a >= 0 && a < 1)).toBe(true);
    const range = Math.max(...X.values) - Math.min(...X.values);
    let [sum, squares] = [0, 0];
    for (const v of baselines) [sum, squares] = [sum + v, squares + v * v];
    const mean = sum / baselines.length;
    const sd = Math.sqrt(squares / baselines.length - mean * mean);
    // 2 400 normal draws: the mean's standard error is 0.2 · range / √2400 ≈ 0.02, the sd's ≈ 1.5 %; bounds are ~4 of those.
    expect(Math.abs(mean - SILENCE_LOG_MEL)).toBeLessThan(0.08);
    expect(sd / (0.2 * range)).toBeGreaterThan(0.94);
    expect(sd / (0.2 * range)).toBeLessThan(1.06);
    // 200 uniform α: mean 1/2 with standard error 0.02.
    expect(Math.abs(alphas.reduce((s, a) => s + a, 0) / samples - 0.5)).toBeLessThan(0.08);
  });

  it('picks given baselines by row, every row in use, and gives silence itself for noiseLevel 0', () => {
    const { baselines } = expectedGradientsDraws(X, { baselines: ROWS, samples: 30, seed: 1 });
    const used = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const row = [0, 1, 2].find((r) => rowOf(baselines, i).every((v, j) => v === ROWS.values[r * SIZE + j]));
      expect(row).toBeDefined();
      used.add(row as number);
    }
    expect(used.size).toBe(3); // 30 draws miss a given row with probability 3 · (2/3)³⁰ ≈ 1.6e-5 (and the seed is fixed)
    const quiet = expectedGradientsDraws(X, { noiseLevel: 0, samples: 4 });
    expect(quiet.baselines.every((v) => v === Math.fround(SILENCE_LOG_MEL))).toBe(true);
  });

  it('repeats with the same seed and differs with another', () => {
    const a = expectedGradientsDraws(X, { samples: 5, seed: 7 });
    expect(expectedGradientsDraws(X, { samples: 5, seed: 7 })).toEqual(a);
    const b = expectedGradientsDraws(X, { samples: 5, seed: 8 });
    expect(b.alphas).not.toEqual(a.alphas);
    expect(b.baselines).not.toEqual(a.baselines);
  });
});

describe('expectedGradients', () => {
  it('is exactly W ⊙ (x − mean b_i) for linear F (every gradient is W), with noise and with given baselines', async () => {
    for (const options of [{ samples: 9, seed: 2 }, { samples: 16, baselines: ROWS, seed: 5 }, { samples: 1 }]) {
      const result = await expectedGradients(linear, X, options);
      const { baselines } = expectedGradientsDraws(X, options);
      const mean = meanRow(baselines, options.samples);
      expectClose(result.attribution, Array.from(W, (w, j) => w * (X.values[j] - mean[j])), 1e-5);
      // Σ W ⊙ (x − mean b) = F(x) − mean F(b) exactly for linear F: completeness holds to float32 precision.
      expect(result.completeness.absError).toBeLessThan(1e-4);
      expect([result.method, result.steps, result.evaluations, result.scale.length]).toEqual(['expected-gradients', options.samples, options.samples, 0]);
    }
  });

  it('gives 2 · mean_i (b_i + α_i (x − b_i)) ⊙ (x − b_i) for Σ x², from the same draws', async () => {
    for (const options of [{ samples: 7, seed: 11 }, { samples: 12, baselines: ROWS, seed: 4 }]) {
      const result = await expectedGradients(square, X, options);
      const { baselines, alphas } = expectedGradientsDraws(X, options);
      const expected = new Float64Array(SIZE);
      for (let i = 0; i < options.samples; i++) {
        const b = rowOf(baselines, i);
        for (let j = 0; j < SIZE; j++) {
          const d = X.values[j] - b[j];
          expected[j] += (2 * (b[j] + alphas[i] * d) * d) / options.samples;
        }
      }
      // Tolerance: float32 points of magnitude ≤ 10, products ≤ 200, relative 1e-6.
      expectClose(result.attribution, expected, 2e-4);
      // fBaseline is mean_i F(b_i), read from the draws.
      const fBaseline = Array.from({ length: options.samples }, (_, i) => rowOf(baselines, i).reduce((s, v) => s + v * v, 0)).reduce((s, v) => s + v, 0) / options.samples;
      expect(result.completeness.fBaseline).toBeCloseTo(fBaseline, 2);
    }
  });

  it('uses the given baselines: one row is Integrated Gradients from it, in expectation', async () => {
    const row = { values: Float32Array.from({ length: SIZE }, (_, i) => (i % 3) - 1), count: 1 };
    const result = await expectedGradients(square, X, { baselines: row, samples: 1024, seed: 9 });
    // E over α of 2(b + α(x − b)) ⊙ (x − b) = (x − b) ⊙ (x + b) = x² − b². One sample's value per cell has standard
    // deviation 2d²/√12 (d = x − b, α uniform), so 1024 samples leave a standard error of 0.018 d²; bound 0.08 d² (4.4 of
    // them) plus 1e-3 for float32.
    for (let j = 0; j < SIZE; j++) {
      const d = X.values[j] - row.values[j];
      expect(Math.abs(result.attribution[j] - (X.values[j] ** 2 - row.values[j] ** 2))).toBeLessThan(0.08 * d * d + 1e-3);
    }
    expect(result.completeness.fBaseline).toBeCloseTo(row.values.reduce((s, v) => s + v * v, 0), 4);
  });

  it('repeats with the same seed and differs with another', async () => {
    const a = await expectedGradients(square, X, { samples: 6, seed: 1 });
    expect((await expectedGradients(square, X, { samples: 6, seed: 1 })).attribution).toEqual(a.attribution);
    expect((await expectedGradients(square, X, { samples: 6, seed: 2 })).attribution).not.toEqual(a.attribution);
  });

  it('gives each output of a [B, 2] function what that output gives alone', async () => {
    const options = { samples: 5, seed: 3 };
    const both = await expectedGradients(twoOutputs, X, options);
    for (const [k, f] of [[0, linear], [1, square]] as const) {
      const alone = await expectedGradients(f, X, options);
      expectClose(both.outputs[k].attribution, alone.attribution, 1e-5);
      expect(both.outputs[k].completeness.fBaseline).toBeCloseTo(alone.completeness.fBaseline, 3);
    }
    expect(both.evaluations).toBe(10);
  });

  it('calls the model ceil(samples · K / batchSize) times for gradients, ceil((samples + 1) / batchSize) forward', async () => {
    for (const [f, width] of [[square, 1], [twoOutputs, 2]] as const) {
      for (const samples of [1, 5, 32, 33]) {
        for (const batchSize of [1, 3, 32, 64]) {
          const model = counted(f);
          const result = await expectedGradients(model.f, X, { samples, batchSize });
          expect(result.modelCalls).toBe(Math.ceil((samples * width) / batchSize));
          expect(model.calls()).toBe(result.modelCalls + Math.ceil((samples + 1) / batchSize));
        }
      }
    }
  });

  it('gives the same result for every batch size and for an async (onnx-like) function', async () => {
    const reference = await expectedGradients(twoOutputs, X, { samples: 7, batchSize: 64 });
    for (const batchSize of [1, 4]) {
      const other = await expectedGradients(twoOutputs, X, { samples: 7, batchSize });
      for (const k of [0, 1]) expectClose(other.outputs[k].attribution, reference.outputs[k].attribution, 1e-5);
    }
    const asyncF: AsyncExplainedFunction = {
      outputs: 2,
      async values(inputs, count, frames, bands) {
        return tf.tidy(() => twoOutputs(tf.tensor3d(inputs, [count, frames, bands])).dataSync() as Float32Array);
      },
      async gradients(inputs, outputOf, frames, bands) {
        // ∇(Σ W x + c) = W, ∇ Σ x² = 2x, written out so no tfjs gradient is involved.
        const gradients = Float32Array.from(inputs, (v, i) => (outputOf[Math.floor(i / SIZE)] === 0 ? W[i % SIZE] : 2 * v));
        const values = Float32Array.from(outputOf, (k, b) => {
          const x = inputs.subarray(b * frames * bands, (b + 1) * frames * bands);
          return k === 0 ? x.reduce((s, v, j) => s + W[j] * v, C) : x.reduce((s, v) => s + v * v, 0);
        });
        return { values, gradients };
      },
    };
    const viaAsync = await expectedGradients(asyncF, X, { samples: 7, batchSize: 3 });
    for (const k of [0, 1]) expectClose(viaAsync.outputs[k].attribution, reference.outputs[k].attribution, 1e-4);
  });
});

describe('expectedGradients options', () => {
  it('reject bad values with an error naming the option', async () => {
    const cases: [object, RegExp][] = [
      [{ samples: 0 }, /`samples`/],
      [{ samples: 1025 }, /`samples` option to be at most 1024/],
      [{ batchSize: 1.5 }, /`batchSize`/],
      [{ noiseLevel: -0.1 }, /`noiseLevel`.*≥ 0/],
      [{ seed: 0.5 }, /`seed`/],
      [{ baselines: 'silence' }, /`baselines` option to be `noise` or/],
      [{ baselines: { values: [1, 2], count: 1 } }, /`baselines`/],
      [{ baselines: { values: new Float32Array(SIZE) } }, /`baselines.count`/],
      [{ baselines: { values: new Float32Array(SIZE), count: 0 } }, /`baselines.count`/],
      [{ baselines: { values: new Float32Array(SIZE).fill(NaN), count: 1 } }, /`baselines.values`.*finite/],
    ];
    for (const [options, message] of cases) {
      await expect(expectedGradients(linear, X, options)).rejects.toThrow(OptionError);
      await expect(expectedGradients(linear, X, options)).rejects.toThrow(message);
    }
    const wrongShape = expectedGradients(linear, X, { baselines: { values: new Float32Array(2 * SIZE - 1), count: 2 } });
    await expect(wrongShape).rejects.toThrow(ShapeError);
    await expect(expectedGradients(linear, X, { baselines: { values: new Float32Array(23), count: 2 } })).rejects.toThrow(/baselines shape \[2,4,3\], got \[23\]/);
  });
});

describe('expectedGradients tensor memory', () => {
  it('is unchanged after 60 runs', async () => {
    const run = (i: number) => expectedGradients(i % 2 === 0 ? twoOutputs : square, X, { samples: 3 + (i % 3), batchSize: 1 + (i % 4), baselines: i % 3 === 0 ? ROWS : 'noise' });
    await run(0);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 60; i++) await run(i);
    expect(tf.memory().numTensors).toBe(before);
  });
});
