// Vanilla gradient ∇F(x): the one-point "path" of the shared core, and the point quadrature gradient methods share.
import * as tf from '@tensorflow/tfjs-core';
import type { AttributionResult, Explainable, GradientOptions, PatchInput } from '../types.js';
import { evaluate, type PatchValues, patchValues } from './explainedFunction.js';
import { integrateAlongPath, type PathQuadrature } from './pathIntegral.js';
import { attributionResult } from './result.js';
import { positiveIntegerOption } from './validate.js';

/**
 * The gradient ∇F_k(x) of every output k at the input: method `gradient`, 1 step, K evaluations.
 *
 * It is not a path method and has no baseline, so there is no completeness to check: `completeness.fInput` is F(x)
 * (from one extra forward call of `f` on x, not counted in `modelCalls`, which counts the gradient calls only),
 * `fBaseline`, `absError` and `relError` are NaN, and `attributionSum` is Σ ∇F(x).
 */
export async function vanillaGradient(f: Explainable, x: PatchInput, options: GradientOptions = {}): Promise<AttributionResult> {
  const batchSize = positiveIntegerOption('batchSize', options.batchSize, 32);
  const patch = patchValues(x);
  return gradientAtInput(f, patch, batchSize);
}

async function gradientAtInput(f: Explainable, patch: PatchValues, batchSize: number): Promise<AttributionResult> {
  const { values: fInput, width } = await evaluate(f, patch.values, 1, patch); // [K]
  const { sums, calls } = await integrateAlongPath(f, patch, pointQuadrature(patch.values, 1, patch, 'ones'), width, batchSize);
  return attributionResult({
    method: 'gradient',
    patch,
    attributions: sums,
    fInput,
    fBaseline: new Float64Array(width).fill(NaN),
    steps: 1,
    evaluations: width,
    modelCalls: calls,
  });
}

/**
 * `count` separate points (row-major [count × T × F]) with weight 1 each, multiplied by all ones (`ones`: the
 * gradient itself) or by the point (`point`: gradient × input). Summing over them gives Σ_n ∇F(p_n) ⊙ d_n.
 */
export function pointQuadrature(points: Float32Array, count: number, patch: PatchValues, direction: 'ones' | 'point'): PathQuadrature {
  const size = patch.frames * patch.bands;
  return {
    count,
    weights: new Float64Array(count).fill(1),
    make(start, end) {
      const chunk = tf.tensor3d(points.subarray(start * size, end * size), [end - start, patch.frames, patch.bands]); // [m, T, F]
      return { points: chunk, directions: direction === 'ones' ? tf.onesLike(chunk) : chunk }; // [m, T, F] each
    },
  };
}
