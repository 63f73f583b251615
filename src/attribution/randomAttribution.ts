// The random control: seeded uniform values per cell, scaled so that they sum to F(x) − F(silence).
import type { AttributionResult, Explainable, PatchInput, RandomAttributionOptions } from '../types.js';
import { SILENCE_LOG_MEL } from '../types.js';
import { evaluate, patchValues } from './explainedFunction.js';
import { mulberry32, seedOption } from './random.js';
import { attributionResult } from './result.js';

/**
 * Random attribution, method `random`: the control every method must beat. For each output k, u_k(c) uniform in
 * [−1, 1) per cell from its own mulberry32 stream (the k-th seed drawn from mulberry32(seed), so outputs differ and
 * neighbouring seeds do not share streams), then
 *
 *   attribution_k = u_k · (F_k(x) − F_k(b)) / Σ u_k,   b = silence ({@link SILENCE_LOG_MEL}) everywhere,
 *
 * so completeness holds by construction and the values are in the units of F, like the other methods'. The ranks of
 * the cells (all a deletion or insertion curve reads) are uniformly random, reversed when the scale is negative. When
 * F_k(x) = F_k(b) (or Σ u_k = 0) the values are left unscaled, in [−1, 1), and `completeness` shows the gap. The scale
 * grows as Σ u_k nears 0 (Σ u_k has standard deviation √(cells / 3), about 45 on a 96 × 64 patch), so magnitudes are
 * comparable only roughly; ranks are what it controls for.
 *
 * F(x) and F(b) take one forward call of `f` on a batch of 2; nothing else touches the model: `steps`, `evaluations`
 * and `modelCalls` are 0.
 */
export async function randomAttribution(f: Explainable, x: PatchInput, options: RandomAttributionOptions = {}): Promise<AttributionResult> {
  const seed = seedOption('seed', options.seed, 0);
  const patch = patchValues(x);
  const size = patch.frames * patch.bands;
  const ends = new Float32Array(2 * size).fill(SILENCE_LOG_MEL, size);
  ends.set(patch.values);
  const { values, width } = await evaluate(f, ends, 2, patch); // [2 × K]: F(x), then F(b)
  const uniforms = randomUniforms(size, width, seed);
  const attributions = uniforms.map((u, k) => {
    const change = values[k] - values[width + k];
    let sum = 0;
    for (const v of u) sum += v;
    const scale = change !== 0 && sum !== 0 ? change / sum : 1;
    return u.map((v) => v * scale);
  });
  return attributionResult({
    method: 'random',
    patch,
    attributions,
    fInput: values.subarray(0, width),
    fBaseline: values.subarray(width, 2 * width),
    steps: 0,
    evaluations: 0,
    modelCalls: 0,
  });
}

/** Per output k, `size` uniform values in [−1, 1) from the k-th stream of `seed` (unscaled). */
export function randomUniforms(size: number, outputs: number, seed: number): Float64Array[] {
  const seeds = mulberry32(seed);
  return Array.from({ length: outputs }, () => {
    const stream = mulberry32(Math.floor(seeds() * 2 ** 32));
    return Float64Array.from({ length: size }, () => 2 * stream() - 1);
  });
}
