// The JSON report of `blurig explain`: patches and frames flattened per explained class, with fixed keys.
import type { EngineName, ExplainedClass, FrameAttribution, PatchAttribution } from '../types.js';

/** The `blurig explain --json` document. */
export interface ExplainReport {
  /** What ran the network: `onnx` or `tfjs`. */
  readonly engine: EngineName;
  /** The tfjs backend (the model's when `engine` is `tfjs`; blur paths only otherwise). */
  readonly backend: string;
  readonly model: string;
  readonly method: string;
  readonly classes: readonly ExplainedClass[];
  readonly patches: readonly {
    index: number;
    startSec: number;
    classIndex: number;
    logit: number;
    baselineLogit: number;
    attributionSum: number;
    relError: number;
    scale: readonly { sigmaTime: number; sigmaFrequency: number; contribution: number }[];
  }[];
  readonly frames: readonly { index: number; timeSec: number; classIndex: number; attribution: number[] }[];
}

/** Every class explained in any patch, in first-seen order, with its name. */
export function explainedClasses(patches: readonly PatchAttribution[], classNames: readonly string[]): ExplainedClass[] {
  const seen = new Map<number, ExplainedClass>();
  for (const patch of patches) for (const c of patch.classes) if (!seen.has(c.classIndex)) seen.set(c.classIndex, { index: c.classIndex, name: classNames[c.classIndex] });
  return [...seen.values()];
}

/** Builds the report from the records; one patch entry per (patch, class), one frame entry per (frame, class). */
export function explainReport(
  header: { engine: EngineName; backend: string; model: string; method: string },
  patches: readonly PatchAttribution[],
  frames: readonly FrameAttribution[],
  classNames: readonly string[],
): ExplainReport {
  return {
    ...header,
    classes: explainedClasses(patches, classNames),
    patches: patches.flatMap((patch) =>
      patch.classes.map((c) => ({
        index: patch.index,
        startSec: patch.startSec,
        classIndex: c.classIndex,
        logit: c.logit,
        baselineLogit: c.baselineLogit,
        attributionSum: c.attributionSum,
        relError: c.relError,
        scale: c.scale.map((step) => ({ sigmaTime: step.sigmaTime, sigmaFrequency: step.sigmaFrequency, contribution: step.contribution })),
      })),
    ),
    frames: frames.flatMap((frame) =>
      frame.classes.map((c) => ({ index: frame.index, timeSec: frame.timeSec, classIndex: c.classIndex, attribution: Array.from(c.attribution) })),
    ),
  };
}
