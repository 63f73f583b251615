// Occlusion on linear functions, whose box effects are known in closed form, plus its geometry, calls, options and memory.
import type { AsyncExplainedFunction, ExplainedFunction } from '../../src/types.js';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineValues } from '../../src/attribution/baselines.js';
import type { PatchValues } from '../../src/attribution/explainedFunction.js';
import { boxStarts, occlusion } from '../../src/attribution/occlusion.js';
import { selectBackend } from '../../src/engine/backend.js';
import { OptionError } from '../../src/errors/index.js';
import { SILENCE_LOG_MEL } from '../../src/types.js';
import { counted, expectClose } from '../helpers/attributionChecks.js';

const FRAMES = 6;
const BANDS = 4;
const SIZE = FRAMES * BANDS;
/** A small patch with both signs and a spread of values (as in peers.test.ts). */
const X: PatchValues = { values: Float32Array.from({ length: SIZE }, (_, i) => 2.5 * Math.sin(1.7 * i + 0.3)), frames: FRAMES, bands: BANDS };
const W = Float32Array.from({ length: SIZE }, (_, i) => Math.cos(0.9 * i) - 0.2);
const V = Float32Array.from({ length: SIZE }, (_, i) => (i % 5) - 2);
const C = 0.75;

/** F(x) = Σ weights ⊙ x + c, [B]. */
function linearOf(weights: Float32Array, frames: number, bands: number, c = C): ExplainedFunction {
  return (x) => tf.add(tf.sum(tf.mul(x, tf.tensor3d(weights, [1, frames, bands])), [1, 2]), c) as tf.Tensor1D; // [B]
}
const linear = linearOf(W, FRAMES, BANDS);
/** Two outputs: [Σ W ⊙ x + c, Σ x²], [B, 2]. */
const twoOutputs: ExplainedFunction = (x) => tf.stack([linear(x), tf.sum(tf.square(x), [1, 2])], 1) as tf.Tensor2D; // [B, 2]

/**
 * The definition written out independently of the implementation: for linear F the drop of one box is
 * Σ_{j∈B} w_j (x_j − b_j), shared equally by its cells, then averaged over the boxes covering each cell.
 */
