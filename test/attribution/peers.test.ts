// Integrated Gradients, gradient, gradient × input and SmoothGrad on functions whose attributions are known in closed form.
// The reference functions here need tfjs gradients beyond the library's own (sin, relu, conv backprop): the umbrella package, a dev dependency.
import '@tensorflow/tfjs';
import type { AttributionFunction, BaselineSpec, ExplainedFunction } from '../../src/types.js';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineValues } from '../../src/attribution/baselines.js';
import type { PatchValues } from '../../src/attribution/explainedFunction.js';
import { vanillaGradient } from '../../src/attribution/gradient.js';
import { gradientTimesInput } from '../../src/attribution/gradientTimesInput.js';
import { integratedGradients } from '../../src/attribution/integratedGradients.js';
import { SCHEDULE_NAMES } from '../../src/attribution/quadrature.js';
import { blurPatch } from '../../src/attribution/scaleSpace.js';
import { smoothGrad } from '../../src/attribution/smoothGrad.js';
import { selectBackend } from '../../src/engine/backend.js';
import { OptionError, ShapeError } from '../../src/errors/index.js';
import { type Attribution, type AttributionResult, SILENCE_LOG_MEL } from '../../src/types.js';
import { counted, expectClose } from '../helpers/attributionChecks.js';

const FRAMES = 4;
const BANDS = 3;
const SIZE = FRAMES * BANDS;
/** A small patch with both signs and a spread of values. */
const X: PatchValues = { values: Float32Array.from({ length: SIZE }, (_, i) => 2.5 * Math.sin(1.7 * i + 0.3)), frames: FRAMES, bands: BANDS };
const W = Float32Array.from({ length: SIZE }, (_, i) => Math.cos(0.9 * i) - 0.2);
const C = 0.75;

/** F(x) = Σ W ⊙ x + c, [B]. */
const linear: ExplainedFunction = (x) => tf.add(tf.sum(tf.mul(x, tf.tensor3d(W, [1, FRAMES, BANDS])), [1, 2]), C) as tf.Tensor1D; // [B]
/** F(x) = Σ x², [B]. */
const square: ExplainedFunction = (x) => tf.sum(tf.square(x), [1, 2]) as tf.Tensor1D; // [B]
/** F(x) = Σ sin x, [B]. */
const sinSum: ExplainedFunction = (x) => tf.sum(tf.sin(x), [1, 2]) as tf.Tensor1D; // [B]
/** Two outputs: [Σ sin x, Σ x²], [B, 2]. */
const twoOutputs: ExplainedFunction = (x) => tf.stack([sinSum(x), square(x)], 1) as tf.Tensor2D; // [B, 2]

function column(k: number): ExplainedFunction {
  return (x) => tf.squeeze(tf.slice(twoOutputs(x), [0, k], [-1, 1]), [1]) as tf.Tensor1D; // [B]
}

function expectSameAttribution(a: Attribution, b: Attribution, tolerance: number): void {
  expectClose(a.attribution, b.attribution, tolerance);
  const [ca, cb] = [a.completeness, b.completeness];
  expectClose([ca.fInput, ca.attributionSum], [cb.fInput, cb.attributionSum], tolerance);
  for (const key of ['fBaseline', 'absError', 'relError'] as const) {
    if (Number.isNaN(cb[key])) expect(ca[key]).toBeNaN();
    else expect(Math.abs(ca[key] - cb[key])).toBeLessThanOrEqual(tolerance);
  }
}

