// Blur IG compatibility mode against the Python reference's outputs (../shared/reference/pair_blur_ig_golden.json).
// The reference functions here need tfjs gradients beyond the library's own (sin, relu, conv backprop): the umbrella package, a dev dependency.
import '@tensorflow/tfjs';
import type { BlurIGPairOptions, ExplainedFunction } from '../../src/types.js';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { blurIGPair } from '../../src/attribution/pair/blurIGPair.js';
import { gaussianBlur, gaussianBlurMatrices, gaussianKernel } from '../../src/attribution/pair/gaussianBlur.js';

import { selectBackend } from '../../src/engine/backend.js';
import { OptionError } from '../../src/errors/index.js';

interface BlurIGCase {
  readonly name: string;
  readonly input: number[][];
  readonly params: { max_sigma?: number; steps?: number; sqrt?: boolean; batch_size?: number };
  readonly mask: number[][];
  readonly mask_sum: number;
  readonly target_f_x_minus_f_baseline: number;
}
interface BlurCase {
  readonly sigma: number;
  readonly input: number[][];
  readonly out: number[][];
}

const GOLDEN_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'reference', 'pair_blur_ig_golden.json');
const golden = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as { blur_ig_cases: BlurIGCase[]; gaussian_blur_cases: BlurCase[] };
const caseNamed = (name: string): BlurIGCase => golden.blur_ig_cases.find((c) => c.name === name) as BlurIGCase;
/** The mask a correct implementation must give: the `_bs1` one for the reference's defective `_bs7` case. */
const expectedCase = (c: BlurIGCase): BlurIGCase => (c.name.endsWith('_bs7') ? caseNamed(c.name.replace(/_bs7$/, '_bs1')) : c);

/** The golden model: y = Σ sin(x) per batch item. */
const sumSin: ExplainedFunction = (x) => tf.sum(tf.sin(x), [1, 2]) as tf.Tensor1D; // [B]
/** Two outputs per item: [Σ sin x, Σ x²]. */
const sinAndSquare: ExplainedFunction = (x) => tf.stack([tf.sum(tf.sin(x), [1, 2]), tf.sum(tf.square(x), [1, 2])], 1) as tf.Tensor2D; // [B, 2]

const optionsOf = (c: BlurIGCase): BlurIGPairOptions => ({
  maxSigma: c.params.max_sigma,
  steps: c.params.steps,
  sqrt: c.params.sqrt,
  batchSize: c.params.batch_size,
});
const maxAbsError = (actual: ArrayLike<number>, expected: readonly number[]): number =>
  expected.reduce((worst, e, i) => Math.max(worst, Math.abs(actual[i] - e)), 0);
