// Synthetic frame records for the render tests: a 3 s clip, two classes, the second explained only after 1 s.
import type { ExplainedClass, FrameAttribution, FrameClassAttribution } from '../../src/types.js';

export const CLASSES: readonly ExplainedClass[] = [
  { index: 0, name: 'Speech' },
  { index: 69, name: 'Dog' },
];

/** Patches covering frame t (patch k covers frames 48k … 48k + 95) within `patchCount` patches. */
function covering(t: number, patchCount: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < patchCount; k++) if (t >= 48 * k && t < 48 * k + 96) out.push(k);
  return out;
}

/** `seconds` of frames (100 per second) with a rising tone, a Gaussian blob of attribution per class, and scores. */
export function syntheticFrames(seconds = 3, startIndex = 0): FrameAttribution[] {
  const count = Math.round(seconds * 100);
  const patchCount = Math.max(1, Math.floor((count - 96) / 48) + 1);
  const frames: FrameAttribution[] = [];
  for (let i = 0; i < count; i++) {
    const t = startIndex + i;
    const toneBand = 8 + ((i * 50) / count) | 0;
    const logMel = Float32Array.from({ length: 64 }, (_, j) => -6 + 4 * Math.exp(-((j - toneBand) ** 2) / 8) + 0.5 * Math.sin(i / 7 + j));
    const patches = covering(i, patchCount);
    const classes: FrameClassAttribution[] = [];
    const speech = Float32Array.from({ length: 64 }, (_, j) => 0.02 * Math.exp(-((i - 100) ** 2) / 800 - ((j - 20) ** 2) / 40) - 0.008 * Math.exp(-((i - 220) ** 2) / 400 - ((j - 45) ** 2) / 30));
    classes.push({ classIndex: 0, attribution: speech, patches, scores: patches.map((k) => 0.2 + 0.15 * k), relErrors: patches.map((k) => 0.01 * (k + 1)) });
    if (i >= 100) {
      const dog = Float32Array.from({ length: 64 }, (_, j) => 0.05 * Math.sin(i / 30) * Math.exp(-((j - 10) ** 2) / 20));
      classes.push({ classIndex: 69, attribution: dog, patches, scores: patches.map((k) => 0.9 - 0.1 * k), relErrors: patches.map(() => 0.03) });
    }
    frames.push({ index: t, timeSec: t * 0.01, logMel, classes });
  }
  return frames;
}
