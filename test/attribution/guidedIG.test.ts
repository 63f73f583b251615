// Guided IG: the PAIR-compatible mode against PAIR's own outputs (../shared/reference/pair_guided_ig_golden.json), the native mode on closed forms.
// The reference functions here need tfjs gradients beyond the library's own (sin, tanh): the umbrella package, a dev dependency.
import '@tensorflow/tfjs';
import type { AsyncExplainedFunction, ExplainedFunction } from '../../src/types.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { guidedIG } from '../../src/attribution/guidedIG.js';
import { GuidedPath } from '../../src/attribution/guidedPath.js';
import { integratedGradients } from '../../src/attribution/integratedGradients.js';
import { guidedIGPairMask, numpySum } from '../../src/attribution/pair/guidedIGPairPath.js';
import { mulberry32 } from '../../src/attribution/random.js';
import { selectBackend } from '../../src/engine/backend.js';
import { OptionError } from '../../src/errors/index.js';

interface GuidedCase {
  readonly name: string;
  readonly shape: [number, number];
  readonly W: number[][];
  readonly input: number[][];
  readonly baseline: number[][];
  readonly params: { x_steps: number; fraction: number; max_dist: number };
  readonly called_as: string;
  readonly mask: number[][];
  readonly mask_sum: number;
  readonly f_x: number;
  readonly f_baseline: number;
  readonly n_model_calls: number;
  readonly path_points: { call_index: number[]; x: number[][][] };
}
const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'reference', 'pair_guided_ig_golden.json');
const cases = (JSON.parse(readFileSync(GOLDEN, 'utf8')) as { guided_ig_cases: GuidedCase[] }).guided_ig_cases;
const named = cases.map((c) => [c.name, c] as const);

/** The fixture's model in float64: ∇f = (1 − tanh²(Σ W⊙x)) W + 0.5 cos x (NumPy's pairwise sum for Σ W⊙x). */
const closedFormGradient = (W: Float64Array) => (x: Float64Array) => {
  const t = Math.tanh(numpySum(x.map((v, i) => W[i] * v)));
  return x.map((v, i) => (1 - t * t) * W[i] + 0.5 * Math.cos(v));
};
/** The same model as a tfjs function (float32): tanh(Σ W⊙x) + 0.5 Σ sin x, [B]. */
const tfModel = (c: GuidedCase): ExplainedFunction => (x) =>
  tf.tidy(() => tf.add(tf.tanh(tf.sum(tf.mul(x, tf.tensor3d(c.W.flat(), [1, ...c.shape])), [1, 2])), tf.mul(0.5, tf.sum(tf.sin(x), [1, 2])))) as tf.Tensor1D;
const counted = (f: ExplainedFunction): { f: ExplainedFunction; calls: () => number } => {
  let calls = 0;
  return { f: (x) => (calls++, f(x)), calls: () => calls };
};
const maxAbsError = (actual: ArrayLike<number>, expected: ArrayLike<number>): number => {
  expect(actual.length).toBe(expected.length);
  return Array.from(expected).reduce((worst, e, i) => Math.max(worst, Math.abs(actual[i] - e)), 0);
};
const settingsOf = (c: GuidedCase) => ({ steps: c.params.x_steps, fraction: c.params.fraction, maxDist: c.params.max_dist });

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('guidedIGPairMask (float64 core, the fixture model in closed form)', () => {
  it.each(named)('reproduces PAIR mask %s to 1e-12, with its call count and path', async (_, c) => {
    const seen: Float64Array[] = [];
    const gradient = closedFormGradient(Float64Array.from(c.W.flat()));
    const { mask, calls } = await guidedIGPairMask(Float64Array.from(c.input.flat()), Float64Array.from(c.baseline.flat()), (x) => (seen.push(x), gradient(x)), settingsOf(c));
    expect(maxAbsError(mask, c.mask.flat())).toBeLessThan(1e-12); // measured ≤ 2.3e-16
    expect(Math.abs(numpySum(mask) - c.mask_sum)).toBeLessThan(1e-12);
    expect(calls).toBe(c.n_model_calls);
    c.path_points.call_index.forEach((call, n) => expect(maxAbsError(seen[call], c.path_points.x[n].flat())).toBeLessThan(1e-12));
  });
});

