// blurIG(): exactness on closed-form functions, batching, several outputs, option errors, memory, and real YAMNet.
// The reference functions here need tfjs gradients beyond the library's own (sin, relu, conv backprop): the umbrella package, a dev dependency.
import '@tensorflow/tfjs';
import type { ExplainedFunction } from '../../src/types.js';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logMelPatches } from '../../src/audio/logMel.js';
import { blurIG } from '../../src/attribution/blurIG.js';

import { blurPatch } from '../../src/attribution/scaleSpace.js';
import { selectBackend } from '../../src/engine/backend.js';
import { classTarget } from '../../src/model/classTarget.js';
import { loadYamnet, type YamnetModel } from '../../src/model/yamnet.js';
import { describeWithModel } from '../helpers/model.js';
import { seededRandom, sine } from '../helpers/signals.js';

const [T, F] = [8, 6];
const random = seededRandom(11);
const x = Float32Array.from({ length: T * F }, () => random() * 8 - 7);
const w = Float32Array.from({ length: T * F }, () => random() * 2 - 1);
const patch = { values: x, frames: T, bands: F };
const linear: ExplainedFunction = (inputs) => tf.sum(tf.mul(inputs, tf.tensor2d(w, [T, F])), [1, 2]) as tf.Tensor1D;
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

/** Counts calls of f, to check batching. */
function counted(f: ExplainedFunction): ExplainedFunction & { calls: number } {
  const wrapped = Object.assign((inputs: tf.Tensor3D) => (wrapped.calls++, f(inputs)), { calls: 0 });
  return wrapped;
}

describe('blurIG on a linear f: attribution = W ⊙ (x − L(1)), the closed form', () => {
  const cases = [
    ['time-frequency', 'reflect'],
    ['time', 'reflect'],
    ['frequency', 'reflect'],
    ['time-frequency', { constant: -6.9078 }],
    ['time', { constant: 0 }],
  ] as const;
  it.each(cases)('increments (any step count), path %s, boundary %o: exact to 1e-5', async (path, boundary) => {
    const [tT, tF] = [path === 'frequency' ? 0 : T ** 2, path === 'time' ? 0 : F ** 2];
    const baseline = blurPatch(x, T, F, tT, tF, boundary);
    for (const steps of [2, 7]) {
      const result = await blurIG(linear, patch, { path, boundary, steps, maxSteps: steps });
      expect(maxAbs(result.attribution, Array.from(w, (wi, j) => wi * (x[j] - baseline[j])))).toBeLessThan(1e-5);
      expect(result.completeness.relError).toBeLessThan(1e-5);
    }
  });
  it.each(cases)('gauss-legendre 48 steps, path %s, boundary %o: exact to 1e-4', async (path, boundary) => {
    const [tT, tF] = [path === 'frequency' ? 0 : T ** 2, path === 'time' ? 0 : F ** 2];
    const baseline = blurPatch(x, T, F, tT, tF, boundary);
    const result = await blurIG(linear, patch, { path, boundary, schedule: 'gauss-legendre', steps: 48, maxSteps: 48 });
    expect(maxAbs(result.attribution, Array.from(w, (wi, j) => wi * (x[j] - baseline[j])))).toBeLessThan(1e-4);
  });
  it.each(['left-riemann', 'midpoint', 'trapezoid'] as const)('%s converges to it as steps grow', async (schedule) => {
    const errors = [];
    for (const steps of [16, 256]) errors.push((await blurIG(linear, patch, { schedule, steps, maxSteps: steps })).completeness.relError);
    expect(errors[1]).toBeLessThan(errors[0]);
    expect(errors[1]).toBeLessThan(0.05);
  });
});