function linearReference(weights: Float32Array, x: PatchValues, b: Float32Array, box: [number, number], starts: [number[], number[]]): Float64Array {
  const total = new Float64Array(x.values.length);
  const count = new Float64Array(x.values.length);
  for (const t0 of starts[0]) {
    for (const m0 of starts[1]) {
      const cells: number[] = [];
      for (let t = t0; t < t0 + box[0]; t++) for (let m = m0; m < m0 + box[1]; m++) cells.push(t * x.bands + m);
      const drop = cells.reduce((s, j) => s + weights[j] * (x.values[j] - b[j]), 0);
      for (const j of cells) [total[j], count[j]] = [total[j] + drop / cells.length, count[j] + 1];
    }
  }
  return total.map((v, j) => v / count[j]);
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('boxStarts', () => {
  it('steps by the stride and puts the last box flush with the far edge', () => {
    expect(boxStarts(6, 2, 2)).toEqual([0, 2, 4]);
    expect(boxStarts(7, 2, 2)).toEqual([0, 2, 4, 5]);
    expect(boxStarts(96, 8, 4)).toEqual([...Array.from({ length: 22 }, (_, i) => 4 * i), 88]);
    expect(boxStarts(4, 4, 1)).toEqual([0]);
    expect(boxStarts(3, 1, 1)).toEqual([0, 1, 2]);
  });
});

describe('occlusion', () => {
  it('is exactly W ⊙ (x − b) for linear F with 1 × 1 boxes, for silence, zeros and a given baseline', async () => {
    const given = { values: Float32Array.from({ length: SIZE }, (_, i) => i / 4 - 1), frames: FRAMES, bands: BANDS };
    for (const baseline of ['silence', 'zeros', given] as const) {
      const b = baselineValues(baseline, X);
      const result = await occlusion(linear, X, { box: { frames: 1, bands: 1 }, baseline });
      // Tolerance: float32 differences of F values near 10 in magnitude.
      expectClose(result.attribution, Array.from(W, (w, j) => w * (X.values[j] - b[j])), 1e-5);
      expect(result.completeness.absError).toBeLessThan(1e-4);
      expect([result.method, result.steps, result.evaluations, result.scale.length]).toEqual(['occlusion', SIZE, SIZE, 0]);
    }
  });

  it('shares each box drop among its cells: a 1 × 3 patch worked by hand', async () => {
    // F = x0 + 2 x1 + 3 x2, x = [1, 0, 0], b = 0: per-cell effects d = [1, 0, 0]. Boxes of 1 × 2 at bands {0, 1} and
    // {1, 2} (stride 2, so the second is pulled back to the edge) drop F by 1 and 0. Cell 0: 1/2; cell 1: mean(1/2, 0)
    // = 1/4; cell 2: 0. Σ = 3/4, not F(x) − F(b) = 1: cell 0's effect counts through box {0, 1} only, weighted by
    // (1/n₀ + 1/n₁)/2 = (1 + 1/2)/2 = 3/4 (the edge case the TSDoc names).
    const f = linearOf(Float32Array.of(1, 2, 3), 1, 3, 0);
    const x = { values: Float32Array.of(1, 0, 0), frames: 1, bands: 3 };
    const result = await occlusion(f, x, { box: { frames: 1, bands: 2 }, stride: { frames: 1, bands: 2 }, baseline: 'zeros' });
    expectClose(result.attribution, [0.5, 0.25, 0], 1e-7);
    expect(result.completeness.attributionSum).toBeCloseTo(0.75, 7);
    expect(result.completeness.fInput - result.completeness.fBaseline).toBeCloseTo(1, 7);
    expect(result.evaluations).toBe(2);
  });

  it('matches the box-averaged closed form for larger and overlapping boxes', async () => {
    const b = new Float32Array(SIZE).fill(SILENCE_LOG_MEL);
    const cases: [[number, number], [number, number]][] = [
      [[2, 2], [2, 2]], // tiles the 6 × 4 patch
      [[2, 2], [1, 1]],
      [[3, 3], [2, 1]], // bands: starts 0, 1 (the last flush with the edge)
      [[4, 3], [3, 2]],
      [[6, 4], [1, 1]], // one box: the whole patch
    ];
    for (const [box, stride] of cases) {
      const result = await occlusion(linear, X, { box: { frames: box[0], bands: box[1] }, stride: { frames: stride[0], bands: stride[1] } });
      const starts: [number[], number[]] = [boxStarts(FRAMES, box[0], stride[0]), boxStarts(BANDS, box[1], stride[1])];
      expectClose(result.attribution, linearReference(W, X, b, box, starts), 1e-5);
      expect(result.evaluations).toBe(starts[0].length * starts[1].length);
    }
  });

  it('is exactly complete for linear F when the boxes tile the patch', async () => {
    for (const [frames, bands] of [[1, 1], [2, 2], [3, 4], [6, 1], [6, 4]]) {
      const result = await occlusion(linear, X, { box: { frames, bands }, stride: { frames, bands } });
      expect(result.completeness.absError).toBeLessThan(1e-4); // float32 F values of magnitude ≈ 10
    }
  });

  it('defaults to an 8 × 8 box clipped to the patch, stride half the box', async () => {
    const big: PatchValues = { values: Float32Array.from({ length: 20 * 12 }, (_, i) => Math.sin(i)), frames: 20, bands: 12 };
    const f = linearOf(Float32Array.from({ length: 20 * 12 }, (_, i) => Math.cos(i)), 20, 12);
    const result = await occlusion(f, big);
    // 8 × 8, stride 4 × 4: frames 0, 4, 8, 12 (flush); bands 0, 4 (flush) → 4 × 2 = 8 boxes.
    expect(result.evaluations).toBe(boxStarts(20, 8, 4).length * boxStarts(12, 8, 4).length);
    expect(result.evaluations).toBe(8);
    // On the 6 × 4 patch the default box is the whole patch (clipped), one box.
    expect((await occlusion(linear, X)).evaluations).toBe(1);
  });

  it('gives each output of a [B, 2] function what that output gives alone', async () => {
    const options = { box: { frames: 2, bands: 3 }, stride: { frames: 1, bands: 1 } };
    const both = await occlusion(twoOutputs, X, options);
    expect(both.outputs.map((o) => o.output)).toEqual([0, 1]);
    const alone = [await occlusion(linear, X, options), await occlusion((x) => tf.sum(tf.square(x), [1, 2]) as tf.Tensor1D, X, options)];
    for (const k of [0, 1]) {
      expectClose(both.outputs[k].attribution, alone[k].attribution, 1e-5);
      expect(both.outputs[k].completeness.fBaseline).toBeCloseTo(alone[k].completeness.fBaseline, 4);
    }
    expect(both.evaluations).toBe(alone[0].evaluations);
  });

  it('calls the model ceil(boxes / batchSize) times, forward only, plus one call for F(x), F(b)', async () => {
    for (const f of [linear, twoOutputs]) {
      for (const [box, stride] of [[1, 1], [2, 1], [3, 2]]) {
        for (const batchSize of [1, 5, 7, 64]) {
          const model = counted(f);
          const result = await occlusion(model.f, X, { box: { frames: box, bands: box }, stride: { frames: stride, bands: stride }, batchSize });
          const boxes = boxStarts(FRAMES, box, stride).length * boxStarts(BANDS, box, stride).length;
          expect(result.modelCalls).toBe(Math.ceil(boxes / batchSize));
          expect(model.calls()).toBe(result.modelCalls + 1);
          expect(model.inputs()).toBe(boxes + 2);
        }
      }
    }
  });

  it('gives the same result for every batch size and for an async (onnx-like) function', async () => {
    const options = { box: { frames: 3, bands: 2 }, stride: { frames: 1, bands: 1 } };
    const reference = await occlusion(twoOutputs, X, { ...options, batchSize: 64 });
    for (const batchSize of [1, 4, 9]) expectClose((await occlusion(twoOutputs, X, { ...options, batchSize })).outputs[1].attribution, reference.outputs[1].attribution, 1e-6);
    const asyncF: AsyncExplainedFunction = {
      outputs: 2,
      async values(inputs, count, frames, bands) {
        return tf.tidy(() => twoOutputs(tf.tensor3d(inputs, [count, frames, bands])).dataSync() as Float32Array);
      },
      gradients: () => Promise.reject(new Error('occlusion must not ask for gradients')),
    };
    const viaAsync = await occlusion(asyncF, X, { ...options, batchSize: 5 });
    for (const k of [0, 1]) expectClose(viaAsync.outputs[k].attribution, reference.outputs[k].attribution, 1e-6);
  });
});

describe('occlusion options', () => {
  it('reject bad boxes, strides and batch sizes with an OptionError naming the option', async () => {
    const cases: [object, RegExp][] = [
      [{ box: { frames: 0 } }, /`box.frames` option to be a positive integer ≤ the patch's 6 frames, got `0`/],
      [{ box: { frames: 7 } }, /`box.frames` option to be a positive integer ≤ the patch's 6 frames, got `7`/],
      [{ box: { bands: 5 } }, /`box.bands`.*≤ the patch's 4 bands, got `5`/],
      [{ box: { bands: 1.5 } }, /`box.bands`/],
      [{ box: 3 }, /`box` option to be an object/],
      [{ stride: [1, 1] }, /`stride` option to be an object/],
      [{ box: { frames: 2 }, stride: { frames: 3 } }, /`stride.frames` option to be a positive integer ≤ the box's 2 frames, got `3`/],
      [{ stride: { bands: 0 } }, /`stride.bands`/],
      [{ batchSize: 0 }, /`batchSize`/],
      [{ baseline: 'loud' }, /`baseline`/],
    ];
    for (const [options, message] of cases) {
      const attempt = occlusion(linear, X, options);
      await expect(attempt).rejects.toThrow(OptionError);
      await expect(occlusion(linear, X, options)).rejects.toThrow(message);
    }
  });

  it('accept a box as large as the patch', async () => {
    const result = await occlusion(linear, X, { box: { frames: FRAMES, bands: BANDS } });
    expect(result.evaluations).toBe(1);
    expect(result.completeness.absError).toBeLessThan(1e-4);
  });
});

describe('occlusion tensor memory', () => {
  it('is unchanged after 60 runs', async () => {
    const run = (i: number) => occlusion(i % 2 === 0 ? twoOutputs : linear, X, { box: { frames: 2, bands: 2 }, stride: { frames: 1, bands: 1 }, batchSize: 1 + (i % 4) });
    await run(0);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 60; i++) await run(i);
    expect(tf.memory().numTensors).toBe(before);
  });
});
