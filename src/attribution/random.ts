// Seeded random numbers, so noise baselines and SmoothGrad repeat exactly for the same seed.
import { OptionError } from '../errors/index.js';

/** A generator of uniform numbers in [0, 1): mulberry32, 32-bit state, seeded so sequences repeat. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer seed option, or `fallback` when absent. */
export function seedOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new OptionError(name, 'an integer', value);
  return value;
}
