// The JSON report of `blurig evaluate`: the run, its settings, and each method's figures (keys listed in the README).
import type { MethodReport } from '../evaluate/summary.js';
import type { DetectorOptions, EngineName } from '../types.js';

/** The `blurig evaluate --json` document. */
export interface EvaluationReport {
  /** The file evaluated, as given. */
  readonly input: string;
  readonly engine: EngineName;
  readonly backend: string;
  readonly model: string;
  readonly settings: {
    /** `detected`, or the class names evaluated in every patch. */
    readonly classes: 'detected' | readonly string[];
    readonly curveIntervals: number;
    readonly curveSpacing: 'uniform' | 'ends';
    readonly randomizationLevels: readonly number[];
    readonly sanityPatches: number;
    /** The score from which a class counts as present (pairs below get no curves). */
    readonly minScore: number;
    readonly seed: number;
    readonly detector: Required<DetectorOptions>;
    /** The spans file, or null; `spans` the spans it held for this input. */
    readonly spansFile: string | null;
    readonly spans: readonly { readonly class: string; readonly startSec: number; readonly endSec: number }[];
  };
  /** Patches evaluated (fewer than the file has when it was stopped early: then `complete` is false). */
  readonly patches: number;
  readonly complete: boolean;
  /** Classes evaluated and in how many patches. */
  readonly classes: readonly { readonly classIndex: number; readonly name: string; readonly patches: number }[];
  readonly methods: readonly MethodReport[];
  /** Methods asked for that this model or engine cannot run, and why. */
  readonly unsupported: readonly { readonly name: string; readonly reason: string }[];
}