describe('blurIG on a separable nonlinear f = Σ sin(x)', () => {
  const sines: ExplainedFunction = (inputs) => tf.sum(tf.sin(inputs), [1, 2]) as tf.Tensor1D;
  it('refines until the relative completeness error is under the tolerance, and reports the steps used', async () => {
    const coarse = await blurIG(sines, patch, { steps: 4, maxSteps: 4 });
    const fine = await blurIG(sines, patch, { steps: 4, tolerance: 1e-4, absTolerance: 0, maxSteps: 512 });
    expect(coarse.completeness.relError).toBeGreaterThan(1e-3);
    expect(fine.completeness.relError).toBeLessThanOrEqual(1e-4);
    expect(fine.steps).toBeGreaterThan(4);
    expect(fine.completeness.fInput).toBeCloseTo(Array.from(x).reduce((s, v) => s + Math.sin(v), 0), 4);
  });
  it('stops refining at the first nodes when the absolute error is under absTolerance, whatever the relative error', async () => {
    // f = 1e-4 · Σ sin(x): the same integrand scaled so the whole path changes f by ~1e-4, as an absent class's score does.
    const tiny: ExplainedFunction = (inputs) => tf.mul(tf.sum(tf.sin(inputs), [1, 2]), 1e-4) as tf.Tensor1D;
    const floored = await blurIG(tiny, patch, { steps: 4, tolerance: 1e-4, maxSteps: 512 }); // default floor 0.002
    expect(floored.steps).toBe(4);
    expect(floored.completeness.absError).toBeLessThanOrEqual(0.002);
    const unfloored = await blurIG(tiny, patch, { steps: 4, tolerance: 1e-4, absTolerance: 0, maxSteps: 512 });
    expect(unfloored.steps).toBeGreaterThan(4);
    expect(unfloored.completeness.relError).toBeLessThanOrEqual(1e-4);
    const panels = await blurIG(tiny, patch, { schedule: 'gauss-legendre', steps: 8, tolerance: 1e-6, maxSteps: 128 });
    expect(panels.steps).toBe(8);
  });
  it('gauss-legendre panels refine too: from 8 nodes to the tolerance, keeping untouched panels', async () => {
    const result = await blurIG(sines, patch, { schedule: 'gauss-legendre', steps: 8, tolerance: 1e-6, absTolerance: 0, maxSteps: 128 });
    expect(result.completeness.relError).toBeLessThanOrEqual(1e-6);
    expect(result.steps).toBeGreaterThan(8);
    expect(result.evaluations).toBeGreaterThanOrEqual(result.steps);
  });
  it('gauss-legendre reaches 1e-4 by 32 steps (smooth integrand)', async () => {
    expect((await blurIG(sines, patch, { schedule: 'gauss-legendre', steps: 32, maxSteps: 32 })).completeness.relError).toBeLessThan(1e-4);
  });
  it('reports the scale curve: σ grows along the path, contributions sum to Σ attribution', async () => {
    const result = await blurIG(sines, patch, { schedule: 'gauss-legendre', steps: 16, maxSteps: 16 });
    expect(result.scale).toHaveLength(16);
    const sigmas = result.scale.map((step) => step.sigmaTime);
    expect(sigmas).toEqual([...sigmas].sort((a, b) => a - b));
    expect(result.scale.at(-1)!.sigmaFrequency / result.scale.at(-1)!.sigmaTime).toBeCloseTo(F / T, 9);
    expect(result.scale.reduce((s, step) => s + step.contribution, 0)).toBeCloseTo(result.completeness.attributionSum, 4);
  });
});

