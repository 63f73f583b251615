// What Blur IG needs at the ends of its path and along it for the report: F at input and baseline, the scale curve.
import type { Explainable, ScaleStep } from '../types.js';
import type { BlurPath } from './blurPath.js';
import { evaluate, type PatchValues } from './explainedFunction.js';

/** F(x) and F(L(1)) for every output, in one call of `f`. */
export async function endValues(f: Explainable, patch: PatchValues, path: BlurPath): Promise<{ width: number; fInput: number[]; fBaseline: number[] }> {
  const both = new Float32Array(2 * patch.values.length);
  both.set(patch.values);
  both.set(path.baseline(), patch.values.length);
  const { values, width } = await evaluate(f, both, 2, patch);
  return { width, fInput: Array.from(values.subarray(0, width)), fBaseline: Array.from(values.subarray(width, 2 * width)) };
}

/** The scale curve: σ at each node and its contribution, in path order. */
export function scaleCurve(path: BlurPath, nodes: ArrayLike<number>, shares: ArrayLike<number>): ScaleStep[] {
  const order = Array.from({ length: nodes.length }, (_, i) => i).sort((a, b) => nodes[a] - nodes[b]);
  return order.map((i) => ({ s: nodes[i], ...path.sigmas(nodes[i]), contribution: shares[i] }));
}

