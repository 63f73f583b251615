// IDGI on the straight line against the IDGI authors' outputs (../shared/reference/pair_guided_ig_golden.json), and Blur IG's `idgi` option.
// The reference functions here need tfjs gradients beyond the library's own (sin, tanh, relu): the umbrella package, a dev dependency.
import '@tensorflow/tfjs';
import type { AsyncExplainedFunction, AttributionResult, ExplainedFunction } from '../../src/types.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { blurIG, blurIGWithIdgi, BLUR_IG_IDGI_STEPS } from '../../src/attribution/blurIG.js';
import { idgi } from '../../src/attribution/idgi.js';
import { idgiAlongPath } from '../../src/attribution/idgiCore.js';
import { mulberry32 } from '../../src/attribution/random.js';
import { blurPatch } from '../../src/attribution/scaleSpace.js';
import { selectBackend } from '../../src/engine/backend.js';
import { OptionError } from '../../src/errors/index.js';

interface IdgiCase {
  readonly name: string;
  readonly shape: [number, number];
  readonly W: number[][];
  readonly input: number[][];
  readonly baseline: number[][];
  readonly params: { x_steps: number };
  readonly mask: number[][];
  readonly mask_sum: number;
  readonly f_x_minus_f_baseline: number;
  readonly telescoped_f_last_minus_f_first: number;
}
const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'reference', 'pair_guided_ig_golden.json');
const cases = (JSON.parse(readFileSync(GOLDEN, 'utf8')) as { idgi_cases: IdgiCase[] }).idgi_cases;
const named = cases.map((c) => [c.name, c] as const);

const maxAbsError = (actual: ArrayLike<number>, expected: ArrayLike<number>): number => {
  expect(actual.length).toBe(expected.length);
  return Array.from(expected).reduce((worst, e, i) => Math.max(worst, Math.abs(actual[i] - e)), 0);
};
const counted = (f: ExplainedFunction): { f: ExplainedFunction; calls: () => number } => {
  let calls = 0;
  return { f: (x) => (calls++, f(x)), calls: () => calls };
};
/** The fixture model as a tfjs function (float32): tanh(Σ W⊙x) + 0.5 Σ sin x, [B]. */
const tfModel = (c: IdgiCase): ExplainedFunction => (x) =>
  tf.tidy(() => tf.add(tf.tanh(tf.sum(tf.mul(x, tf.tensor3d(c.W.flat(), [1, ...c.shape])), [1, 2])), tf.mul(0.5, tf.sum(tf.sin(x), [1, 2])))) as tf.Tensor1D;

const sumSin: ExplainedFunction = (x) => tf.sum(tf.sin(x), [1, 2]) as tf.Tensor1D; // [B]
const square: ExplainedFunction = (x) => tf.sum(tf.square(x), [1, 2]) as tf.Tensor1D; // [B]
const two: ExplainedFunction = (x) => tf.stack([sumSin(x), square(x)], 1) as tf.Tensor2D; // [B, 2]
const random = mulberry32(5);
const [T, F] = [6, 5];
const X = { values: Float32Array.from({ length: T * F }, () => 4 * random() - 2), frames: T, bands: F };

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('idgiAlongPath (float64 core, the fixture model in closed form)', () => {
  it.each(named)('reproduces the IDGI code mask %s to 1e-12', (_, c) => {
    const [W, x, b] = [c.W.flat(), c.input.flat(), c.baseline.flat()];
    const n = c.params.x_steps;
    const points = Array.from({ length: n }, (_, j) => {
      const a = j === n - 1 ? 1 : j * (1 / (n - 1)); // numpy.linspace(0, 1, n)
      return b.map((v, i) => v + a * (x[i] - v));
    });
    const dot = (p: number[]) => p.reduce((sum, v, i) => sum + W[i] * v, 0);
    const values = points.map((p) => Math.tanh(dot(p)) + 0.5 * p.reduce((sum, v) => sum + Math.sin(v), 0));
    const gradients = points.map((p) => p.map((v, i) => (1 - Math.tanh(dot(p)) ** 2) * W[i] + 0.5 * Math.cos(v)));
    const { mask, shares } = idgiAlongPath(gradients, values);
    expect(maxAbsError(mask, c.mask.flat())).toBeLessThan(1e-12);
    expect(Math.abs(mask.reduce((s, v) => s + v, 0) - c.telescoped_f_last_minus_f_first)).toBeLessThan(1e-12);
    expect(shares).toHaveLength(n - 1);
  });

  it('adds nothing, and no NaN, for a step whose gradient is zero', () => {
    const { mask, shares } = idgiAlongPath([[0, 0], [1, 3]], [0, 5, 7]);
    expect(Array.from(mask)).toEqual([0.2, 1.8]);
    expect(Array.from(shares)).toEqual([0, 2]);
  });
});

