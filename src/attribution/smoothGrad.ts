// SmoothGrad around any attribution method: its attributions averaged over seeded Gaussian-noisy copies of the input.
import type { Attribution, AttributionFunction, AttributionResult, Completeness, Explainable, PatchInput, ScaleStep, SmoothGradOptions } from '../types.js';
import { OptionError } from '../errors/index.js';
import { mulberry32, seedOption } from './random.js';
import { gaussian } from './gaussian.js';
import { evaluate, evaluateInBatches, type PatchValues, patchValues } from './explainedFunction.js';
import { gradientTimesInput } from './gradientTimesInput.js';
import { pointQuadrature, vanillaGradient } from './gradient.js';
import { integrateAlongPath } from './pathIntegral.js';
import { completeness } from './result.js';
import { MAX_PATH_STEPS, positiveIntegerOption, positiveNumberOption } from './validate.js';

/**
 * SmoothGrad: method `smoothgrad(<inner>)`, the mean of `method`'s attribution over `samples` copies x + N(0, σ²),
 * σ = noiseLevel · (max x − min x). Completeness figures are the means over the copies of the inner figures (fInput,
 * fBaseline, attributionSum, absError, relError): so absError is the mean per-copy error, at least
 * |attributionSum − (fInput − fBaseline)| of the means. `steps`, `evaluations` and `modelCalls` are summed over the
 * copies. `vanillaGradient` and `gradientTimesInput` (recognised by identity) run instead as one point quadrature
 * over all copies: steps = samples, evaluations = samples · K, modelCalls = ceil(samples · K / batchSize) gradient
 * calls (F at the copies, ceil(samples / batchSize) forward calls, and F(0) are not counted, as in the methods).
 * The scale curve is averaged when every copy has the same nodes, else empty.
 */
export async function smoothGrad<O extends object>(
  method: AttributionFunction<O>,
  f: Explainable,
  x: PatchInput,
  options: SmoothGradOptions<O> = {},
): Promise<AttributionResult> {
  if (typeof method !== 'function') throw new OptionError('method', 'an attribution method `(f, x, options) => Promise<AttributionResult>`', method);
  const noiseLevel = positiveNumberOption('noiseLevel', options.noiseLevel, 0.15, true);
  const samples = positiveIntegerOption('samples', options.samples, 16, MAX_PATH_STEPS);
  const seed = seedOption('seed', options.seed, 0);
  const methodOptions = options.methodOptions ?? ({} as O);
  if (typeof methodOptions !== 'object' || methodOptions === null) throw new OptionError('methodOptions', 'an object', methodOptions);
  const innerBatch = (methodOptions as { batchSize?: unknown }).batchSize;
  const batchSize = positiveIntegerOption('batchSize', options.batchSize, positiveIntegerOption('methodOptions.batchSize', innerBatch, 32));
  const patch = patchValues(x);
  const copies = noisyCopies(patch, samples, noiseLevel, seed);
  const pointwise = method === (vanillaGradient as unknown) ? 'ones' : method === (gradientTimesInput as unknown) ? 'point' : undefined;
  if (pointwise !== undefined) return batchedGradients(f, patch, copies, samples, pointwise, batchSize);
  const inner = (options.batchSize === undefined ? methodOptions : { ...methodOptions, batchSize }) as O;
  return averaged(method, f, patch, copies, samples, inner);
}

/** `samples` copies x + σ z, z ~ N(0, 1) by Box–Muller on mulberry32, row-major [samples × T × F]. */
function noisyCopies(patch: PatchValues, samples: number, noiseLevel: number, seed: number): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (const v of patch.values) [min, max] = [Math.min(min, v), Math.max(max, v)];
  const sigma = noiseLevel * (max - min);
  const normal = gaussian(mulberry32(seed));
  const size = patch.values.length;
  return Float32Array.from({ length: samples * size }, (_, i) => patch.values[i % size] + sigma * normal());
}

