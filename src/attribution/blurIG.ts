// Blur Integrated Gradients in scale space (DESIGN.md §3): the attribution of F to every (frame, band) of a patch.
import { OptionError } from '../errors/index.js';
import type { AttributionResult } from '../types.js';
import { adaptiveBlurIG } from './adaptive.js';
import { BlurPath, type BlurDirection, type BlurPathSpec } from './blurPath.js';
import { endValues, scaleCurve } from './blurPathEnds.js';
import { type ExplainedFunction, type PatchInput, type PatchValues, patchValues } from './explainedFunction.js';
import { blurIGPair, type BlurIGPairOptions } from './pair/blurIGPair.js';
import { integrateAlongPath } from './pathIntegral.js';
import { incrementBlurIG } from './pathIncrements.js';
import { SCHEDULE_NAMES, schedule as makeSchedule, type Schedule, type ScheduleName } from './quadrature.js';
import { attributionResult } from './result.js';
import type { Boundary } from './scaleSpace.js';
import { choiceOption, positiveIntegerOption, positiveNumberOption } from './validate.js';

/** Options of {@link blurIG}. */
export interface BlurIGOptions {
  /** Axes that blur: both (`time-frequency`), `time` only (ends at the average spectrum) or `frequency` only. @default 'time-frequency' */
  readonly path?: BlurDirection;
  /**
   * Largest blur σ, in frames (time) and mel bands (frequency); a number sets both. Defaults: the axis lengths
   * (96 and 64 for YAMNet), where the slowest surviving mode keeps exp(−π²/2) < 1% of its amplitude, so the baseline
   * has (almost) no structure left along the blurred axes (DESIGN.md §3).
   */
  readonly maxSigma?: number | { readonly time?: number; readonly frequency?: number };
  /** What lies beyond the patch edges while it blurs. @default 'reflect' */
  readonly boundary?: Boundary;
  /**
   * Integration rule in the path parameter s. `increments` (default): ½(∇F(a) + ∇F(b)) ⊙ (L(a) − L(b)) per cell
   * between uniform nodes, exact wherever YAMNet stays linear, with each cell's error known from F itself; or a
   * rule on the exact derivative ∂L/∂s: `gauss-legendre`, `left-riemann` (the reference's), `midpoint`, `trapezoid`.
   * @default 'increments'
   */
  readonly schedule?: ScheduleName | 'increments';
  /** σ(s) = σ_max · s^scalePower: 2 stretches the fine scales, where YAMNet's logit changes most. @default 2 */
  readonly scalePower?: number;
  /** Integration steps (model evaluations per output). @default 32 */
  readonly steps?: number;
  /**
   * Refine the path until every output's relative completeness error is ≤ tolerance (or `maxSteps` is reached),
   * reusing every evaluation already made; `steps` is the starting count. On real YAMNet patches 32 fixed steps
   * leave 17–125% error, and 1% takes 127–223 steps (bench/attribution.ts), hence refinement by default.
   * Refinement applies to `increments` and `gauss-legendre` (panels); the other rules use `steps` as given.
   * Set `maxSteps` equal to `steps` for a fixed step count.
   * @default 0.01
   */
  readonly tolerance?: number;
  /** Cap on steps when refining. @default 256 */
  readonly maxSteps?: number;
  /** (step, output) pairs per call of `f`. @default 32 */
  readonly batchSize?: number;
}

/** Defaults, exported so tools and docs can show them. */
export const BLUR_IG_DEFAULTS = { path: 'time-frequency', boundary: 'reflect', schedule: 'increments', scalePower: 2, steps: 32, tolerance: 0.01, maxSteps: 256, batchSize: 32 } as const;

const DIRECTIONS: readonly BlurDirection[] = ['time-frequency', 'time', 'frequency'];

/**
 * Blur IG of every output of `f` at patch `x`: −∫₀¹ ∇F(L(s)) ⊙ ∂L/∂s ds along the discrete scale space, with exact
 * derivatives. Returns the attribution, its completeness (Σ attribution vs F(x) − F(L(1))) and the scale curve.
 * With `{ compat: 'pair' }` it reproduces the Python reference instead (DESIGN.md §3).
 */
