// Integrated Gradients along the straight line from a baseline to the input, on the shared quadrature core.
import * as tf from '@tensorflow/tfjs-core';
import type { AttributionResult, BaselineSpec, Explainable, IntegratedGradientsOptions, PatchInput, ScheduleName } from '../types.js';
import { baselineValues } from './baselines.js';
import { evaluate, type PatchValues, patchValues } from './explainedFunction.js';
import { integrateAlongPath, type PathQuadrature } from './pathIntegral.js';
import { SCHEDULE_NAMES, type Schedule, schedule } from './quadrature.js';
import { attributionResult } from './result.js';
import { choiceOption, MAX_PATH_STEPS, positiveIntegerOption } from './validate.js';

/**
 * Integrated Gradients, method `integrated-gradients`: along γ(α) = b + α(x − b),
 * attribution_k = (x − b) ⊙ ∫₀¹ ∇F_k(γ(α)) dα ≈ Σ_n w_n ∇F_k(γ(α_n)) ⊙ (x − b), for every output k.
 *
 * Completeness: Σ attribution_k should equal F_k(x) − F_k(b). F(x) and F(b) come from one extra forward call of `f`
 * on a batch of 2, not counted in `modelCalls`, which counts the gradient calls: ceil(steps · K / batchSize).
 * `evaluations` = steps · K; `scale` is empty.
 */
export async function integratedGradients(
  f: Explainable,
  x: PatchInput,
  options: IntegratedGradientsOptions = {},
): Promise<AttributionResult> {
  const steps = positiveIntegerOption('steps', options.steps, 32, MAX_PATH_STEPS);
  const rule = choiceOption('schedule', options.schedule, SCHEDULE_NAMES, 'gauss-legendre');
  const batchSize = positiveIntegerOption('batchSize', options.batchSize, 32);
  const patch = patchValues(x);
  const baseline = baselineValues(options.baseline ?? 'silence', patch);
  return straightLine(f, patch, baseline, schedule(rule, steps), batchSize);
}

/** The straight-line integral over the schedule's nodes α_n and weights w_n. */
async function straightLine(
  f: Explainable,
  patch: PatchValues,
  baseline: Float32Array,
  nodes: Schedule,
  batchSize: number,
): Promise<AttributionResult> {
  const size = patch.frames * patch.bands;
  const ends = new Float32Array(2 * size);
  ends.set(patch.values);
  ends.set(baseline, size);
  const { values, width } = await evaluate(f, ends, 2, patch); // [2 × K]: F(x), then F(b)
  const difference = Float32Array.from(patch.values, (v, j) => v - baseline[j]); // x − b
  const quadrature: PathQuadrature = {
    count: nodes.points.length,
    weights: nodes.weights,
    make(start, end) {
      const shape: [number, number, number] = [1, patch.frames, patch.bands];
      const direction = tf.tensor3d(difference, shape); // [1, T, F]
      const alphas = tf.tensor3d(Float32Array.from(nodes.points.subarray(start, end)), [end - start, 1, 1]); // [m, 1, 1]
      const points = tf.add(tf.tensor3d(baseline, shape), tf.mul(alphas, direction)) as tf.Tensor3D; // [m, T, F]
      return { points, directions: tf.tile(direction, [end - start, 1, 1]) as tf.Tensor3D }; // [m, T, F] each
    },
  };
  const { sums, calls } = await integrateAlongPath(f, patch, quadrature, width, batchSize);
  return attributionResult({
    method: 'integrated-gradients',
    patch,
    attributions: sums,
    fInput: values.subarray(0, width),
    fBaseline: values.subarray(width, 2 * width),
    steps: nodes.points.length,
    evaluations: nodes.points.length * width,
    modelCalls: calls,
  });
}
