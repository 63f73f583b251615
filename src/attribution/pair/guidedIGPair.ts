// Guided IG in compatibility mode: PAIR saliency's guided_ig_impl (@7b72b67) for every output of an explained function.
import type { AttributionResult, Explainable } from '../../types.js';
import { evaluate, type PatchValues } from '../explainedFunction.js';
import { itemGradients } from '../itemGradients.js';
import { attributionResult } from '../result.js';
import { type GuidedIGPairSettings, PairGuidedPath } from './guidedIGPairPath.js';

/**
 * Method `guided-ig-pair`: what `GuidedIG().GetMask(x, model, x_baseline=b, x_steps=steps, fraction, max_dist)`
 * returns, for each output k of `f` ({@link PairGuidedPath}: float64, one gradient per step at the step's start, a
 * left-point Riemann sum, PAIR's selection over all features and its isclose stopping rule). Each output follows
 * its own path; at each step one call of `f` holds every output's current point (rounded to float32, what `f`
 * takes), so `modelCalls` = steps (the reference's call count; 0 when input = baseline, where the mask is 0) and
 * `evaluations` = steps · K. F(x) and F(b) for completeness come from one more, forward-only call, not counted.
 * Completeness is not exact: the error is about first order in 1/steps (README of the reference fixtures).
 */
export async function guidedIGPair(f: Explainable, patch: PatchValues, baseline: Float32Array, settings: GuidedIGPairSettings): Promise<AttributionResult> {
  const size = patch.frames * patch.bands;
  const ends = new Float32Array(2 * size); // [2, T, F]: the input, then the baseline
  ends.set(patch.values);
  ends.set(baseline, size);
  const { values, width } = await evaluate(f, ends, 2, patch); // [2 × K]
  const [input64, baseline64] = [Float64Array.from(patch.values), Float64Array.from(baseline)];
  const paths = Array.from({ length: width }, () => new PairGuidedPath(input64, baseline64, settings));
  let calls = 0;
  for (;;) {
    const moving = paths.flatMap((path, k) => (path.done ? [] : [k]));
    if (moving.length === 0) break;
    const inputs = new Float32Array(moving.length * size); // [m, T, F]
    moving.forEach((k, n) => inputs.set(paths[k].point, n * size));
    const { gradients } = await itemGradients(f, inputs, Int32Array.from(moving), width, patch);
    calls++;
    moving.forEach((k, n) => paths[k].advance(gradients.subarray(n * size, (n + 1) * size)));
  }
  return attributionResult({
    method: 'guided-ig-pair',
    patch,
    attributions: paths.map((path) => path.mask),
    fInput: values.subarray(0, width),
    fBaseline: values.subarray(width, 2 * width),
    steps: settings.steps,
    evaluations: calls * width,
    modelCalls: calls,
  });
}
