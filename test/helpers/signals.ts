// Test signals made from formulas, so every expected value has a known source.
import { mulberry32 } from '../../src/attribution/random.js';

/** A sine of `frequencyHz` and `amplitude`, `seconds` long, at 16 kHz. */
export function sine(frequencyHz: number, amplitude: number, seconds: number, sampleRateHz = 16_000): Float32Array {
  const n = Math.round(seconds * sampleRateHz);
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz));
}

/** Uniform noise in [−amplitude, amplitude] from a seeded PRNG (mulberry32), so runs repeat exactly. */
export function noise(samples: number, amplitude = 1, seed = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: samples }, () => amplitude * (2 * random() - 1));
}

/** mulberry32 from the library: numbers in [0, 1) that repeat for the same seed. */
export const seededRandom: (seed: number) => () => number = mulberry32;
