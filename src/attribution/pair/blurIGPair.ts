// Blur IG in compatibility mode: the Python reference (PAIR-code/saliency blur_ig.py @7b72b67), minus its batching defect.
import * as tf from '@tensorflow/tfjs-core';
import { OptionError } from '../../errors/index.js';
import type { AttributionResult, BlurIGPairOptions, Explainable, PatchInput, ScaleStep } from '../../types.js';
import { evaluate, patchValues, type PatchValues } from '../explainedFunction.js';
import { integrateAlongPath, type PathQuadrature } from '../pathIntegral.js';
import { attributionResult } from '../result.js';
import { MAX_PATH_STEPS, positiveIntegerOption, positiveNumberOption } from '../validate.js';
import { gaussianBlur } from './gaussianBlur.js';

/**
 * Blur IG exactly as the Python reference computes it (DESIGN.md §3, "Compatibility mode"): σ_i on a uniform (or √)
 * grid, the scipy zero-padded Gaussian blur, ∂L/∂σ by forward difference of `gradStep`, and
 * mask = −Σ_{i<steps} (σ_{i+1} − σ_i) · ∂L/∂σ(σ_i) ⊙ ∇F(blur(x, σ_i)), for every output of `f`. Unlike the
 * reference, each step is weighted by its own Δσ whatever the batch size, so `batchSize` never changes the result.
 *
 * Completeness compares with F(x) − F(blur(x, σ_steps)). `modelCalls` counts the gradient calls only,
 * ceil(steps · K / batchSize) for K outputs; the completeness check makes one more, forward-only call of `f` on
 * two inputs (x and the baseline), which is not counted. `evaluations` = steps · K.
 */
export async function blurIGPair(f: Explainable, x: PatchInput, options: BlurIGPairOptions = {}): Promise<AttributionResult> {
  const maxSigma = positiveNumberOption('maxSigma', options.maxSigma, 50);
  // The PAIR fixtures were made with up to 4000 steps; its nodes run one at a time, so memory stays flat.
  const steps = positiveIntegerOption('steps', options.steps, 100, 10 * MAX_PATH_STEPS);
  const batchSize = positiveIntegerOption('batchSize', options.batchSize, 1);
  const gradStep = positiveNumberOption('gradStep', options.gradStep, 0.01);
  if (options.sqrt !== undefined && typeof options.sqrt !== 'boolean') throw new OptionError('sqrt', 'a boolean', options.sqrt);
  const patch = patchValues(x);
  const sigmas = pairSigmas(maxSigma, steps, options.sqrt ?? false);

  const size = patch.frames * patch.bands;
  const ends = new Float32Array(2 * size); // [2, T, F]: the input, then the baseline
  ends.set(patch.values);
  ends.set(gaussianBlur(patch.values, patch.frames, patch.bands, sigmas[steps]), size);
  const { values: fEnds, width } = await evaluate(f, ends, 2, patch); // [2 × K]

  const integral = await integrateAlongPath(f, patch, pairQuadrature(patch, sigmas, gradStep), width, batchSize);
  const outputs = Array.from({ length: width }, (_, k) => k);
  return attributionResult({
    method: 'blur-ig-pair',
    patch,
    attributions: integral.sums,
    fInput: outputs.map((k) => fEnds[k]),
    fBaseline: outputs.map((k) => fEnds[width + k]),
    scale: integral.contributions.map((shares) =>
      Array.from(shares, (contribution, i): ScaleStep => ({ s: i / steps, sigmaTime: sigmas[i], sigmaFrequency: sigmas[i], contribution })),
    ),
    steps,
    evaluations: steps * width,
    modelCalls: integral.calls,
  });
}

/** The reference's σ_i, i = 0…steps: i·maxSigma/steps, or its square root with `sqrt` (same operation order). */
export function pairSigmas(maxSigma: number, steps: number, sqrt: boolean): Float64Array {
  return Float64Array.from({ length: steps + 1 }, (_, i) => (sqrt ? Math.sqrt((i * maxSigma) / steps) : (i * maxSigma) / steps));
}

/**
 * Points blur(x, σ_i), directions −∂L/∂σ ≈ −(blur(x, σ_i + gradStep) − blur(x, σ_i)) / gradStep, weights
 * σ_{i+1} − σ_i, for i < steps. Blurs and the difference are float64 (as scipy's), rounded to float32 only as
 * tensors; the last chunk's blurs are kept, since a point whose outputs straddle two batches is made twice.
 */
function pairQuadrature(patch: PatchValues, sigmas: Float64Array, gradStep: number): PathQuadrature {
  const { frames, bands } = patch;
  const size = frames * bands;
  const count = sigmas.length - 1;
  let cache = new Map<number, { point: Float64Array; direction: Float64Array }>();
  const step = (i: number): { point: Float64Array; direction: Float64Array } => {
    const cached = cache.get(i);
    if (cached !== undefined) return cached;
    const point = gaussianBlur(patch.values, frames, bands, sigmas[i]);
    const ahead = gaussianBlur(patch.values, frames, bands, sigmas[i] + gradStep);
    const direction = ahead.map((value, j) => -(value - point[j]) / gradStep);
    return { point, direction };
  };
  return {
    count,
    weights: Float64Array.from({ length: count }, (_, i) => sigmas[i + 1] - sigmas[i]),
    make(start, end) {
      const points = new Float32Array((end - start) * size);
      const directions = new Float32Array((end - start) * size);
      const made = new Map<number, { point: Float64Array; direction: Float64Array }>();
      for (let i = start; i < end; i++) {
        const { point, direction } = step(i);
        made.set(i, { point, direction });
        points.set(point, (i - start) * size);
        directions.set(direction, (i - start) * size);
      }
      cache = made;
      return {
        points: tf.tensor3d(points, [end - start, frames, bands]), // [n, T, F]
        directions: tf.tensor3d(directions, [end - start, frames, bands]), // [n, T, F]
      };
    },
  };
}