describe('blurIG batching and outputs', () => {
  const twoOutputs: ExplainedFunction = (inputs) => tf.stack([tf.sum(tf.sin(inputs), [1, 2]), tf.sum(tf.square(inputs), [1, 2])], 1) as tf.Tensor2D;
  it('gives the same result for batch sizes 1, 5 and 64 (1e-6) with ceil(steps · K / batchSize) gradient calls', async () => {
    const results = [];
    for (const batchSize of [1, 5, 64]) {
      const f = counted(twoOutputs);
      const result = await blurIG(f, patch, { schedule: 'gauss-legendre', steps: 12, maxSteps: 12, batchSize });
      expect(result.modelCalls).toBe(Math.ceil((12 * 2) / batchSize));
      expect(f.calls).toBe(result.modelCalls + 1); // + F at the input and the baseline, one forward call
      results.push(result);
    }
    for (const result of results.slice(1)) for (const k of [0, 1]) expect(maxAbs(result.outputs[k].attribution, results[0].outputs[k].attribution)).toBeLessThan(1e-6);
  });
  it('explains each output of a [B, K] function as if it were alone (1e-6)', async () => {
    const both = await blurIG(twoOutputs, patch, { steps: 9, maxSteps: 9 });
    const second = await blurIG((inputs) => tf.sum(tf.square(inputs), [1, 2]) as tf.Tensor1D, patch, { steps: 9, maxSteps: 9 });
    expect(both.outputs).toHaveLength(2);
    expect(maxAbs(both.outputs[1].attribution, second.attribution)).toBeLessThan(1e-6);
    expect(both.outputs[1].completeness.fInput).toBeCloseTo(second.completeness.fInput, 3);
  });
  it('accepts f returning [B, 1] (one class chosen as a list) like f returning [B]', async () => {
    const column: ExplainedFunction = (inputs) => tf.reshape(tf.sum(tf.sin(inputs), [1, 2]), [-1, 1]) as tf.Tensor2D;
    const flat: ExplainedFunction = (inputs) => tf.sum(tf.sin(inputs), [1, 2]) as tf.Tensor1D;
    for (const schedule of ['increments', 'gauss-legendre'] as const) {
      const [a, b] = [await blurIG(column, patch, { schedule, steps: 5, maxSteps: 5 }), await blurIG(flat, patch, { schedule, steps: 5, maxSteps: 5 })];
      expect(maxAbs(a.attribution, b.attribution)).toBeLessThan(1e-6);
    }
  });
  it('leaves tf.memory().numTensors unchanged after explaining 1 000 patches', async () => {
    const sines: ExplainedFunction = (inputs) => tf.sum(tf.sin(inputs), [1, 2]) as tf.Tensor1D;
    await blurIG(sines, patch, { steps: 3, maxSteps: 3 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) await blurIG(sines, patch, { steps: 3, maxSteps: 3, path: i % 2 === 0 ? 'time' : 'time-frequency' });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('blurIG option errors name the option and the allowed values', () => {
  it.each([
    [{ maxSigma: -1 }, 'Expected the `maxSigma.time` option to be a finite number > 0, got `-1` (number)'],
    [{ steps: 0 }, 'Expected the `steps` option to be a positive integer ≤ 1024, got `0` (number)'],
    // Capped, so a typo cannot make a run grow without bound (MAX_PATH_STEPS, src/attribution/validate.ts).
    [{ steps: 1_000_000 }, 'Expected the `steps` option to be at most 1024, got `1000000` (number)'],
    [{ maxSteps: 1025 }, 'Expected the `maxSteps` option to be at most 1024, got `1025` (number)'],
    [{ batchSize: 2.5 }, 'Expected the `batchSize` option to be a positive integer'],
    [{ path: 'space' }, 'Expected the `path` option to be one of `time-frequency`, `time`, `frequency`, got `space`'],
    [{ schedule: 'simpson' }, 'Expected the `schedule` option to be one of'],
    [{ boundary: 'wrap' }, 'Expected the `boundary` option to be `reflect` or `{ constant: <finite number> }`'],
    [{ scalePower: 0.2 }, 'Expected the `scalePower` option to be a number ≥ 0.5'],
    [{ tolerance: -0.1 }, 'Expected the `tolerance` option to be a finite number > 0'],
  ])('%o', async (options, message) => {
    await expect(blurIG(linear, patch, options as never)).rejects.toThrow(message);
  });
  it('a function whose output is not [B] or [B, K]', async () => {
    await expect(blurIG((inputs) => inputs as unknown as tf.Tensor1D, patch)).rejects.toThrow("Expected the explained function's output shape [1], got [1,8,6]");
  });
});

describeWithModel('blurIG on real YAMNet patches', (modelPath) => {
  let model: YamnetModel;
  beforeAll(async () => {
    await selectBackend('wasm');
    model = await loadYamnet(modelPath);
  });
  afterAll(() => model.dispose());

  it('with the defaults, explains the top class of a 440 Hz sine patch to ≤ 1% relative completeness error', async () => {
    const [sinePatch] = logMelPatches(sine(440, 0.5, 1));
    const before = tf.memory().numTensors;
    const result = await blurIG(classTarget(model, 'Sine wave'), { values: sinePatch.logMel, frames: 96, bands: 64 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.completeness.relError).toBeLessThanOrEqual(0.01);
    expect(result.steps).toBeLessThanOrEqual(256);
    // The score (the default output) falls from near 1 at the patch to near 0 at the fully blurred baseline.
    expect(result.completeness.fInput - result.completeness.fBaseline).toBeGreaterThan(0.5);
    const logit = await blurIG(classTarget(model, 'Sine wave', { output: 'logit' }), { values: sinePatch.logMel, frames: 96, bands: 64 });
    expect(logit.completeness.relError).toBeLessThanOrEqual(0.01);
    expect(logit.completeness.fInput - logit.completeness.fBaseline).toBeGreaterThan(1);
  });

  it('rejects a class name YAMNet does not have, suggesting near names', () => {
    expect(() => classTarget(model, 'Sirens')).toThrow('Expected the `class` option to be a YAMNet class name (did you mean "Siren"');
    expect(() => classTarget(model, 'Zzyzx')).toThrow('Expected the `class` option to be a YAMNet class name (see models/yamnet_class_map.csv), got `Zzyzx` (string)');
  });
});