describe('idgi (public, through tfjs)', () => {
  it.each(named)('matches the IDGI code mask %s to 1e-6 (float32 model), complete by telescoping', async (_, c) => {
    const model = counted(tfModel(c));
    const result = await idgi(model.f, c.input, { baseline: c.baseline, steps: c.params.x_steps });
    expect(maxAbsError(result.attribution, c.mask.flat())).toBeLessThan(1e-6); // measured ≤ 4.0e-8
    expect(result.completeness.fInput - result.completeness.fBaseline).toBeCloseTo(c.f_x_minus_f_baseline, 5);
    expect(result.completeness.absError).toBeLessThan(1e-5);
    expect([result.method, result.steps, result.evaluations]).toEqual(['idgi', c.params.x_steps, c.params.x_steps - 1]);
    expect(result.modelCalls).toBe(Math.ceil((c.params.x_steps - 1) / 32));
    expect(model.calls()).toBe(result.modelCalls + 1);
  });

  it('telescopes to F(x) − F(b) for every output, batch size and step count', async () => {
    for (const steps of [2, 5, 33]) {
      const results: AttributionResult[] = [];
      for (const batchSize of [1, 3, 7, 64]) {
        const model = counted(two);
        const result = await idgi(model.f, X, { steps, batchSize });
        for (const output of result.outputs) expect(output.completeness.absError).toBeLessThan(1e-4 * Math.max(1, Math.abs(output.completeness.fInput)));
        expect(result.modelCalls).toBe(Math.ceil(((steps - 1) * 2) / batchSize));
        expect(model.calls()).toBe(result.modelCalls + 1);
        results.push(result);
      }
      for (const other of results.slice(1)) other.outputs.forEach((o, k) => expect(maxAbsError(o.attribution, results[0].outputs[k].attribution)).toBeLessThan(1e-6));
    }
  });

  it('gives the same on an AsyncExplainedFunction (as onnx runs) as on the tfjs function', async () => {
    const size = T * F;
    const asyncSumSin: AsyncExplainedFunction = {
      outputs: 1,
      values: async (inputs, count) => Float32Array.from({ length: count }, (_, n) => inputs.subarray(n * size, (n + 1) * size).reduce((s, v) => s + Math.sin(v), 0)),
      gradients: async (inputs, outputOf) => ({
        values: Float32Array.from(outputOf, (_, n) => inputs.subarray(n * size, (n + 1) * size).reduce((s, v) => s + Math.sin(v), 0)),
        gradients: inputs.map(Math.cos),
      }),
    };
    const [viaAsync, viaTfjs] = [await idgi(asyncSumSin, X, { steps: 9, batchSize: 4 }), await idgi(sumSin, X, { steps: 9, batchSize: 4 })];
    expect(maxAbsError(viaAsync.attribution, viaTfjs.attribution)).toBeLessThan(1e-5);
    expect([viaAsync.modelCalls, viaTfjs.modelCalls]).toEqual([2, 2]);
  });

  it('lets a zero gradient contribute nothing: Σ relu(x) from −1 to 1 in 4 points', async () => {
    const relu: ExplainedFunction = (x) => tf.sum(tf.relu(x), [1, 2]) as tf.Tensor1D;
    const result = await idgi(relu, [[1, 1], [1, 1]], { baseline: [[-1, -1], [-1, -1]], steps: 4 });
    // Gradients 0, 0, 1 at x = −1, −⅓, ⅓: the step from −⅓ to ⅓ (ΔF = 4/3) has nothing to share, the last gives 2/3 each.
    expect(maxAbsError(result.attribution, [2 / 3, 2 / 3, 2 / 3, 2 / 3])).toBeLessThan(1e-6);
    expect(result.completeness.absError).toBeCloseTo(4 / 3, 5);
  });

  it.each([
    [{ steps: 1 }, /`steps`.*≥ 2/],
    [{ steps: 0 }, /`steps`.*positive integer/],
    [{ batchSize: 0 }, /`batchSize`/],
    [{ baseline: 'loud' }, /`baseline`/],
  ])('rejects %o with an OptionError naming it', async (options, message) => {
    await expect(idgi(sumSin, X, options as never)).rejects.toThrow(OptionError);
    await expect(idgi(sumSin, X, options as never)).rejects.toThrow(message);
  });
});

