// Test signals made from formulas, so every expected value has a known source.

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

/** mulberry32: a small, well-mixed 32-bit PRNG; returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