const counting = (f: ExplainedFunction): { f: ExplainedFunction; calls: () => number } => {
  let calls = 0;
  return { f: (x) => (calls++, f(x)), calls: () => calls };
};

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('gaussianBlur() (scipy gaussian_filter, mode constant, truncate 4)', () => {
  it.each(golden.gaussian_blur_cases.map((c) => [c.sigma, c] as const))('matches the reference at σ = %s to 1e-6', (_, c) => {
    const out = gaussianBlur(c.input.flat(), c.input.length, c.input[0].length, c.sigma);
    expect(maxAbsError(out, c.out.flat())).toBeLessThan(1e-6);
  });

  it('is the identity when the radius int(4σ + 0.5) is 0, and otherwise has 2·radius + 1 taps summing to 1', () => {
    expect(Array.from(gaussianKernel(0))).toEqual([1]);
    expect(Array.from(gaussianKernel(0.124))).toEqual([1]);
    const kernel = gaussianKernel(2.5);
    expect(kernel.length).toBe(2 * 10 + 1);
    expect(kernel.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    const x = golden.gaussian_blur_cases[0].input;
    expect(Array.from(gaussianBlur(x.flat(), 8, 6, 0.1))).toEqual(x.flat());
  });

  it('equals B_T · X · B_Fᵀ with the two Toeplitz matrices', () => {
    const x = golden.gaussian_blur_cases[0].input.flat();
    const [T, F, sigma] = [8, 6, 1.7];
    const { time, frequency } = gaussianBlurMatrices(sigma, T, F);
    const product = new Float64Array(T * F);
    for (let t = 0; t < T; t++) {
      for (let f = 0; f < F; f++) {
        let sum = 0;
        for (let u = 0; u < T; u++) for (let g = 0; g < F; g++) sum += time[t * T + u] * x[u * F + g] * frequency[f * F + g];
        product[t * F + f] = sum;
      }
    }
    expect(maxAbsError(product, Array.from(gaussianBlur(x, T, F, sigma)))).toBeLessThan(1e-12);
  });
});

describe('blurIGPair()', () => {
  it.each(golden.blur_ig_cases.map((c) => [c.name, c] as const))('reproduces the reference mask of %s to 1e-5', async (_, c) => {
    const result = await blurIGPair(sumSin, c.input, optionsOf(c));
    const expected = expectedCase(c);
    expect(maxAbsError(result.attribution, expected.mask.flat())).toBeLessThan(1e-5);
    expect(Math.abs(result.completeness.attributionSum - expected.mask_sum)).toBeLessThan(1e-5);
    expect(result.completeness.fInput - result.completeness.fBaseline).toBeCloseTo(c.target_f_x_minus_f_baseline, 5);
    expect(result).toMatchObject({ method: 'blur-ig-pair', frames: c.input.length, bands: c.input[0].length, steps: c.params.steps ?? 100 });
  });

  it.each([1, 3, 7, 20])('gives the batch-size-1 mask of the √ schedule with batchSize %i (no reference batching defect)', async (batchSize) => {
    const c = caseNamed('rand8x6_s3_n20_sqrt_bs1');
    const result = await blurIGPair(sumSin, c.input, { ...optionsOf(c), batchSize });
    expect(maxAbsError(result.attribution, c.mask.flat())).toBeLessThan(1e-5);
    expect(result.completeness.attributionSum).toBeCloseTo(c.mask_sum, 5);
    expect(result.completeness.attributionSum).not.toBeCloseTo(caseNamed('rand8x6_s3_n20_sqrt_bs7').mask_sum, 1);
  });

  it.each([1, 3, 7, 20])('calls f ceil(steps / batchSize) times for gradients (batchSize %i), plus one completeness forward', async (batchSize) => {
    const c = caseNamed('rand8x6_s3_n20');
    const model = counting(sumSin);
    const result = await blurIGPair(model.f, c.input, { ...optionsOf(c), batchSize });
    expect(result.modelCalls).toBe(Math.ceil(20 / batchSize));
    expect(result.evaluations).toBe(20);
    expect(model.calls()).toBe(result.modelCalls + 1);
  });

  it.each([1, 3, 40])('explains every output of a 2-output f; column 0 equals the 1-output mask (batchSize %i)', async (batchSize) => {
    const c = caseNamed('rand8x6_s3_n20_sqrt_bs1');
    const model = counting(sinAndSquare);
    const result = await blurIGPair(model.f, c.input, { ...optionsOf(c), batchSize });
    expect(result.outputs.map((o) => o.output)).toEqual([0, 1]);
    expect(maxAbsError(result.outputs[0].attribution, c.mask.flat())).toBeLessThan(1e-5);
    expect(result.attribution).toEqual(result.outputs[0].attribution);
    expect(result.modelCalls).toBe(Math.ceil((20 * 2) / batchSize));
    expect(result.evaluations).toBe(40);
    expect(model.calls()).toBe(result.modelCalls + 1);
    const squares = c.input.flat().reduce((sum, v) => sum + v * v, 0);
    expect(result.outputs[1].completeness.fInput).toBeCloseTo(squares, 4);
    // Σ x² against a single-output run of the same function: the two columns do not mix.
    const alone = await blurIGPair((x) => tf.sum(tf.square(x), [1, 2]) as tf.Tensor1D, c.input, optionsOf(c));
    expect(maxAbsError(result.outputs[1].attribution, Array.from(alone.attribution))).toBeLessThan(1e-6);
  });

  it('reports the scale curve: one step per σ_i < σ_max, contributions summing to Σ mask', async () => {
    const c = caseNamed('rand8x6_s3_n20_sqrt_bs1');
    const result = await blurIGPair(sumSin, c.input, optionsOf(c));
    expect(result.scale).toHaveLength(20);
    result.scale.forEach((step, i) => {
      expect(step.s).toBe(i / 20);
      expect(step.sigmaTime).toBe(Math.sqrt((i * 3) / 20));
      expect(step.sigmaFrequency).toBe(step.sigmaTime);
    });
    expect(result.scale[0].contribution).toBe(0); // σ = 0 and 0.01 both blur with radius 0: ∂L/∂σ = 0
    const total = result.scale.reduce((sum, step) => sum + step.contribution, 0);
    expect(total).toBeCloseTo(result.completeness.attributionSum, 5);
  });

  it('accepts the patch as a tensor or as row-major values', async () => {
    const c = caseNamed('rand8x6_s3_n20');
    const values = Float32Array.from(c.input.flat());
    const fromValues = await blurIGPair(sumSin, { values, frames: 8, bands: 6 }, optionsOf(c));
    const tensor = tf.tensor2d(values, [8, 6]);
    const fromTensor = await blurIGPair(sumSin, tensor, optionsOf(c));
    tensor.dispose();
    expect(fromTensor.attribution).toEqual(fromValues.attribution);
    expect(maxAbsError(fromValues.attribution, c.mask.flat())).toBeLessThan(1e-5);
  });

  it.each([
    ['maxSigma', { maxSigma: -1 }],
    ['maxSigma', { maxSigma: 0 }],
    ['maxSigma', { maxSigma: Number.NaN }],
    ['steps', { steps: 0 }],
    ['steps', { steps: 2.5 }],
    ['batchSize', { batchSize: 0 }],
    ['gradStep', { gradStep: 0 }],
    ['gradStep', { gradStep: -0.01 }],
    ['sqrt', { sqrt: 'yes' as unknown as boolean }],
  ] as const)('rejects a bad `%s` with an OptionError naming it', async (option, options) => {
    const error = await blurIGPair(sumSin, [[1, 2]], options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionError);
    expect((error as OptionError).option).toBe(option);
    expect((error as OptionError).message).toContain(`\`${option}\``);
  });

  it('leaves no tensor behind over 50 runs', async () => {
    const c = caseNamed('rand8x6_s3_n20_sqrt_bs1');
    await blurIGPair(sinAndSquare, c.input, { ...optionsOf(c), steps: 5, batchSize: 3 }); // warm-up
    const before = tf.memory().numTensors;
    for (let run = 0; run < 50; run++) await blurIGPair(run % 2 === 0 ? sumSin : sinAndSquare, c.input, { ...optionsOf(c), steps: 5, batchSize: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
