// The two references of the deletion and insertion curves (DESIGN.md §8): silence, and the patch blurred to its mean.
import { baselineValues } from '../attribution/baselines.js';
import { OptionError, ShapeError } from '../errors/index.js';
import { SILENCE_LOG_MEL } from '../types.js';
import type { PatchCells } from './deletionInsertion.js';

/** What a deleted cell becomes, one array per reference; both row-major [frames × bands] like the patch. */
export interface References {
  /** {@link SILENCE_LOG_MEL} (−6.9078) in every cell: the log-mel patch of digital silence (IG's default baseline). */
  readonly silence: Float32Array;
  /**
   * The patch blurred at the largest σ of Blur IG's default path: σ_time = frames (96), σ_frequency = bands (64),
   * boundary `reflect`, i.e. Blur IG's end point (the same values as the `{ blurred: {} }` baseline). Under 1 % of any
   * structure is left (the slowest mode keeps exp(−π²/2) = 0.7 %) and the patch mean is kept.
   */
  readonly blur: Float32Array;
}

/** Names of the references, in report order. */
export const REFERENCE_NAMES = ['silence', 'blur'] as const;

/** The `silence` and `blur` references of one patch. Throws ShapeError / OptionError for a malformed or non-finite patch. */
export function references(patch: PatchCells): References {
  const size = patch.frames * patch.bands;
  if (!Number.isSafeInteger(patch.frames) || !Number.isSafeInteger(patch.bands) || patch.frames < 1 || patch.bands < 1 || patch.values.length !== size) {
    throw new ShapeError('patch', [patch.frames, patch.bands], [patch.values.length]);
  }
  if (!patch.values.every(Number.isFinite)) throw new OptionError('patch', 'finite numbers only', 'a value that is NaN or infinite');
  return { silence: new Float32Array(size).fill(SILENCE_LOG_MEL), blur: baselineValues({ blurred: {} }, patch) };
}
