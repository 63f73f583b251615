// Expected Gradients (Erion et al., 2021): Integrated Gradients averaged over random baselines and random path points.
import * as tf from '@tensorflow/tfjs-core';
import type { AttributionResult, ExpectedGradientsOptions, Explainable, PatchInput } from '../types.js';
import { OptionError, ShapeError } from '../errors/index.js';
import { SILENCE_LOG_MEL } from '../types.js';
import { evaluateInBatches, type PatchValues, patchValues } from './explainedFunction.js';
import { gaussian } from './gaussian.js';
import { integrateAlongPath, type PathQuadrature } from './pathIntegral.js';
import { mulberry32, seedOption } from './random.js';
import { attributionResult } from './result.js';
import { MAX_PATH_STEPS, positiveIntegerOption, positiveNumberOption } from './validate.js';

/** The random part of Expected Gradients: each sample's baseline and point on its path. */
export interface ExpectedGradientsDraws {
  /** Row-major [samples × T × F]: the baseline b_i of each sample. */
  readonly baselines: Float32Array;
  /** [samples]: α_i ∈ [0, 1), where sample i sits on the line from b_i to x. */
  readonly alphas: Float64Array;
}

/**
 * Expected Gradients, method `expected-gradients`: for samples i = 1…n, a baseline b_i and α_i ~ U(0, 1), and for
 * every output k
 *
 *   attribution_k = (1/n) Σ_i (x − b_i) ⊙ ∇F_k(b_i + α_i (x − b_i)),
 *
 * a one-point Monte Carlo estimate of Integrated Gradients averaged over the baselines. The draws are
 * {@link expectedGradientsDraws}: `noise` baselines are silence ({@link SILENCE_LOG_MEL}) plus N(0, σ²) per cell,
 * σ = noiseLevel × (max x − min x); given baselines are rows drawn uniformly with replacement.
 *
 * Completeness: `fBaseline` is the mean of F_k(b_i) over the samples, so Σ attribution_k is compared with
 * F_k(x) − mean_i F_k(b_i); its expectation over α is exactly that (each sample's is F(x) − F(b_i)), so the gap is the
 * Monte Carlo error, shrinking as 1/√samples, not a quadrature error. F(x) and the F(b_i) come from forward calls of
 * at most `batchSize` inputs (ceil((samples + 1) / batchSize), not counted in `modelCalls`, which counts the gradient
 * calls: ceil(samples · K / batchSize)). `steps` = samples, `evaluations` = samples · K; `scale` is empty.
 */
export async function expectedGradients(f: Explainable, x: PatchInput, options: ExpectedGradientsOptions = {}): Promise<AttributionResult> {
  const batchSize = positiveIntegerOption('batchSize', options.batchSize, 32);
  const patch = patchValues(x);
  const draws = expectedGradientsDraws(patch, options);
  return overDraws(f, patch, draws, batchSize);
}

/**
 * The seeded draws of {@link expectedGradients} for input `x` and these options (their `baselines`, `noiseLevel`,
 * `samples` and `seed`), checked as the method checks them. One mulberry32 stream gives, per sample in order, α_i
 * and then its baseline: T × F standard normals (Box–Muller) for `noise`, or one uniform number picking a row.
 */
export function expectedGradientsDraws(x: PatchInput, options: ExpectedGradientsOptions = {}): ExpectedGradientsDraws {
  const patch = patchValues(x);
  const size = patch.frames * patch.bands;
  const rows = baselineRows(options.baselines, patch);
  const noiseLevel = positiveNumberOption('noiseLevel', options.noiseLevel, 0.15, true);
  const samples = positiveIntegerOption('samples', options.samples, 32, MAX_PATH_STEPS);
  const uniform = mulberry32(seedOption('seed', options.seed, 0));
  const normal = gaussian(uniform);
  let [min, max] = [Infinity, -Infinity];
  for (const v of patch.values) [min, max] = [Math.min(min, v), Math.max(max, v)];
  const sigma = noiseLevel * (max - min);
  const baselines = new Float32Array(samples * size);
  const alphas = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    alphas[i] = uniform();
    const baseline = baselines.subarray(i * size, (i + 1) * size);
    if (rows === undefined) {
      for (let j = 0; j < size; j++) baseline[j] = SILENCE_LOG_MEL + sigma * normal();
    } else {
      const row = Math.min(rows.count - 1, Math.floor(uniform() * rows.count));
      baseline.set(rows.values.subarray(row * size, (row + 1) * size));
    }
  }
  return { baselines, alphas };
}

async function overDraws(f: Explainable, patch: PatchValues, draws: ExpectedGradientsDraws, batchSize: number): Promise<AttributionResult> {
  const { frames, bands } = patch;
  const size = frames * bands;
  const samples = draws.alphas.length;
  // F at x, then at each baseline: [(1 + samples) × K].
  const row = (n: number, out: Float32Array): void => out.set(n === 0 ? patch.values : draws.baselines.subarray((n - 1) * size, n * size));
  const { values, width } = await evaluateInBatches(f, samples + 1, row, patch, batchSize);
  const fBaseline = Array.from({ length: width }, (_, k) => {
    let sum = 0;
    for (let i = 1; i <= samples; i++) sum += values[i * width + k];
    return sum / samples;
  });
  const quadrature: PathQuadrature = {
    count: samples,
    weights: new Float64Array(samples).fill(1 / samples),
    make(start, end) {
      const baselines = tf.tensor3d(draws.baselines.subarray(start * size, end * size), [end - start, frames, bands]); // [m, T, F]
      const directions = tf.sub(tf.tensor3d(patch.values, [1, frames, bands]), baselines) as tf.Tensor3D; // [m, T, F]: x − b_i
      const alphas = tf.tensor3d(Float32Array.from(draws.alphas.subarray(start, end)), [end - start, 1, 1]); // [m, 1, 1]
      return { points: tf.add(baselines, tf.mul(alphas, directions)) as tf.Tensor3D, directions }; // [m, T, F] each
    },
  };
  const { sums, calls } = await integrateAlongPath(f, patch, quadrature, width, batchSize);
  return attributionResult({
    method: 'expected-gradients',
    patch,
    attributions: sums,
    fInput: values.subarray(0, width),
    fBaseline,
    steps: samples,
    evaluations: samples * width,
    modelCalls: calls,
  });
}

/** The `baselines` option: undefined for `noise`, else the given rows, checked against the patch. */
function baselineRows(value: ExpectedGradientsOptions['baselines'], patch: PatchValues): { values: Float32Array; count: number } | undefined {
  if (value === undefined || value === 'noise') return undefined;
  const allowed = '`noise` or `{ values: Float32Array, count }` (row-major [count × frames × bands])';
  if (typeof value !== 'object' || value === null || !(value.values instanceof Float32Array)) throw new OptionError('baselines', allowed, value);
  if (value.count === undefined) throw new OptionError('baselines.count', 'a positive integer (the rows in `baselines.values`)', value.count);
  const count = positiveIntegerOption('baselines.count', value.count, 1);
  if (value.values.length !== count * patch.frames * patch.bands) {
    throw new ShapeError('baselines', [count, patch.frames, patch.bands], [value.values.length]);
  }
  if (!value.values.every(Number.isFinite)) throw new OptionError('baselines.values', 'finite numbers only', 'a value that is NaN or infinite');
  return { values: value.values, count };
}