describe("guidedIG(…, { compat: 'pair' }) through tfjs (float32 model and input)", () => {
  it.each(named)('matches PAIR mask %s to 1e-6 and makes its calls', async (_, c) => {
    const model = counted(tfModel(c));
    const defaults = c.called_as === 'GuidedIG().GetMask(input, call_model_function)';
    const options = defaults ? { compat: 'pair' as const } : { compat: 'pair' as const, baseline: c.baseline, ...settingsOf(c) };
    const result = await guidedIG(model.f, c.input, options);
    // Float32 inputs and gradients: measured ≤ 9.3e-8 over all cases, on masks of magnitude up to ~3.
    expect(maxAbsError(result.attribution, c.mask.flat())).toBeLessThan(1e-6);
    expect(result.completeness.fInput).toBeCloseTo(c.f_x, 5);
    expect(result.completeness.fBaseline).toBeCloseTo(c.f_baseline, 5);
    expect([result.method, result.steps, result.modelCalls, result.evaluations]).toEqual(['guided-ig-pair', c.params.x_steps, c.n_model_calls, c.n_model_calls]);
    expect(model.calls()).toBe(result.modelCalls + 1); // + the forward call for F(x), F(b)
  });

  it('follows each output of a [B, 2] function on its own path, one call per step for both', async () => {
    const c = cases.find((x) => x.name === 'gig6x5_zeros_n25_f0.5_d0.1')!;
    const square: ExplainedFunction = (x) => tf.sum(tf.square(x), [1, 2]) as tf.Tensor1D;
    const both = counted((x) => tf.stack([tfModel(c)(x), square(x)], 1) as tf.Tensor2D);
    const options = { compat: 'pair' as const, baseline: c.baseline, ...settingsOf(c) };
    const result = await guidedIG(both.f, c.input, options);
    expect(maxAbsError(result.outputs[0].attribution, c.mask.flat())).toBeLessThan(1e-6);
    const alone = await guidedIG(square, c.input, options);
    expect(maxAbsError(result.outputs[1].attribution, alone.attribution)).toBeLessThan(1e-6);
    expect([result.modelCalls, result.evaluations, both.calls()]).toEqual([25, 50, 26]);
  });
});

/** A 6 × 5 patch, a baseline and weights, seeded. */
const random = mulberry32(11);
const [T, F] = [6, 5];
const X = Array.from({ length: T }, () => Array.from({ length: F }, () => 3 * random() - 1));
const B = Float32Array.from({ length: T * F }, () => random() - 0.5);
const C = Float32Array.from({ length: T * F }, () => random() + 0.2);
const baseline = { values: B, frames: T, bands: F };
const flatX = Float32Array.from(X.flat());
const linear: ExplainedFunction = (x) => tf.sum(tf.mul(x, tf.tensor3d(C, [1, T, F])), [1, 2]) as tf.Tensor1D; // Σ c ⊙ x
const quadratic: ExplainedFunction = (x) => tf.sum(tf.mul(tf.square(x), tf.tensor3d(C, [1, T, F])), [1, 2]) as tf.Tensor1D; // Σ c ⊙ x²