/** Gradient or gradient × input at every copy as one point quadrature, so `batchSize` batches across copies. */
async function batchedGradients(
  f: Explainable,
  patch: PatchValues,
  copies: Float32Array,
  samples: number,
  direction: 'ones' | 'point',
  batchSize: number,
): Promise<AttributionResult> {
  const size = patch.values.length;
  // [samples × K]: F at each copy, in chunks of at most batchSize copies.
  const { values: inputs, width } = await evaluateInBatches(f, samples, (n, row) => row.set(copies.subarray(n * size, (n + 1) * size)), patch, batchSize);
  const zeros = direction === 'point' ? (await evaluate(f, new Float32Array(size), 1, patch)).values : undefined; // [K]
  const { sums, contributions, calls } = await integrateAlongPath(f, patch, pointQuadrature(copies, samples, patch, direction), width, batchSize);
  const outputs = sums.map((sum, k): Attribution => {
    const perCopy = Array.from({ length: samples }, (_, i) => completeness(contributions[k][i], inputs[i * width + k], zeros?.[k] ?? NaN));
    return { output: k, attribution: Float32Array.from(sum, (v) => v / samples), completeness: meanCompleteness(perCopy), scale: [] };
  });
  const method = direction === 'ones' ? 'gradient' : 'gradient-x-input';
  return packaged(`smoothgrad(${method})`, patch, outputs, samples, samples * width, calls);
}

/** Any method run on each copy in turn, its results folded into running means. */
async function averaged<O extends object>(
  method: AttributionFunction<O>,
  f: Explainable,
  patch: PatchValues,
  copies: Float32Array,
  samples: number,
  options: O,
): Promise<AttributionResult> {
  const size = patch.values.length;
  let sums: Float64Array[] = [];
  let figures: Completeness[][] = [];
  let scales: (ScaleStep[] | undefined)[] = [];
  let name = '';
  let steps = 0;
  let evaluations = 0;
  let modelCalls = 0;
  for (let i = 0; i < samples; i++) {
    const copy = { values: copies.slice(i * size, (i + 1) * size), frames: patch.frames, bands: patch.bands };
    const result = await method(f, copy, options);
    if (i === 0) {
      name = result.method;
      sums = result.outputs.map(() => new Float64Array(size));
      figures = result.outputs.map(() => []);
      scales = result.outputs.map((o) => o.scale.map((step) => ({ ...step })));
    } else if (result.outputs.length !== sums.length) {
      throw new Error(`smoothGrad: the inner method returned ${sums.length} outputs, then ${result.outputs.length}`);
    }
    result.outputs.forEach((o, k) => {
      const sum = sums[k];
      for (let j = 0; j < size; j++) sum[j] += o.attribution[j];
      figures[k].push(o.completeness);
      scales[k] = i === 0 ? scales[k] : addScale(scales[k], o.scale);
    });
    steps += result.steps;
    evaluations += result.evaluations;
    modelCalls += result.modelCalls;
  }
  const outputs = sums.map((sum, k): Attribution => ({
    output: k,
    attribution: Float32Array.from(sum, (v) => v / samples),
    completeness: meanCompleteness(figures[k]),
    scale: (scales[k] ?? []).map((step) => ({ ...step, contribution: step.contribution / samples })),
  }));
  return packaged(`smoothgrad(${name})`, patch, outputs, steps, evaluations, modelCalls);
}

/** Adds `next`'s contributions to `total` when both curves have the same nodes; undefined (no curve) otherwise. */
function addScale(total: ScaleStep[] | undefined, next: readonly ScaleStep[]): ScaleStep[] | undefined {
  if (total === undefined || total.length !== next.length || total.some((step, n) => step.s !== next[n].s)) return undefined;
  return total.map((step, n) => ({ ...step, contribution: step.contribution + next[n].contribution }));
}

/** The mean of each completeness figure over the copies. */
function meanCompleteness(figures: readonly Completeness[]): Completeness {
  const mean = (pick: (c: Completeness) => number): number => figures.reduce((sum, c) => sum + pick(c), 0) / figures.length;
  return {
    fInput: mean((c) => c.fInput),
    fBaseline: mean((c) => c.fBaseline),
    attributionSum: mean((c) => c.attributionSum),
    absError: mean((c) => c.absError),
    relError: mean((c) => c.relError),
  };
}

function packaged(
  method: AttributionResult['method'],
  patch: PatchValues,
  outputs: readonly Attribution[],
  steps: number,
  evaluations: number,
  modelCalls: number,
): AttributionResult {
  return { ...outputs[0], method, frames: patch.frames, bands: patch.bands, steps, evaluations, modelCalls, outputs };
}
