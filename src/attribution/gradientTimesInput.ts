// Gradient × input x ⊙ ∇F(x), with the completeness check it passes only for linear F.
import type { AttributionResult, Explainable, GradientOptions, PatchInput } from '../types.js';
import { evaluate, type PatchValues, patchValues } from './explainedFunction.js';
import { pointQuadrature } from './gradient.js';
import { integrateAlongPath } from './pathIntegral.js';
import { attributionResult } from './result.js';
import { positiveIntegerOption } from './validate.js';

/**
 * x ⊙ ∇F_k(x) for every output k: method `gradient-x-input`, 1 step, K evaluations.
 *
 * Its completeness compares Σ attribution with F(x) − F(0), the zeros baseline: Σ x ⊙ ∇F(x) = F(x) − F(0) holds
 * exactly when F is linear (plus a constant) and is reported, not enforced, otherwise; the error tells how far
 * from linear F is between 0 and x. Note that 0 is not silence in the log-mel domain (use Integrated Gradients
 * from `silence` for that). F(x) and F(0) come from one extra forward call of `f` on a batch of 2, not counted in
 * `modelCalls`, which counts the gradient calls only: ceil(K / batchSize).
 */
export async function gradientTimesInput(f: Explainable, x: PatchInput, options: GradientOptions = {}): Promise<AttributionResult> {
  const batchSize = positiveIntegerOption('batchSize', options.batchSize, 32);
  const patch = patchValues(x);
  return gradientTimesPatch(f, patch, batchSize);
}

async function gradientTimesPatch(f: Explainable, patch: PatchValues, batchSize: number): Promise<AttributionResult> {
  const size = patch.frames * patch.bands;
  const inputAndZeros = new Float32Array(2 * size);
  inputAndZeros.set(patch.values);
  const { values, width } = await evaluate(f, inputAndZeros, 2, patch); // [2 × K]: F(x), then F(0)
  const { sums, calls } = await integrateAlongPath(f, patch, pointQuadrature(patch.values, 1, patch, 'point'), width, batchSize);
  return attributionResult({
    method: 'gradient-x-input',
    patch,
    attributions: sums,
    fInput: values.subarray(0, width),
    fBaseline: values.subarray(width, 2 * width),
    steps: 1,
    evaluations: width,
    modelCalls: calls,
  });
}