describe('GuidedPath (the native path)', () => {
  it('keeps every feature within maxDist of α, meets each step L1 target, moves forward only and ends at the input', () => {
    const [input, base] = [Float64Array.from(flatX), Float64Array.from(B)];
    const settings = { steps: 12, fraction: 0.25, maxDist: 0.1 };
    const path = new GuidedPath(input, base, settings);
    const total = numpySum(input.map((v, i) => Math.abs(v - base[i])));
    const gradient = Float64Array.from({ length: T * F }, () => random() - 0.5);
    let alphas = new Float64Array(T * F);
    for (let step = 1; step <= settings.steps; step++) {
      path.advance(gradient);
      const next = path.point.map((v, i) => (v - base[i]) / (input[i] - base[i]));
      const alpha = step / settings.steps;
      next.forEach((a, i) => {
        expect(a).toBeGreaterThanOrEqual(Math.max(alpha - settings.maxDist, 0) - 1e-12);
        expect(a).toBeLessThanOrEqual(Math.min(alpha + settings.maxDist, 1) + 1e-12);
        expect(a).toBeGreaterThanOrEqual(alphas[i] - 1e-12);
      });
      const l1 = numpySum(path.point.map((v, i) => Math.abs(v - input[i])));
      expect(l1).toBeCloseTo(total * (1 - alpha), 10);
      alphas = next;
    }
    expect(path.done).toBe(true);
    expect(Array.from(path.point)).toEqual(Array.from(input));
  });

  it('moves the features with the smallest |∇F| first', () => {
    const n = 8;
    const path = new GuidedPath(new Float64Array(n).fill(1), new Float64Array(n), { steps: 4, fraction: 0.25, maxDist: 1 });
    path.advance(Float64Array.from([8, 1, 7, 2, 6, 3, 5, 4])); // a quarter of the way: features 1 and 3 reach the input
    expect(Array.from(path.point)).toEqual([0, 1, 0, 1, 0, 0, 0, 0]);
  });
});

describe('guidedIG (native)', () => {
  it('is exactly c ⊙ (x − b) for linear F, and c ⊙ (x² − b²) per feature for Σ c x² (trapezoid chords)', async () => {
    for (const settings of [{ steps: 1 }, { steps: 7, maxDist: 0.3 }, { steps: 20, fraction: 0.1, maxDist: 1 }]) {
      const lin = await guidedIG(linear, X, { baseline, ...settings });
      expect(maxAbsError(lin.attribution, Array.from(C, (c, i) => c * (flatX[i] - B[i])))).toBeLessThan(1e-5);
      const quad = await guidedIG(quadratic, X, { baseline, ...settings });
      expect(maxAbsError(quad.attribution, Array.from(C, (c, i) => c * (flatX[i] ** 2 - B[i] ** 2)))).toBeLessThan(1e-5);
      expect(quad.completeness.relError).toBeLessThan(1e-6);
      expect([quad.method, quad.steps, quad.modelCalls, quad.evaluations]).toEqual(['guided-ig', settings.steps, settings.steps + 1, settings.steps + 1]);
    }
  });

  it('with maxDist 0 is straight-line IG with the trapezoid rule on steps + 1 nodes', async () => {
    const c = cases[0];
    const guided = await guidedIG(tfModel(c), c.input, { baseline: 'zeros', steps: 16, maxDist: 0 });
    const straight = await integratedGradients(tfModel(c), c.input, { baseline: 'zeros', steps: 17, schedule: 'trapezoid' });
    expect(maxAbsError(guided.attribution, straight.attribution)).toBeLessThan(1e-5);
  });

  it('closes completeness far better than PAIR on the fixture cases (its error is first order in 1/steps)', async () => {
    for (const c of cases.filter((x) => x.params.max_dist < 1)) {
      const native = await guidedIG(tfModel(c), c.input, { baseline: c.baseline, ...settingsOf(c) });
      const pair = await guidedIG(tfModel(c), c.input, { compat: 'pair', baseline: c.baseline, ...settingsOf(c) });
      expect(native.completeness.relError).toBeLessThan(pair.completeness.relError / 5); // measured 5.4× to 1100×
    }
  });

  it('with idgi shares each step ΔF by g², telescoping to F(x) − F(b), with steps calls', async () => {
    const c = cases[1];
    const model = counted(tfModel(c));
    const result = await guidedIG(model.f, c.input, { baseline: c.baseline, ...settingsOf(c), idgi: true });
    expect(result.completeness.absError).toBeLessThan(1e-5);
    expect([result.method, result.modelCalls, model.calls()]).toEqual(['guided-ig+idgi', 10, 11]);
  });

  it('gives each output of a [B, 2] function what it gives alone, in one call per step', async () => {
    const both = counted((x) => tf.stack([linear(x), quadratic(x)], 1) as tf.Tensor2D);
    for (const idgi of [false, true]) {
      const result = await guidedIG(both.f, X, { baseline, steps: 9, idgi });
      for (const [k, f] of [linear, quadratic].entries()) {
        expect(maxAbsError(result.outputs[k].attribution, (await guidedIG(f, X, { baseline, steps: 9, idgi })).attribution)).toBeLessThan(1e-5);
      }
      expect([result.modelCalls, result.evaluations]).toEqual(idgi ? [9, 18] : [10, 20]);
    }
  });

  it('gives the same on an AsyncExplainedFunction (as onnx runs) as on the tfjs function, in every mode', async () => {
    const asyncQuadratic: AsyncExplainedFunction = {
      outputs: 1,
      values: async (inputs, count) => Float32Array.from({ length: count }, (_, n) => C.reduce((s, c, i) => s + c * inputs[n * T * F + i] ** 2, 0)),
      gradients: async (inputs, outputOf) => ({
        values: Float32Array.from(outputOf, (_, n) => C.reduce((s, c, i) => s + c * inputs[n * T * F + i] ** 2, 0)),
        gradients: Float32Array.from(inputs, (v, j) => 2 * C[j % (T * F)] * v),
      }),
    };
    for (const options of [{ steps: 6 }, { steps: 6, idgi: true }, { steps: 6, compat: 'pair' as const }]) {
      const [viaAsync, viaTfjs] = [await guidedIG(asyncQuadratic, X, { baseline, ...options }), await guidedIG(quadratic, X, { baseline, ...options })];
      expect(maxAbsError(viaAsync.attribution, viaTfjs.attribution)).toBeLessThan(1e-5);
      expect(viaAsync.modelCalls).toBe(viaTfjs.modelCalls);
    }
  });

  it('gives 0 with no calls when the input equals the baseline', async () => {
    const model = counted(quadratic);
    for (const compat of [undefined, 'pair' as const]) {
      const result = await guidedIG(model.f, X, { baseline: X, compat });
      expect(Array.from(result.attribution).every((v) => v === 0)).toBe(true);
      expect(result.modelCalls).toBe(0);
    }
    expect(model.calls()).toBe(2); // the two forward calls for F(x), F(b)
  });
});

