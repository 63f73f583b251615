// YAMNet's mel weight matrix, as TensorFlow's linear_to_mel_weight_matrix builds it (DESIGN.md §1.3).
import { YAMNET_FRONT_END } from '../types.js';

/** HTK mel scale: mel(f) = 1127·ln(1 + f/700). */
export function hertzToMel(frequencyHz: number): number {
  return 1127 * Math.log(1 + frequencyHz / 700);
}

/** Inverse of {@link hertzToMel}. */
export function melToHertz(mel: number): number {
  return 700 * (Math.exp(mel / 1127) - 1);
}

/**
 * The [bins × bands] weights, row-major (bins = fftLength/2 + 1 = 257, bands = 64), in float64 because the
 * reference figures come from a float64 implementation. Row 0, the DC bin, is all zeros; no area normalisation.
 */
export function melWeightMatrix(
  bands: number = YAMNET_FRONT_END.melBands,
  bins: number = YAMNET_FRONT_END.fftLength / 2 + 1,
  sampleRateHz: number = YAMNET_FRONT_END.sampleRateHz,
  lowHz: number = YAMNET_FRONT_END.melMinHz,
  highHz: number = YAMNET_FRONT_END.melMaxHz,
): Float64Array {
  const nyquistHz = sampleRateHz / 2;
  const lowMel = hertzToMel(lowHz);
  const edgeStep = (hertzToMel(highHz) - lowMel) / (bands + 1);
  const weights = new Float64Array(bins * bands);
  for (let k = 1; k < bins; k++) {
    const binMel = hertzToMel((k * nyquistHz) / (bins - 1));
    for (let j = 0; j < bands; j++) {
      const lower = lowMel + j * edgeStep;
      const centre = lower + edgeStep;
      const upper = centre + edgeStep;
      const rising = (binMel - lower) / (centre - lower);
      const falling = (upper - binMel) / (upper - centre);
      weights[k * bands + j] = Math.max(0, Math.min(rising, falling));
    }
  }
  return weights;
}
