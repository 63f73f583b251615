// Baselines for straight-line Integrated Gradients: silence, zeros, seeded noise, a blurred copy, or a given patch.
import type { BaselineSpec, Boundary, PatchInput } from '../types.js';
import { mulberry32, seedOption } from './random.js';
import * as tf from '@tensorflow/tfjs-core';
import { OptionError, ShapeError } from '../errors/index.js';
import { SILENCE_LOG_MEL } from '../types.js';
import { type PatchValues, patchValues } from './explainedFunction.js';
import { blurPatch } from './scaleSpace.js';

const ALLOWED = "`silence`, `zeros`, `{ noise: {…} }`, `{ blurred: {…} }` or a patch of the input's shape";

/** The baseline `spec` for `patch`, row-major [frames × bands]. */
export function baselineValues(spec: BaselineSpec, patch: PatchValues): Float32Array {
  const size = patch.frames * patch.bands;
  if (spec === 'silence') return new Float32Array(size).fill(SILENCE_LOG_MEL);
  if (spec === 'zeros') return new Float32Array(size);
  if (typeof spec === 'object' && spec !== null && !(spec instanceof tf.Tensor) && !Array.isArray(spec)) {
    if ('noise' in spec) return noiseBaseline(spec.noise ?? {}, patch);
    if ('blurred' in spec) return blurredBaseline(spec.blurred ?? {}, patch);
    if (!('values' in spec)) throw new OptionError('baseline', ALLOWED, spec);
  } else if (!(spec instanceof tf.Tensor) && !Array.isArray(spec)) {
    throw new OptionError('baseline', ALLOWED, spec);
  }
  return explicitBaseline(spec as PatchInput, patch);
}

function noiseBaseline(options: { readonly seed?: number; readonly low?: number; readonly high?: number }, patch: PatchValues): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (const v of patch.values) [min, max] = [Math.min(min, v), Math.max(max, v)];
  const low = finiteOption('baseline.noise.low', options.low, min);
  const high = finiteOption('baseline.noise.high', options.high, max);
  if (high < low) throw new OptionError('baseline.noise.high', `a number ≥ low (${low})`, high);
  const random = mulberry32(seedOption('baseline.noise.seed', options.seed, 0));
  return Float32Array.from(patch.values, () => low + (high - low) * random());
}

function blurredBaseline(
  options: { readonly sigmaTime?: number; readonly sigmaFrequency?: number; readonly boundary?: Boundary },
  patch: PatchValues,
): Float32Array {
  const sigmaTime = finiteOption('baseline.blurred.sigmaTime', options.sigmaTime, patch.frames, 0);
  const sigmaFrequency = finiteOption('baseline.blurred.sigmaFrequency', options.sigmaFrequency, patch.bands, 0);
  const boundary = options.boundary ?? 'reflect';
  if (boundary !== 'reflect' && !(typeof boundary === 'object' && boundary !== null && Number.isFinite(boundary.constant))) {
    throw new OptionError('baseline.blurred.boundary', '`reflect` or `{ constant: <finite number> }`', boundary);
  }
  return Float32Array.from(blurPatch(patch.values, patch.frames, patch.bands, sigmaTime ** 2, sigmaFrequency ** 2, boundary));
}

function explicitBaseline(spec: PatchInput, patch: PatchValues): Float32Array {
  let given: PatchValues;
  try {
    given = patchValues(spec);
  } catch (error) {
    if (error instanceof OptionError) throw new OptionError('baseline', error.allowed, error.got);
    if (error instanceof ShapeError) throw new ShapeError('baseline', [patch.frames, patch.bands], error.got);
    throw error;
  }
  if (given.frames !== patch.frames || given.bands !== patch.bands) {
    throw new ShapeError('baseline', [patch.frames, patch.bands], [given.frames, given.bands]);
  }
  return Float32Array.from(given.values);
}

/** A finite number (≥ `min` when given), or `fallback` when absent. */
function finiteOption(name: string, value: unknown, fallback: number, min = -Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new OptionError(name, min === -Infinity ? 'a finite number' : `a finite number ≥ ${min}`, value);
  }
  return value;
}