describe("blurIG(…, { idgi: true })", () => {
  /** L(1) of the default path (σ = the axis lengths, reflecting edges), computed apart in float64. */
  const end = blurPatch(X.values, T, F, T ** 2, F ** 2, 'reflect');
  const sumSinOf = (values: ArrayLike<number>): number => Array.from(values).reduce((s, v) => s + Math.sin(v), 0);

  it('telescopes to F(x) − F(L(1)) and reports each step ΔF on the scale curve', async () => {
    const model = counted(two);
    const result = await blurIG(model.f, X, { idgi: true, steps: 8, batchSize: 3 });
    expect([result.method, result.steps, result.evaluations, result.modelCalls, model.calls()]).toEqual(['blur-ig+idgi', 8, 16, 6, 7]);
    const first = result.outputs[0];
    expect(first.completeness.fBaseline).toBeCloseTo(sumSinOf(end), 4);
    expect(first.completeness.attributionSum).toBeCloseTo(sumSinOf(X.values) - sumSinOf(end), 4); // float32 rounding
    for (const output of result.outputs) {
      expect(output.completeness.absError).toBeLessThan(1e-4);
      expect(output.scale.map((step) => step.s)).toEqual(Array.from({ length: 8 }, (_, j) => (j + 0.5) / 8));
      expect(output.scale.reduce((s, step) => s + step.contribution, 0)).toBeCloseTo(output.completeness.attributionSum, 5);
    }
    expect(result.scale[7].sigmaTime).toBeCloseTo(T * (7.5 / 8) ** 2, 10); // σ = σ_max s², the default scalePower
    const wide = await blurIG(two, X, { idgi: true, steps: 8, batchSize: 64 });
    wide.outputs.forEach((o, k) => expect(maxAbsError(o.attribution, result.outputs[k].attribution)).toBeLessThan(1e-6));
  });

  it("is the straight-line formula g(L(1))² / Σ g² · (F(x) − F(L(1))) on a 1-step path, as idgi's 2-point line", async () => {
    const result = await blurIG(sumSin, X, { idgi: true, steps: 1 });
    const g2 = Array.from(end, (v) => Math.cos(v) ** 2);
    const norm = g2.reduce((s, v) => s + v, 0);
    const change = sumSinOf(X.values) - sumSinOf(end);
    expect(maxAbsError(result.attribution, g2.map((v) => (v / norm) * change))).toBeLessThan(1e-5);
    const straight = await idgi(sumSin, X, { baseline: { values: Float32Array.from(end), frames: T, bands: F }, steps: 2 });
    expect(maxAbsError(result.attribution, straight.attribution)).toBeLessThan(1e-5);
  });

  it('takes fixed steps: blurIGWithIdgi runs 32 by default, and a refinement cap below them (maxSteps) does not apply', async () => {
    const result = await blurIGWithIdgi(sumSin, X, { maxSteps: 16 });
    expect([result.method, result.steps]).toEqual(['blur-ig+idgi', BLUR_IG_IDGI_STEPS]);
    // An option parser's `steps: undefined` (the CLI's when --steps is not given) keeps the default too.
    expect((await blurIGWithIdgi(sumSin, X, { steps: undefined })).steps).toBe(BLUR_IG_IDGI_STEPS);
    expect(result.completeness.relError).toBeLessThan(1e-5); // complete by construction
    await expect(blurIG(sumSin, X, { steps: 32, maxSteps: 16 })).rejects.toThrow(/maxSteps/); // plain Blur IG still refuses it
  });

  it('rejects a non-boolean idgi with an OptionError', async () => {
    await expect(blurIG(sumSin, X, { idgi: 'yes' } as never)).rejects.toThrow(OptionError);
    await expect(blurIG(sumSin, X, { idgi: 1 } as never)).rejects.toThrow(/`idgi`.*boolean/);
  });
});

describe('idgi tensor memory', () => {
  it('is unchanged after 60 runs of idgi and Blur IG with idgi', async () => {
    const runs = [() => idgi(two, X, { steps: 4, batchSize: 3 }), () => blurIG(two, X, { idgi: true, steps: 3, batchSize: 2 })];
    for (const run of runs) await run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 60; i++) await runs[i % runs.length]();
    expect(tf.memory().numTensors).toBe(before);
  });
});
