// IDGI on the straight line from a baseline to the input: Integrated Gradients' path, with each step's ΔF shared by g².
import * as tf from '@tensorflow/tfjs-core';
import { OptionError } from '../errors/index.js';
import type { AttributionResult, Explainable, IdgiOptions, PatchInput } from '../types.js';
import { baselineValues } from './baselines.js';
import { evaluate, patchValues } from './explainedFunction.js';
import { idgiOnPath } from './idgiPath.js';
import { attributionResult } from './result.js';
import { MAX_PATH_STEPS, positiveIntegerOption } from './validate.js';

/** Defaults of {@link idgi}. */
export const IDGI_DEFAULTS = { baseline: 'silence', steps: 32, batchSize: 32 } as const;

/**
 * IDGI (Yang, Wang and Bilgic, CVPR 2023), method `idgi`, for every output k of `f`: on the points
 * x_j = b + a_j (x − b), a = linspace(0, 1, steps),
 * attribution_k = Σ_{j < steps−1} ∇F_k(x_j)² / Σ ∇F_k(x_j)² · (F_k(x_{j+1}) − F_k(x_j)), per feature.
 * Each step's whole change of F goes to the features, so Σ attribution telescopes to F(x) − F(b) (to rounding)
 * whatever `steps`: completeness holds by construction, which says nothing about how faithful the shares are.
 * A step whose gradient is zero contributes nothing (its ΔF is then missing from the sum; completeness shows it).
 *
 * F(x) and F(b) come from one forward call of `f` on both (not counted in `modelCalls`); the gradients (and F) at
 * x_0 … x_{steps−2} take ceil((steps − 1) · K / batchSize) calls, each (point, output) pair one input. The input's
 * own gradient is never needed. `evaluations` = (steps − 1) · K; `scale` is empty.
 */
export async function idgi(f: Explainable, x: PatchInput, options: IdgiOptions = {}): Promise<AttributionResult> {
  const steps = positiveIntegerOption('steps', options.steps, IDGI_DEFAULTS.steps, MAX_PATH_STEPS);
  if (steps < 2) throw new OptionError('steps', 'an integer ≥ 2 (the path has both ends)', steps);
  const batchSize = positiveIntegerOption('batchSize', options.batchSize, IDGI_DEFAULTS.batchSize);
  const patch = patchValues(x);
  const baseline = baselineValues(options.baseline ?? IDGI_DEFAULTS.baseline, patch);
  const size = patch.frames * patch.bands;

  const ends = new Float32Array(2 * size); // [2, T, F]: the input, then the baseline
  ends.set(patch.values);
  ends.set(baseline, size);
  const { values, width } = await evaluate(f, ends, 2, patch); // [2 × K]
  const fInput = values.subarray(0, width);
  const fBaseline = values.subarray(width, 2 * width);

  const makePoints = (start: number, end: number): tf.Tensor3D => {
    const points = new Float32Array((end - start) * size); // [n, T, F], computed in float64
    for (let j = start; j < end; j++) {
      const a = j === steps - 1 ? 1 : j * (1 / (steps - 1)); // numpy's linspace
      for (let i = 0; i < size; i++) points[(j - start) * size + i] = baseline[i] + a * (patch.values[i] - baseline[i]);
    }
    return tf.tensor3d(points, [end - start, patch.frames, patch.bands]);
  };
  const { sums, calls } = await idgiOnPath(f, patch, steps, width, batchSize, makePoints, fBaseline, fInput);
  return attributionResult({
    method: 'idgi',
    patch,
    attributions: sums,
    fInput,
    fBaseline,
    steps,
    evaluations: (steps - 1) * width,
    modelCalls: calls,
  });
}
