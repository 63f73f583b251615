// Builds the AttributionResult every method returns, with its completeness figures.
import type { Attribution, AttributionMethod, AttributionResult, Completeness, ScaleStep } from '../types.js';
import type { PatchValues } from './explainedFunction.js';

/** Completeness of one output: how far Σ attribution is from F(input) − F(baseline). */
export function completeness(attributionSum: number, fInput: number, fBaseline: number): Completeness {
  const change = fInput - fBaseline;
  const absError = Math.abs(attributionSum - change);
  return { fInput, fBaseline, attributionSum, absError, relError: change === 0 ? absError : absError / Math.abs(change) };
}

/** What a method computed, per output k, before it is packaged. */
export interface MethodOutcome {
  readonly method: AttributionMethod;
  readonly patch: PatchValues;
  /** Per output, row-major [T × F] attribution (float64 accumulations). */
  readonly attributions: readonly ArrayLike<number>[];
  /** Per output, F at the input. */
  readonly fInput: ArrayLike<number>;
  /** Per output, F at the baseline (NaN where the method has none). */
  readonly fBaseline: ArrayLike<number>;
  /** Per output, the scale curve (Blur IG), else omitted. */
  readonly scale?: readonly (readonly ScaleStep[])[];
  readonly steps: number;
  readonly evaluations: number;
  readonly modelCalls: number;
}

/** Packages a method's outcome: one {@link Attribution} per output, output 0's also at the top level. */
export function attributionResult(outcome: MethodOutcome): AttributionResult {
  const outputs: Attribution[] = outcome.attributions.map((values, output) => {
    const attribution = Float32Array.from(values);
    let sum = 0;
    for (let j = 0; j < values.length; j++) sum += values[j];
    return {
      output,
      attribution,
      completeness: completeness(sum, outcome.fInput[output], outcome.fBaseline[output]),
      scale: outcome.scale?.[output] ?? [],
    };
  });
  return {
    ...outputs[0],
    method: outcome.method,
    frames: outcome.patch.frames,
    bands: outcome.patch.bands,
    steps: outcome.steps,
    evaluations: outcome.evaluations,
    modelCalls: outcome.modelCalls,
    outputs,
  };
}

/**
 * Whether an output still needs refining: its absolute completeness error is above `absTolerance` and its error
 * relative to the path's change `change` is above `tolerance`. The absolute floor matters for scores: where the
 * score moves by a few thousandths along the whole path, 1 % of that is precision no one needs.
 */
export function unmet(absError: number, change: number, tolerance: number, absTolerance: number): boolean {
  return absError > absTolerance && absError / change > tolerance;
}