function expectSameResult(a: AttributionResult, b: AttributionResult, tolerance: number): void {
  expect(a.outputs.length).toBe(b.outputs.length);
  a.outputs.forEach((o, k) => expectSameAttribution(o, b.outputs[k], tolerance));
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('baselineValues', () => {
  it('gives silence, zeros, seeded noise in the patch range, a blurred copy, or the given patch', () => {
    expect(Array.from(baselineValues('silence', X))).toEqual(new Array(SIZE).fill(Math.fround(SILENCE_LOG_MEL)));
    expect(Array.from(baselineValues('zeros', X))).toEqual(new Array(SIZE).fill(0));
    const noise = baselineValues({ noise: {} }, X);
    const [min, max] = [Math.min(...X.values), Math.max(...X.values)];
    expect(noise.every((v) => v >= Math.fround(min) && v <= Math.fround(max))).toBe(true);
    expect(baselineValues({ noise: { seed: 0 } }, X)).toEqual(noise);
    expect(baselineValues({ noise: { seed: 1 } }, X)).not.toEqual(noise);
    const narrow = baselineValues({ noise: { low: -1, high: -0.5, seed: 4 } }, X);
    expect(narrow.every((v) => v >= -1 && v <= -0.5)).toBe(true);
    expectClose(baselineValues({ blurred: {} }, X), blurPatch(X.values, FRAMES, BANDS, FRAMES ** 2, BANDS ** 2, 'reflect'), 1e-6);
    const mean = X.values.reduce((s, v) => s + v, 0) / SIZE;
    expectClose(baselineValues({ blurred: { sigmaTime: 100, sigmaFrequency: 100 } }, X), new Array(SIZE).fill(mean), 1e-5);
    const rows = Array.from({ length: FRAMES }, (_, t) => Array.from(X.values.subarray(t * BANDS, (t + 1) * BANDS)));
    expect(baselineValues(rows, X)).toEqual(X.values);
    const tensor = tf.tensor2d(X.values, [FRAMES, BANDS]);
    expect(baselineValues(tensor, X)).toEqual(X.values);
    tensor.dispose();
  });

  it('rejects unknown kinds, bad noise ranges and patches of another shape, naming the baseline', () => {
    expect(() => baselineValues('loud' as BaselineSpec, X)).toThrow(/`baseline`/);
    expect(() => baselineValues({ noise: { low: 2, high: 1 } }, X)).toThrow(/`baseline.noise.high`/);
    expect(() => baselineValues({ blurred: { sigmaTime: -1 } }, X)).toThrow(/`baseline.blurred.sigmaTime`/);
    expect(() => baselineValues({ values: new Float32Array(9), frames: 3, bands: 3 }, X)).toThrow(ShapeError);
    expect(() => baselineValues({ values: new Float32Array(9), frames: 3, bands: 3 }, X)).toThrow(/baseline shape \[4,3\], got \[3,3\]/);
  });
});

describe('integratedGradients', () => {
  const baselines: BaselineSpec[] = [
    'silence',
    'zeros',
    { noise: { seed: 3 } },
    { blurred: {} },
    { blurred: { sigmaTime: 1, sigmaFrequency: 0.5, boundary: { constant: -2 } } },
    { values: Float32Array.from({ length: SIZE }, (_, i) => i / 4 - 1), frames: FRAMES, bands: BANDS },
  ];

  it.each(SCHEDULE_NAMES)('is exactly W ⊙ (x − b) for linear F, every baseline, with %s', async (rule) => {
    for (const baseline of baselines) {
      const b = baselineValues(baseline, X);
      for (const steps of [1, 5]) {
        const result = await integratedGradients(linear, X, { baseline, steps, schedule: rule });
        expectClose(result.attribution, Array.from(W, (w, j) => w * (X.values[j] - b[j])), 1e-5);
        expect(result.completeness.absError).toBeLessThan(1e-5);
        expect(result.method).toBe('integrated-gradients');
        expect([result.steps, result.evaluations, result.scale.length]).toEqual([steps, steps, 0]);
      }
    }
  });

  it('is exact for Σ x² from zeros with Gauss–Legendre (∫ 2αx·x dα = x²)', async () => {
    const expected = Array.from(X.values, (v) => v * v);
    for (const steps of [2, 3, 8]) {
      const result = await integratedGradients(square, X, { baseline: 'zeros', steps });
      expectClose(result.attribution, expected, 1e-5);
      expect(result.completeness.relError).toBeLessThan(1e-6);
    }
  });

  it('has left Riemann error exactly −x²/steps for Σ x² from zeros, O(1/steps)', async () => {
    for (const steps of [4, 16, 64]) {
      const result = await integratedGradients(square, X, { baseline: 'zeros', steps, schedule: 'left-riemann' });
      expectClose(result.attribution, Array.from(X.values, (v) => v * v * (1 - 1 / steps)), 1e-5);
      expect(result.completeness.relError).toBeCloseTo(1 / steps, 6);
    }
  });

  it('gives each output of a [B, 2] function what that output gives alone', async () => {
    const both = await integratedGradients(twoOutputs, X, { steps: 7 });
    expect(both.outputs.map((o) => o.output)).toEqual([0, 1]);
    for (const k of [0, 1]) {
      const alone = await integratedGradients(column(k), X, { steps: 7 });
      expectClose(both.outputs[k].attribution, alone.attribution, 1e-5);
      expect(both.outputs[k].completeness.fBaseline).toBeCloseTo(alone.completeness.fBaseline, 4);
    }
    expect(both.evaluations).toBe(14);
  });

  it('calls the model ceil(steps · K / batchSize) times for the gradients (plus one forward call for F(x), F(b))', async () => {
    for (const [f, width] of [[sinSum, 1], [twoOutputs, 2]] as const) {
      for (const steps of [1, 5, 32, 33]) {
        for (const batchSize of [1, 3, 7, 64]) {
          const model = counted(f);
          const result = await integratedGradients(model.f, X, { steps, batchSize });
          expect(result.modelCalls).toBe(Math.ceil((steps * width) / batchSize));
          expect(model.calls()).toBe(result.modelCalls + 1);
        }
      }
    }
  });

  it('gives the same result for batch sizes 1, 3, 7 and 64', async () => {
    const [first, ...others] = await Promise.all([1, 3, 7, 64].map((batchSize) => integratedGradients(twoOutputs, X, { steps: 11, batchSize })));
    for (const other of others) expectSameResult(other, first, 1e-6);
  });
});

describe('vanillaGradient and gradientTimesInput', () => {
  it('gives cos x for Σ sin x, with F(x) and no completeness', async () => {
    const model = counted(sinSum);
    const result = await vanillaGradient(model.f, X);
    expectClose(result.attribution, Array.from(X.values, Math.cos), 1e-6);
    expect(result.completeness.fInput).toBeCloseTo(X.values.reduce((s, v) => s + Math.sin(v), 0), 5);
    expect([result.completeness.fBaseline, result.completeness.absError, result.completeness.relError]).toEqual([NaN, NaN, NaN]);
    expect([result.method, result.steps, result.evaluations, result.modelCalls, model.calls()]).toEqual(['gradient', 1, 1, 1, 2]);
  });

  it('gives W ⊙ x for linear F, exactly complete against F(0)', async () => {
    const result = await gradientTimesInput(linear, X);
    expectClose(result.attribution, Array.from(W, (w, j) => w * X.values[j]), 1e-6);
    expect(result.completeness.fBaseline).toBeCloseTo(C, 6);
    expect(result.completeness.absError).toBeLessThan(1e-5);
    expect(result.method).toBe('gradient-x-input');
  });

  it('reports, not hides, the completeness gap of a nonlinear F: Σ 2x² against Σ x²', async () => {
    const result = await gradientTimesInput(square, X);
    expectClose(result.attribution, Array.from(X.values, (v) => 2 * v * v), 1e-5);
    expect(result.completeness.relError).toBeCloseTo(1, 5);
  });

  it('gives per-output results and ceil(K / batchSize) gradient calls', async () => {
    for (const method of [vanillaGradient, gradientTimesInput]) {
      const model = counted(twoOutputs);
      const both = await method(model.f, X, { batchSize: 1 });
      expect([both.modelCalls, model.calls()]).toEqual([2, 3]);
      for (const k of [0, 1]) expectSameAttribution(both.outputs[k], (await method(column(k), X)).outputs[0], 1e-6);
    }
  });
});

describe('smoothGrad', () => {
  const methods: [string, AttributionFunction<{ batchSize?: number }>][] = [
    ['integrated-gradients', integratedGradients],
    ['gradient', vanillaGradient],
    ['gradient-x-input', gradientTimesInput],
  ];

  it.each(methods)('equals %s itself with noiseLevel 0', async (name, method) => {
    const smooth = await smoothGrad(method, twoOutputs, X, { noiseLevel: 0, samples: 5 });
    expectSameResult(smooth, await method(twoOutputs, X, {}), 1e-5);
    expect(smooth.method).toBe(`smoothgrad(${name})`);
  });

  it.each(methods)('around %s repeats with the same seed and differs with another', async (_, method) => {
    const a = await smoothGrad(method, sinSum, X, { samples: 4, seed: 7 });
    const b = await smoothGrad(method, sinSum, X, { samples: 4, seed: 7 });
    const c = await smoothGrad(method, sinSum, X, { samples: 4, seed: 8 });
    expect(a.attribution).toEqual(b.attribution);
    expect(a.attribution).not.toEqual(c.attribution);
  });

  it('keeps the gradient W of a linear F whatever the noise', async () => {
    const result = await smoothGrad(vanillaGradient, linear, X, { noiseLevel: 0.5, samples: 9 });
    expectClose(result.attribution, W, 1e-6);
  });

  it('batches gradient copies through the model, with the same result as running each copy alone', async () => {
    const oneByOne = (inner: AttributionFunction<{ batchSize?: number }>): AttributionFunction<{ batchSize?: number }> => (f, x, o) => inner(f, x, o);
    for (const method of [vanillaGradient, gradientTimesInput]) {
      const model = counted(twoOutputs);
      const batched = await smoothGrad(method, model.f, X, { samples: 10, batchSize: 8, seed: 2 });
      const separate = await smoothGrad(oneByOne(method), twoOutputs, X, { samples: 10, batchSize: 8, seed: 2 });
      expectSameResult(batched, separate, 1e-5);
      expect([batched.steps, batched.evaluations, batched.modelCalls]).toEqual([10, 20, 3]);
      expect([separate.steps, separate.evaluations, separate.modelCalls]).toEqual([10, 20, 10]);
      expect(model.calls()).toBe(3 + 2 + (method === gradientTimesInput ? 1 : 0)); // gradients, F at the copies, F(0)
    }
  });

  it('sums steps, evaluations and calls over copies, averages completeness figures and same-node scale curves', async () => {
    const withScale: AttributionFunction<{ steps?: number }> = async (f, x, o) => {
      const result = await integratedGradients(f, x, o);
      const scale = [{ s: 0.5, sigmaTime: 1, sigmaFrequency: 2, contribution: result.completeness.attributionSum }];
      return { ...result, scale, outputs: result.outputs.map((out) => ({ ...out, scale })) };
    };
    const result = await smoothGrad(withScale, square, X, { samples: 3, methodOptions: { steps: 4 } });
    expect([result.steps, result.evaluations, result.modelCalls]).toEqual([12, 12, 3]);
    expect(result.scale).toHaveLength(1);
    expect(result.scale[0].contribution).toBeCloseTo(result.completeness.attributionSum, 4);
    const sum = result.attribution.reduce((s, v) => s + v, 0);
    expect(result.completeness.attributionSum).toBeCloseTo(sum, 4);
  });
});

describe('options', () => {
  it('reject bad values, naming the option', async () => {
    await expect(integratedGradients(linear, X, { steps: 0 })).rejects.toThrow(/`steps`.*positive integer/);
    await expect(integratedGradients(linear, X, { batchSize: -1 })).rejects.toThrow(/`batchSize`/);
    await expect(vanillaGradient(linear, X, { batchSize: -1 })).rejects.toThrow(OptionError);
    await expect(integratedGradients(linear, X, { schedule: 'simpson' as never })).rejects.toThrow(/`schedule`.*`gauss-legendre`/);
    await expect(integratedGradients(linear, X, { baseline: [[1, 2, 3]] })).rejects.toThrow(/baseline shape \[4,3\], got \[1,3\]/);
    await expect(smoothGrad(vanillaGradient, linear, X, { noiseLevel: -0.1 })).rejects.toThrow(/`noiseLevel`.*≥ 0/);
    await expect(smoothGrad(vanillaGradient, linear, X, { samples: 0 })).rejects.toThrow(/`samples`/);
    await expect(smoothGrad(vanillaGradient, linear, X, { seed: 0.5 })).rejects.toThrow(/`seed`/);
    await expect(smoothGrad(integratedGradients, linear, X, { methodOptions: { steps: 0 } })).rejects.toThrow(/`steps`/);
  });
});

describe('tensor memory', () => {
  it('is unchanged after 100 runs', async () => {
    const runs: (() => Promise<AttributionResult>)[] = [
      () => integratedGradients(twoOutputs, X, { steps: 5, batchSize: 3 }),
      () => vanillaGradient(twoOutputs, X),
      () => gradientTimesInput(twoOutputs, X, { batchSize: 1 }),
      () => smoothGrad(vanillaGradient, twoOutputs, X, { samples: 3, batchSize: 2 }),
      () => smoothGrad(integratedGradients, sinSum, X, { samples: 2, methodOptions: { steps: 3, baseline: { blurred: {} } } }),
    ];
    await runs[0]();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) await runs[i % runs.length]();
    expect(tf.memory().numTensors).toBe(before);
  });
});