describe('guidedIG options', () => {
  it.each([
    [{ steps: 0 }, /`steps`.*positive integer/],
    [{ steps: 2000 }, /`steps`.*1024/],
    [{ fraction: 0 }, /`fraction`.*\(0, 1\]/],
    [{ fraction: Number.NaN }, /`fraction`.*\(0, 1\]/],
    [{ fraction: 1.5 }, /`fraction`.*\(0, 1\]/],
    [{ maxDist: -0.1 }, /`maxDist`.*\[0, 1\]/],
    [{ maxDist: '0.1' }, /`maxDist`.*\[0, 1\]/],
    [{ maxDist: 2 }, /`maxDist`.*\[0, 1\]/],
    [{ idgi: 'yes' }, /`idgi`.*boolean/],
    [{ compat: 'captum' }, /`compat`.*`pair`/],
    [{ compat: 'pair', idgi: true }, /`idgi`.*false with `compat: 'pair'`/],
    [{ baseline: 'loud' }, /`baseline`/],
  ])('rejects %o with an OptionError naming it', async (options, message) => {
    const attempt = guidedIG(linear, X, options as never);
    await expect(attempt).rejects.toThrow(OptionError);
    await expect(guidedIG(linear, X, options as never)).rejects.toThrow(message);
  });
});

describe('guidedIG tensor memory', () => {
  it('is unchanged after 40 runs of each mode', async () => {
    const two: ExplainedFunction = (x) => tf.stack([linear(x), quadratic(x)], 1) as tf.Tensor2D;
    const runs = [() => guidedIG(two, X, { steps: 3 }), () => guidedIG(two, X, { steps: 3, idgi: true }), () => guidedIG(two, X, { compat: 'pair', steps: 3 })];
    for (const run of runs) await run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 120; i++) await runs[i % runs.length]();
    expect(tf.memory().numTensors).toBe(before);
  });
});
