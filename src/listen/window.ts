// The STFT's periodic Hann window and the weighted overlap-add normaliser Σ_t w²(n − 160t) (DESIGN.md §1.2, §7).
import { YAMNET_FRONT_END } from '../types.js';

const { windowSamples, hopSamples } = YAMNET_FRONT_END;

/** Periodic Hann, w[n] = 0.5 − 0.5·cos(2πn/400), n = 0…399: the analysis and the synthesis window. */
export const HANN_WINDOW: Float64Array = Float64Array.from(
  { length: windowSamples },
  (_unused, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / windowSamples),
);

const WINDOW_SQUARED = HANN_WINDOW.map((w) => w * w);

/**
 * Σ_t w²(n − 160t) where every window that could cover n exists: it depends only on n mod 160 (entry r sums
 * w²(r), w²(r + 160), w²(r + 320)), between ≈ 0.857 and ≈ 1.018.
 */
export const INTERIOR_WINDOW_SQUARE_SUM: Float64Array = Float64Array.from({ length: hopSamples }, (_unused, offset) => {
  let sum = 0;
  for (let n = offset; n < windowSamples; n += hopSamples) sum += WINDOW_SQUARED[n];
  return sum;
});

/**
 * The smallest normaliser the overlap-add divides by: 1e-3 of the largest interior Σ_t w²(n − 160t) (≈ 1.018).
 * A property of window and hop, not of the clip, so every clip is treated alike. Below it (the first 23 samples
 * of a clip, the last 22 of its last frame) the output is divided by the floor instead, which fades it smoothly
 * to 0 rather than dividing by almost nothing.
 */
export const OVERLAP_FLOOR: number = 1e-3 * Math.max(...INTERIOR_WINDOW_SQUARE_SUM);

/** Σ_t w²(sample − 160t) over the frames t = 0 … frames − 1 that cover `sample`: at most three terms. */
export function windowSquareSum(sample: number, frames: number): number {
  const firstFrame = Math.max(0, Math.ceil((sample - windowSamples + 1) / hopSamples));
  const lastFrame = Math.min(frames - 1, Math.floor(sample / hopSamples));
  let sum = 0;
  for (let t = firstFrame; t <= lastFrame; t++) sum += WINDOW_SQUARED[sample - t * hopSamples];
  return sum;
}