export async function blurIG(f: ExplainedFunction, x: PatchInput, options: BlurIGOptions | ({ readonly compat: 'pair' } & BlurIGPairOptions) = {}): Promise<AttributionResult> {
  if ('compat' in options) {
    if (options.compat !== 'pair') throw new OptionError('compat', '`pair`', options.compat);
    return blurIGPair(f, x, options);
  }
  const patch = patchValues(x);
  const settings = validate(options, patch);
  const path = new BlurPath(patch, settings.spec);
  try {
    if (settings.schedule === 'increments') return await incrementBlurIG(f, patch, path, settings);
    if (settings.schedule === 'gauss-legendre' && settings.maxSteps > settings.steps) return await adaptiveBlurIG(f, patch, path, settings);
    return await blurIGOnSchedule(f, patch, path, makeSchedule(settings.schedule, settings.steps), settings.batchSize);
  } finally {
    path.dispose();
  }
}

/** Blur IG with a fixed schedule: F at the input and baseline (one call), then the path integral. */
export async function blurIGOnSchedule(f: ExplainedFunction, patch: PatchValues, path: BlurPath, schedule: Schedule, batchSize: number): Promise<AttributionResult> {
  const ends = await endValues(f, patch, path);
  const integral = await integrateAlongPath(f, patch, path.quadrature(schedule), ends.width, batchSize);
  return attributionResult({
    method: 'blur-ig',
    patch,
    attributions: integral.sums,
    fInput: ends.fInput,
    fBaseline: ends.fBaseline,
    scale: integral.contributions.map((shares) => scaleCurve(path, schedule.points, shares)),
    steps: schedule.points.length,
    evaluations: schedule.points.length * ends.width,
    modelCalls: integral.calls,
  });
}

interface BlurIGSettings {
  readonly spec: BlurPathSpec;
  readonly schedule: ScheduleName | 'increments';
  readonly steps: number;
  readonly tolerance: number;
  readonly maxSteps: number;
  readonly batchSize: number;
}

function validate(options: BlurIGOptions, patch: PatchValues): BlurIGSettings {
  const maxSigma = options.maxSigma;
  const sigmaTime = typeof maxSigma === 'number' ? maxSigma : maxSigma?.time;
  const sigmaFrequency = typeof maxSigma === 'number' ? maxSigma : maxSigma?.frequency;
  const boundary = options.boundary ?? 'reflect';
  if (boundary !== 'reflect' && !(typeof boundary === 'object' && boundary !== null && Number.isFinite(boundary.constant))) {
    throw new OptionError('boundary', "`reflect` or `{ constant: <finite number> }` (e.g. `{ constant: -6.9078 }`, silence)", boundary);
  }
  const steps = positiveIntegerOption('steps', options.steps, BLUR_IG_DEFAULTS.steps);
  const maxSteps = positiveIntegerOption('maxSteps', options.maxSteps, Math.max(BLUR_IG_DEFAULTS.maxSteps, steps));
  if (maxSteps < steps) throw new OptionError('maxSteps', `an integer ≥ steps (${steps})`, maxSteps);
  return {
    spec: {
      direction: choiceOption('path', options.path, DIRECTIONS, 'time-frequency'),
      maxSigmaTime: positiveNumberOption('maxSigma.time', sigmaTime, patch.frames),
      maxSigmaFrequency: positiveNumberOption('maxSigma.frequency', sigmaFrequency, patch.bands),
      boundary,
      scalePower: scalePowerOption(options.scalePower),
    },
    schedule: choiceOption('schedule', options.schedule, [...SCHEDULE_NAMES, 'increments'] as const, BLUR_IG_DEFAULTS.schedule),
    steps,
    tolerance: positiveNumberOption('tolerance', options.tolerance, BLUR_IG_DEFAULTS.tolerance),
    maxSteps,
    batchSize: positiveIntegerOption('batchSize', options.batchSize, BLUR_IG_DEFAULTS.batchSize),
  };
}

/** σ(s) = σ_max s^p needs p ≥ ½ so that ∂L/∂s stays finite at s = 0 (a left Riemann node). */
function scalePowerOption(value: unknown): number {
  const p = positiveNumberOption('scalePower', value, BLUR_IG_DEFAULTS.scalePower);
  if (p < 0.5) throw new OptionError('scalePower', 'a number ≥ 0.5', p);
  return p;
}
