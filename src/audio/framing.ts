// Sample and frame arithmetic of YAMNet's front-end: padding, frame counts, patch positions (DESIGN.md §1.1, §1.5).
import { FIRST_PATCH_SAMPLES, PATCH_HOP_SAMPLES, YAMNET_FRONT_END } from '../types.js';

const { windowSamples, hopSamples, patchFrames, patchHopFrames } = YAMNET_FRONT_END;

/**
 * Length a whole clip of `sampleCount` samples is zero-padded to: at least one patch (15 600 samples),
 * then a whole number of patch hops (7 680 samples) beyond it. 16 000 → 23 280; 48 000 → 54 000; 8 000 → 15 600.
 */
export function paddedSampleCount(sampleCount: number): number {
  if (sampleCount <= FIRST_PATCH_SAMPLES) return FIRST_PATCH_SAMPLES;
  return FIRST_PATCH_SAMPLES + Math.ceil((sampleCount - FIRST_PATCH_SAMPLES) / PATCH_HOP_SAMPLES) * PATCH_HOP_SAMPLES;
}

/** STFT frames in `sampleCount` samples with no end padding: 1 + floor((N − 400) / 160), or 0. */
export function frameCount(sampleCount: number): number {
  return sampleCount < windowSamples ? 0 : 1 + Math.floor((sampleCount - windowSamples) / hopSamples);
}

/** Complete patches in `frames` frames: 1 + floor((frames − 96) / 48), or 0. */
export function patchCount(frames: number): number {
  return frames < patchFrames ? 0 : 1 + Math.floor((frames - patchFrames) / patchHopFrames);
}

/** Whether frame `frameIndex` is the last frame of some patch, i.e. completes patch (frameIndex + 1 − 96) / 48. */
export function completesPatch(frameIndex: number): boolean {
  const framesSoFar = frameIndex + 1;
  return framesSoFar >= patchFrames && (framesSoFar - patchFrames) % patchHopFrames === 0;
}

/** Zero-pads a whole clip to {@link paddedSampleCount}; returns the input itself when no padding is needed. */
export function padWaveform(waveform: Float32Array): Float32Array {
  const target = paddedSampleCount(waveform.length);
  if (target === waveform.length) return waveform;
  const padded = new Float32Array(target);
  padded.set(waveform);
  return padded;
}

/** Start time in seconds of frame `frameIndex` (index × 160 / 16 000, divided last so 48 → 0.48 exactly). */
export function frameTimeSec(frameIndex: number): number {
  return (frameIndex * hopSamples) / YAMNET_FRONT_END.sampleRateHz;
}
