// The fixed patch every model is run on once at load, and the check that its logits are all finite (pure).
import { ModelError } from '../errors/index.js';
import { SILENCE_LOG_MEL, YAMNET_FRONT_END } from '../types.js';
import { CORRUPT_FIX } from './validateTensor.js';

/**
 * One log-mel patch [96, 64], row-major: digital silence (−6.9078) in its first half, then a fixed pattern between
 * −6 and +2 (the range of real log-mel values) in its second, so both the floor and loud bands reach every layer.
 */
export function probePatch(): Float32Array {
  const { patchFrames, melBands } = YAMNET_FRONT_END;
  const patch = new Float32Array(patchFrames * melBands).fill(SILENCE_LOG_MEL);
  for (let t = patchFrames / 2; t < patchFrames; t++) {
    for (let b = 0; b < melBands; b++) patch[t * melBands + b] = -2 + 4 * Math.sin(0.37 * t + 0.11 * b * b);
  }
  return patch;
}

/** Throws a ModelError unless every logit the model gave the probe patch is finite. */
export function checkProbeLogits(logits: ArrayLike<number>, path: string, engine: string): void {
  let bad = 0;
  for (let i = 0; i < logits.length; i++) if (!Number.isFinite(logits[i])) bad++;
  if (bad > 0) {
    throw new ModelError(`${path}: the model gives ${bad} non-finite logits of ${logits.length} on a test patch (${engine} engine), so its weights are damaged; ${CORRUPT_FIX}`, path);
  }
}
