// The mel-to-linear gain mask: a [frames × 64] attribution spread over the 257 STFT bins and scaled to [0, 1] (DESIGN.md §7).
import { positiveIntegerOption } from '../attribution/validate.js';
import { melWeightMatrix } from '../audio/melFilterbank.js';
import { OptionError, ShapeError } from '../errors/index.js';
import { YAMNET_FRONT_END } from '../types.js';
import { STFT_BINS } from './frameTransforms.js';
import { selectRank } from './selectRank.js';

const { melBands } = YAMNET_FRONT_END;
// Hot loops read module-local copies: vitest and tsx turn imported bindings into property reads, several times slower.
const BINS = STFT_BINS;

/** Options of {@link melToLinearMask}. */
export interface MelMaskOptions {
  /** Mel bands per attribution frame; only YAMNet's 64. @default 64 */
  readonly bands?: 64;
  /** Fraction in (0, 1]: this percentile (nearest rank) of the nonzero gains becomes 1; larger gains clip. @default 0.99 */
  readonly scalePercentile?: number;
  /** Frames of the centred moving average along time, against musical noise; 1 = none. @default 3 */
  readonly smoothFrames?: number;
}

/** The defaults of {@link MelMaskOptions}. */
export const MEL_MASK_DEFAULTS = { bands: 64, scalePercentile: 0.99, smoothFrames: 3 } as const;

/** Per bin, the (at most two) bands covering it and their weights W[k, m] / Σ_m W[k, m]; float64, made once. */
let spreadTable: { bands: Int32Array; weights: Float64Array } | undefined;

function spreading(): { bands: Int32Array; weights: Float64Array } {
  if (spreadTable) return spreadTable;
  const matrix = melWeightMatrix(); // [257 × 64], row k = bin k
  const bands = new Int32Array(BINS * 2);
  const weights = new Float64Array(BINS * 2);
  for (let k = 0; k < BINS; k++) {
    let total = 0;
    for (let m = 0; m < melBands; m++) total += matrix[k * melBands + m];
    let slot = 0;
    for (let m = 0; m < melBands && total > 0; m++) {
      const w = matrix[k * melBands + m];
      if (w === 0) continue;
      if (slot === 2) throw new Error(`bin ${k} lies under more than two mel bands`); // a bug in the filterbank
      bands[k * 2 + slot] = m;
      weights[k * 2 + slot] = w / total;
      slot++;
    }
  }
  spreadTable = { bands, weights };
  return spreadTable;
}

/**
 * Turns one class's attribution, row-major [frames × 64], into STFT gains [frames × 257] in [0, 1]: the positive
 * part A⁺ (NaN and ±∞ count as 0), spread to bins by the normalised transpose of the filterbank,
 * g[t, k] = Σ_m W[k, m]·A⁺[t, m] / Σ_m W[k, m] (bins no band covers, below 125 Hz incl. DC and from 7500 Hz up, get
 * 0), averaged over `smoothFrames` frames centred on t (at the clip's ends over the frames that exist), then
 * divided by the `scalePercentile` of the nonzero gains and clipped to 1. An all-zero attribution gives all zeros.
 */
export function melToLinearMask(attribution: Float32Array, frames: number, options: MelMaskOptions = {}): Float32Array {
  if (options.bands !== undefined && options.bands !== melBands) throw new OptionError('bands', '`64` (YAMNet’s mel bands)', options.bands);
  const scalePercentile = options.scalePercentile ?? MEL_MASK_DEFAULTS.scalePercentile;
  if (typeof scalePercentile !== 'number' || !(scalePercentile > 0 && scalePercentile <= 1)) {
    throw new OptionError('scalePercentile', 'a number in (0, 1]', scalePercentile);
  }
  const smoothFrames = positiveIntegerOption('smoothFrames', options.smoothFrames, MEL_MASK_DEFAULTS.smoothFrames);
  if (!Number.isInteger(frames) || frames < 0) throw new OptionError('frames', 'a non-negative integer', frames);
  if (attribution.length !== frames * melBands) {
    throw new ShapeError(`attribution (row-major ${frames} frames × ${melBands} bands)`, [frames * melBands], [attribution.length]);
  }

  // Smoothing A⁺ along time before spreading gives the same g as smoothing g (both are linear), on 64 columns, not 257.
  const positive = smoothAlongTime(positivePart(attribution), frames, smoothFrames); // [frames × 64]
  const { bands, weights } = spreading();
  const mask = new Float32Array(frames * BINS);
  let nonzero = 0;
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < BINS; k++) {
      const gain = weights[2 * k] * positive[t * melBands + bands[2 * k]] + weights[2 * k + 1] * positive[t * melBands + bands[2 * k + 1]];
      mask[t * BINS + k] = gain;
      if (mask[t * BINS + k] > 0) nonzero++;
    }
  }
  if (nonzero === 0) return mask;

  const gains = new Float32Array(nonzero);
  let next = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] > 0) gains[next++] = mask[i];
  const reference = selectRank(gains, Math.max(0, Math.ceil(scalePercentile * nonzero) - 1));
  // Dividing (not multiplying by 1/reference) sends the reference gain to exactly 1.
  for (let i = 0; i < mask.length; i++) mask[i] = Math.min(1, mask[i] / reference);
  return mask;
}

function positivePart(attribution: Float32Array): Float64Array {
  const positive = new Float64Array(attribution.length);
  for (let i = 0; i < attribution.length; i++) {
    const a = attribution[i];
    positive[i] = a > 0 && a < Infinity ? a : 0; // NaN fails both tests
  }
  return positive;
}

/**
 * Mean over the frames t − ⌊s/2⌋ … t − ⌊s/2⌋ + s − 1 that exist, per band. Summed afresh for each frame (s is a
 * few frames) rather than as a running sum, so frames far from any evidence stay exactly 0.
 */
function smoothAlongTime(values: Float64Array, frames: number, smoothFrames: number): Float64Array {
  if (smoothFrames === 1) return values;
  const smoothed = new Float64Array(values.length);
  const before = Math.floor(smoothFrames / 2);
  for (let t = 0; t < frames; t++) {
    const first = Math.max(0, t - before);
    const last = Math.min(frames - 1, t - before + smoothFrames - 1);
    for (let m = 0; m < melBands; m++) {
      let sum = 0;
      for (let u = first; u <= last; u++) sum += values[u * melBands + m];
      smoothed[t * melBands + m] = sum / (last - first + 1);
    }
  }
  return smoothed;
}
