// The JSON report of `blurig explain`: the run's settings, detections, and patches and frames flattened per explained class, with fixed keys.
import type { Detection, DetectorOptions, EngineName, ExplainedClass, FrameAttribution, PatchAttribution } from '../types.js';

/** What every report and stream says about its run first. */
export interface ExplainHeader {
  /** What ran the network: `onnx` or `tfjs`. */
  readonly engine: EngineName;
  /** The tfjs backend (the model's when `engine` is `tfjs`; blur paths only otherwise). */
  readonly backend: string;
  readonly model: string;
  readonly method: string;
  /** What was explained: each class's sigmoid `score` or its `logit`. */
  readonly output: 'score' | 'logit';
  /** How each patch's classes were chosen: `detected`, `top-k` or `named`. */
  readonly classChoice: 'detected' | 'top-k' | 'named';
  /** The detector's settings, defaults filled in. */
  readonly detector: Required<DetectorOptions>;
}

/** The `blurig explain --json` document. */
export interface ExplainReport extends ExplainHeader {
  readonly classes: readonly ExplainedClass[];
  readonly detections: readonly Detection[];
  readonly patches: readonly {
    index: number;
    startSec: number;
    classIndex: number;
    score: number;
    logit: number;
    value: number;
    baselineValue: number;
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
  header: ExplainHeader,
  patches: readonly PatchAttribution[],
  frames: readonly FrameAttribution[],
  detections: readonly Detection[],
  classNames: readonly string[],
): ExplainReport {
  return {
    engine: header.engine,
    backend: header.backend,
    model: header.model,
    method: header.method,
    output: header.output,
    classChoice: header.classChoice,
    detector: header.detector,
    classes: explainedClasses(patches, classNames),
    detections: detections.map(({ classIndex, name, startSec, endSec, peakScore, peakSec, evidence }) => ({ classIndex, name, startSec, endSec, peakScore, peakSec, evidence })),
    patches: patches.flatMap((patch) =>
      patch.classes.map((c) => ({
        index: patch.index,
        startSec: patch.startSec,
        classIndex: c.classIndex,
        score: c.score,
        logit: c.logit,
        value: c.value,
        baselineValue: c.baselineValue,
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
