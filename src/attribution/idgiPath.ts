// IDGI over the ordered points of any path, batched through the model: what `idgi` and Blur IG's `idgi` option run on.
import * as tf from '@tensorflow/tfjs-core';
import type { Explainable } from '../types.js';
import type { PatchValues } from './explainedFunction.js';
import { addIdgiStep } from './idgiCore.js';
import { itemGradients } from './itemGradients.js';

/** The IDGI sums of every output along one path. */
export interface IdgiPathResult {
  /** Per output k, row-major [T × F], accumulated in float64. */
  readonly sums: Float64Array[];
  /** Per output k, [count − 1]: each step's share of Σ attribution (its ΔF, or 0 where its gradient is zero). */
  readonly shares: Float64Array[];
  /** Calls of `f`, each on at most `batchSize` (point, output) pairs. */
  readonly calls: number;
}

/**
 * IDGI along `count` ordered points p_0 … p_{count−1} of a path, made by `makePoints(start, end)` ([n, T, F], called
 * inside tf.tidy): Σ_{j < count−1} g_j² / Σ g_j² · (F(p_{j+1}) − F(p_j)) for every output, with g_j = ∇F(p_j).
 * F at the two ends is given (`fFirst`, `fLast`, per output: the caller's forward call), so the sum telescopes to
 * fLast − fFirst (to rounding); the gradients and F at p_0 … p_{count−2} come from ceil((count − 1) · width / batchSize)
 * calls, each (point, output) pair one input. The last point needs no gradient. Memory holds one gradient per
 * output between batches, whatever `count`.
 */
export async function idgiOnPath(
  f: Explainable,
  patch: PatchValues,
  count: number,
  width: number,
  batchSize: number,
  makePoints: (start: number, end: number) => tf.Tensor3D,
  fFirst: ArrayLike<number>,
  fLast: ArrayLike<number>,
): Promise<IdgiPathResult> {
  const size = patch.frames * patch.bands;
  const sums = Array.from({ length: width }, () => new Float64Array(size));
  const shares = Array.from({ length: width }, () => new Float64Array(count - 1));
  // Per output: the gradient at the last point read and F there, waiting for F at the next point.
  const pending: ({ gradient: Float32Array; value: number } | undefined)[] = new Array(width);
  const items = (count - 1) * width; // item i: point ⌊i / width⌋, output i mod width
  let calls = 0;
  for (let first = 0; first < items; first += batchSize) {
    const last = Math.min(items, first + batchSize);
    const firstPoint = Math.floor(first / width);
    const lastPoint = Math.floor((last - 1) / width);
    const pointOf = Int32Array.from({ length: last - first }, (_, j) => Math.floor((first + j) / width) - firstPoint);
    const outputOf = Int32Array.from({ length: last - first }, (_, j) => (first + j) % width);
    const inputs = tf.tidy(() => tf.gather(makePoints(firstPoint, lastPoint + 1), pointOf) as tf.Tensor3D); // [items, T, F]
    let read: { values: Float32Array; gradients: Float32Array };
    try {
      read = await itemGradients(f, inputs, outputOf, width, patch);
    } finally {
      inputs.dispose();
    }
    calls++;
    for (let i = first; i < last; i++) {
      const [point, k, row] = [Math.floor(i / width), i % width, i - first];
      const value = point === 0 ? fFirst[k] : read.values[row];
      const before = pending[k];
      if (before !== undefined) shares[k][point - 1] = addIdgiStep(sums[k], before.gradient, value - before.value);
      pending[k] = { gradient: read.gradients.subarray(row * size, (row + 1) * size), value };
    }
  }
  for (let k = 0; k < width; k++) {
    const before = pending[k];
    if (before !== undefined) shares[k][count - 2] = addIdgiStep(sums[k], before.gradient, fLast[k] - before.value);
  }
  return { sums, shares, calls };
}
