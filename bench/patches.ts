// The test patches the model benchmarks share: log-mel of 20 s of a chirp, two tones and noise, cycled to a batch.
import { logMelPatches } from '../src/audio/logMel.js';

/** `batch` real patches, row-major [batch, 96, 64]: the same audio every run (a seeded LCG for the noise). */
export function benchPatchValues(batch: number): Float32Array {
  const rate = 16_000;
  let seed = 1;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32) * 2 - 1;
  const wave = Float32Array.from({ length: 20 * rate }, (_, i) => {
    const t = i / rate;
    return 0.3 * Math.sin(2 * Math.PI * (200 * t + 40 * t * t)) + 0.2 * Math.sin(2 * Math.PI * 440 * t) + 0.1 * Math.sin(2 * Math.PI * 1250 * t) + 0.05 * random();
  });
  const all = logMelPatches(wave);
  const values = new Float32Array(batch * 96 * 64);
  for (let b = 0; b < batch; b++) values.set(all[b % all.length].logMel, b * 96 * 64);
  return values;
}
