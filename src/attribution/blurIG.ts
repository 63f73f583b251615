// Blur Integrated Gradients in scale space (DESIGN.md §3): the attribution of F to every (frame, band) of a patch.
import { OptionError } from '../errors/index.js';
import type { AttributionResult, BlurDirection, BlurIGOptions, BlurIGPairOptions, Boundary, Explainable, PatchInput, ScheduleName } from '../types.js';
import { adaptiveBlurIG } from './adaptive.js';
import { blurIGIdgi } from './blurIGIdgi.js';
import { BlurPath, type BlurPathSpec } from './blurPath.js';
import { endValues, scaleCurve } from './blurPathEnds.js';
import { type PatchValues, patchValues } from './explainedFunction.js';
import { blurIGPair } from './pair/blurIGPair.js';
import { integrateAlongPath } from './pathIntegral.js';
import { incrementBlurIG } from './pathIncrements.js';
import { SCHEDULE_NAMES, schedule as makeSchedule, type Schedule } from './quadrature.js';
import { attributionResult } from './result.js';
import { choiceOption, MAX_PATH_STEPS, positiveIntegerOption, positiveNumberOption } from './validate.js';

/** Defaults, exported so tools and docs can show them. */
export const BLUR_IG_DEFAULTS = { path: 'time-frequency', boundary: 'reflect', schedule: 'increments', scalePower: 2, steps: 16, tolerance: 0.01, absTolerance: 0.002, maxSteps: 256, batchSize: 32 } as const;

/** Steps of Blur IG with IDGI (method `blur-ig+idgi`) when none are given: the cost `evaluate` measured it at. */
export const BLUR_IG_IDGI_STEPS = 32;

/** Blur IG with IDGI's step distribution (`{ idgi: true }`), `BLUR_IG_IDGI_STEPS` steps unless told: method `blur-ig+idgi`. */
export function blurIGWithIdgi(f: Explainable, x: PatchInput, options: Omit<BlurIGOptions, 'idgi'> = {}): Promise<AttributionResult> {
  // `steps: undefined` (an option parser's "not given") must not override the default.
  return blurIG(f, x, { ...options, steps: options.steps ?? BLUR_IG_IDGI_STEPS, idgi: true });
}

const DIRECTIONS: readonly BlurDirection[] = ['time-frequency', 'time', 'frequency'];

/**
 * Blur IG of every output of `f` at patch `x`: −∫₀¹ ∇F(L(s)) ⊙ ∂L/∂s ds along the discrete scale space, whose
 * points (and, for the derivative rules, ∂L/∂s) are exact. Returns the attribution, its completeness
 * (Σ attribution vs F(x) − F(L(1))) and the scale curve.
 * With `{ compat: 'pair' }` it reproduces the Python reference instead (DESIGN.md §3); with `idgi: true` it shares
 * each step's change of F by IDGI instead ({@link blurIGIdgi}, method `blur-ig+idgi`).
 */
export async function blurIG(f: Explainable, x: PatchInput, options: BlurIGOptions | ({ readonly compat: 'pair' } & BlurIGPairOptions) = {}): Promise<AttributionResult> {
  if ('compat' in options) {
    if (options.compat !== 'pair') throw new OptionError('compat', '`pair`', options.compat);
    return blurIGPair(f, x, options);
  }
  const patch = patchValues(x);
  const idgi: unknown = options.idgi ?? false;
  if (typeof idgi !== 'boolean') throw new OptionError('idgi', 'a boolean', idgi);
  const settings = validate(options, patch, idgi);
  const path = new BlurPath(patch, settings.spec);
  try {
    if (idgi) return await blurIGIdgi(f, patch, path, settings.steps, settings.batchSize);
    if (settings.schedule === 'increments') return await incrementBlurIG(f, patch, path, settings);
    if (settings.schedule === 'gauss-legendre' && settings.maxSteps > settings.steps) return await adaptiveBlurIG(f, patch, path, settings);
    return await blurIGOnSchedule(f, patch, path, makeSchedule(settings.schedule, settings.steps), settings.batchSize);
  } finally {
    path.dispose();
  }
}

/** Blur IG with a fixed schedule: F at the input and baseline (one call), then the path integral. */
export async function blurIGOnSchedule(f: Explainable, patch: PatchValues, path: BlurPath, schedule: Schedule, batchSize: number): Promise<AttributionResult> {
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
  readonly absTolerance: number;
  readonly maxSteps: number;
  readonly batchSize: number;
}

/** With `idgi` the steps are fixed, so `maxSteps` (refinement's cap) is not held against them. */
function validate(options: BlurIGOptions, patch: PatchValues, idgi: boolean): BlurIGSettings {
  const maxSigma = options.maxSigma;
  const sigmaTime = typeof maxSigma === 'number' ? maxSigma : maxSigma?.time;
  const sigmaFrequency = typeof maxSigma === 'number' ? maxSigma : maxSigma?.frequency;
  const boundary = options.boundary ?? 'reflect';
  if (boundary !== 'reflect' && !(typeof boundary === 'object' && boundary !== null && Number.isFinite(boundary.constant))) {
    throw new OptionError('boundary', "`reflect` or `{ constant: <finite number> }` (e.g. `{ constant: -6.9078 }`, silence)", boundary);
  }
  const steps = positiveIntegerOption('steps', options.steps, BLUR_IG_DEFAULTS.steps, MAX_PATH_STEPS);
  const maxSteps = positiveIntegerOption('maxSteps', options.maxSteps, Math.max(BLUR_IG_DEFAULTS.maxSteps, steps), MAX_PATH_STEPS);
  if (maxSteps < steps && !idgi) throw new OptionError('maxSteps', `an integer ≥ steps (${steps})`, maxSteps);
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
    absTolerance: positiveNumberOption('absTolerance', options.absTolerance, BLUR_IG_DEFAULTS.absTolerance, true),
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
