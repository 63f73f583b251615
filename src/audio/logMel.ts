// YAMNet's front-end over a whole waveform: padded log-mel spectrogram and its 96-frame patches.
import { type Patch, YAMNET_FRONT_END } from '../types.js';
import { frameCount, frameTimeSec, padWaveform, patchCount } from './framing.js';
import { createLogMelFrameComputer } from './logMelFrame.js';

const { hopSamples, melBands, patchFrames, patchHopFrames } = YAMNET_FRONT_END;

/** Log-mel spectrogram of `waveform` as it is (no padding): row-major [frames × 64]. */
export function logMelSpectrogram(waveform: Float32Array): { frames: number; bands: number; logMel: Float32Array } {
  const frames = frameCount(waveform.length);
  const logMel = new Float32Array(frames * melBands);
  const compute = createLogMelFrameComputer();
  for (let i = 0; i < frames; i++) compute(waveform, i * hopSamples, logMel.subarray(i * melBands, (i + 1) * melBands));
  return { frames, bands: melBands, logMel };
}

/** Cuts a [frames × 64] spectrogram into complete patches of 96 frames, hop 48 (DESIGN.md §1.5). */
export function patchesOfSpectrogram(logMel: Float32Array, frames: number): Patch[] {
  const patchValues = patchFrames * melBands;
  return Array.from({ length: patchCount(frames) }, (_unused, index) => {
    const startFrame = index * patchHopFrames;
    return {
      index,
      startSec: frameTimeSec(startFrame),
      startFrame,
      frames: patchFrames,
      bands: melBands,
      logMel: logMel.slice(startFrame * melBands, startFrame * melBands + patchValues),
    };
  });
}

/** The patches YAMNet sees for a whole clip: pad (DESIGN.md §1.1), log-mel, cut into patches. */
export function logMelPatches(waveform: Float32Array): Patch[] {
  const { frames, logMel } = logMelSpectrogram(padWaveform(waveform));
  return patchesOfSpectrogram(logMel, frames);
}
