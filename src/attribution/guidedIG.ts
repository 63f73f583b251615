// Guided Integrated Gradients (Kapishnikov et al., CVPR 2021): a path that moves the least important features first.
import { OptionError } from '../errors/index.js';
import type { AttributionResult, Explainable, GuidedIGOptions, PatchInput } from '../types.js';
import { baselineValues } from './baselines.js';
import { evaluate, type PatchValues, patchValues } from './explainedFunction.js';
import { GuidedPath, type GuidedPathSettings } from './guidedPath.js';
import { addIdgiStep } from './idgiCore.js';
import { itemGradients } from './itemGradients.js';
import { guidedIGPair } from './pair/guidedIGPair.js';
import { GUIDED_IG_PAIR_DEFAULTS } from './pair/guidedIGPairPath.js';
import { attributionResult } from './result.js';
import { MAX_PATH_STEPS, positiveIntegerOption } from './validate.js';

/** Defaults of {@link guidedIG} (with `compat: 'pair'`, PAIR's own: {@link GUIDED_IG_PAIR_DEFAULTS}). */
export const GUIDED_IG_DEFAULTS = { baseline: 'silence', steps: 64, fraction: 0.25, maxDist: 0.02, idgi: false } as const;

/**
 * Guided IG of every output k of `f` at `x`, method `guided-ig`. Each output gets its own path ({@link GuidedPath}:
 * per step, the features with the smallest |∇F_k| move first, none lagging the straight line by more than `maxDist`
 * in α); all outputs' paths advance together, one call of `f` per step holding every output's current point.
 *
 * The path is the polyline through the step points p_0 = b, p_1, …, p_steps = x (exactly the input), and
 * attribution_k = Σ_j ½(∇F_k(p_j) + ∇F_k(p_{j+1})) ⊙ (p_{j+1} − p_j), the trapezoid rule on each chord, so its
 * gradients are steps + 1 (the input's included; PAIR's left-point sum takes steps and misses the last): exact for
 * F linear, and for F = Σ c_i x_i² per feature, whatever the path. Calls: steps + 1, `evaluations` (steps + 1) · K.
 * With `idgi: true` (method `guided-ig+idgi`) each step's ΔF is shared by IDGI instead,
 * Σ_j ∇F_k(p_j)² / Σ ∇F_k(p_j)² · (F_k(p_{j+1}) − F_k(p_j)), which needs no gradient at the input (steps calls) and
 * telescopes to F(x) − F(b). F(x) and F(b) come from one forward call (not counted in `modelCalls`), as in
 * Integrated Gradients, and are the path's end values for IDGI.
 * With `compat: 'pair'` it reproduces PAIR saliency's implementation instead (method `guided-ig-pair`), with PAIR's
 * defaults: zero baseline, 200 steps ({@link guidedIGPair}).
 */
export async function guidedIG(f: Explainable, x: PatchInput, options: GuidedIGOptions = {}): Promise<AttributionResult> {
  const pair = options.compat !== undefined;
  if (pair && options.compat !== 'pair') throw new OptionError('compat', '`pair`', options.compat);
  const defaults = pair ? { ...GUIDED_IG_DEFAULTS, ...GUIDED_IG_PAIR_DEFAULTS } : GUIDED_IG_DEFAULTS;
  const settings: GuidedPathSettings = {
    steps: positiveIntegerOption('steps', options.steps, defaults.steps, MAX_PATH_STEPS),
    fraction: unitOption('fraction', options.fraction, defaults.fraction, false),
    maxDist: unitOption('maxDist', options.maxDist, defaults.maxDist, true),
  };
  const idgi = options.idgi ?? false;
  if (typeof idgi !== 'boolean') throw new OptionError('idgi', 'a boolean', idgi);
  if (pair && idgi) throw new OptionError('idgi', "false with `compat: 'pair'` (PAIR's Guided IG has no IDGI)", idgi);
  const patch = patchValues(x);
  const baseline = baselineValues(options.baseline ?? defaults.baseline, patch);
  if (pair) return guidedIGPair(f, patch, baseline, settings);
  return guidedAlongPaths(f, patch, baseline, settings, idgi);
}

/** A number in (0, 1], or [0, 1] with `allowZero`, or `fallback` when absent. */
function unitOption(name: string, value: unknown, fallback: number, allowZero: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(allowZero ? value >= 0 : value > 0) || !(value <= 1)) {
    throw new OptionError(name, allowZero ? 'a number in [0, 1]' : 'a number in (0, 1]', value);
  }
  return value;
}

/** The native method: every output's path stepped together, its attribution summed as each step's gradient arrives. */
async function guidedAlongPaths(f: Explainable, patch: PatchValues, baseline: Float32Array, settings: GuidedPathSettings, idgi: boolean): Promise<AttributionResult> {
  const size = patch.frames * patch.bands;
  const ends = new Float32Array(2 * size); // [2, T, F]: the input, then the baseline
  ends.set(patch.values);
  ends.set(baseline, size);
  const { values, width } = await evaluate(f, ends, 2, patch); // [2 × K]
  const [fInput, fBaseline] = [values.subarray(0, width), values.subarray(width, 2 * width)];
  const [input64, baseline64] = [Float64Array.from(patch.values), Float64Array.from(baseline)];
  const paths = Array.from({ length: width }, () => new GuidedPath(input64, baseline64, settings));
  const sums = Array.from({ length: width }, () => new Float64Array(size));
  // Per output: the last point evaluated (as f saw it, float32), ∇F and F there.
  const previous: ({ point: Float32Array; gradient: Float32Array; value: number } | undefined)[] = new Array(width);
  // Every path takes the same steps (none when input = baseline); the trapezoid rule also needs ∇F at the input.
  const rounds = paths[0].done ? 0 : settings.steps + (idgi ? 0 : 1);
  const outputOf = Int32Array.from({ length: width }, (_, k) => k);
  for (let round = 0; round < rounds; round++) {
    const inputs = new Float32Array(width * size); // [K, T, F]: output k's current point
    paths.forEach((path, k) => inputs.set(path.point, k * size));
    const read = await itemGradients(f, inputs, outputOf, width, patch);
    for (let k = 0; k < width; k++) {
      const point = inputs.subarray(k * size, (k + 1) * size);
      const gradient = read.gradients.subarray(k * size, (k + 1) * size);
      const before = previous[k];
      const value = before === undefined ? fBaseline[k] : read.values[k];
      if (before !== undefined && idgi) addIdgiStep(sums[k], before.gradient, value - before.value);
      if (before !== undefined && !idgi) {
        for (let i = 0; i < size; i++) sums[k][i] += 0.5 * (before.gradient[i] + gradient[i]) * (point[i] - before.point[i]);
      }
      previous[k] = { point, gradient, value };
      if (!paths[k].done) paths[k].advance(gradient);
    }
  }
  if (idgi) previous.forEach((before, k) => before !== undefined && addIdgiStep(sums[k], before.gradient, fInput[k] - before.value)); // the last step
  return attributionResult({
    method: idgi ? 'guided-ig+idgi' : 'guided-ig',
    patch,
    attributions: sums,
    fInput,
    fBaseline,
    steps: settings.steps,
    evaluations: rounds * width,
    modelCalls: rounds,
  });
}
