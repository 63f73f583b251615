// The shared core of every gradient method: Σ_n w_n ∇F_k(p_n) ⊙ d_n over path points, batched through the model.
import type { Explainable } from '../types.js';
import { yieldToEventLoop } from './yieldToEventLoop.js';
import * as tf from '@tensorflow/tfjs-core';
import { type PatchValues, selectedValueAndGradient } from './explainedFunction.js';

/** Points p_n on a path and the directions d_n their gradients are multiplied by, for n in [start, end). */
export interface PathChunk {
  /** [n, T, F] inputs at which ∇F is evaluated. */
  readonly points: tf.Tensor3D;
  /** [n, T, F] directions (γ′(s_n) oriented from baseline to input, or the input itself for gradient × input). */
  readonly directions: tf.Tensor3D;
}

/** A quadrature over a path: N weighted points, made on demand in chunks so memory stays bounded. */
export interface PathQuadrature {
  /** Number of points N. */
  readonly count: number;
  /** Quadrature weight of each point, [N]. */
  readonly weights: ArrayLike<number>;
  /** Makes points and directions n ∈ [start, end); called inside tf.tidy, so it may allocate freely. */
  make(start: number, end: number): PathChunk;
  /** Optional group of each point (e.g. its quadrature panel): sums are then also kept per group. */
  readonly groups?: { readonly count: number; readonly of: Int32Array };
}

/** The integral for every explained output. */
export interface PathIntegralResult {
  /** Per output k, row-major [T × F]: Σ_n w_n ∇F_k(p_n) ⊙ d_n, accumulated in float64. */
  readonly sums: Float64Array[];
  /** Per group g and output k (index g · width + k), the same sum over the group's points; with no groups, `sums`. */
  readonly groupSums: Float64Array[];
  /** Per output k, [N]: each point's share w_n Σ ∇F_k(p_n) ⊙ d_n. */
  readonly contributions: Float64Array[];
  /** Calls of `f`, each on at most `batchSize` inputs. */
  readonly calls: number;
}

/**
 * Evaluates the quadrature for all `width` outputs of `f`. Each (point, output) pair is one input of a batch, so
 * several outputs share the same path points; batches hold at most `batchSize` pairs, giving
 * ceil(N · width / batchSize) calls of `f` and the same sums (to float precision) whatever the batch size.
 */
export async function integrateAlongPath(
  f: Explainable,
  patch: PatchValues,
  quadrature: PathQuadrature,
  width: number,
  batchSize: number,
): Promise<PathIntegralResult> {
  const size = patch.frames * patch.bands;
  const groupCount = quadrature.groups?.count ?? 1;
  const groupSums = Array.from({ length: groupCount * width }, () => new Float64Array(size));
  const contributions = Array.from({ length: width }, () => new Float64Array(quadrature.count));
  const items = quadrature.count * width;
  let calls = 0;
  for (let first = 0; first < items; first += batchSize) {
    const last = Math.min(items, first + batchSize); // items [first, last): point ⌊i / width⌋, output i mod width
    const firstPoint = Math.floor(first / width);
    const [weighted, shares] = await chunkProducts(f, quadrature, width, first, last, firstPoint);
    calls++;
    await yieldToEventLoop();
    try {
      const [weightedValues, shareValues] = (await Promise.all([weighted.data(), shares.data()])) as Float32Array[];
      for (let i = first; i < last; i++) {
        const k = i % width;
        const point = Math.floor(i / width);
        const row = weightedValues.subarray((i - first) * size, (i - first + 1) * size);
        const sum = groupSums[(quadrature.groups?.of[point] ?? 0) * width + k];
        for (let j = 0; j < size; j++) sum[j] += row[j];
        contributions[k][point] = shareValues[i - first];
      }
    } finally {
      tf.dispose([weighted, shares]);
    }
  }
  const sums = groupCount === 1 ? groupSums : Array.from({ length: width }, (_, k) => sumOverGroups(groupSums, groupCount, width, k, size));
  return { sums, groupSums, contributions, calls };
}

/** w_n ∇F_k(p_n) ⊙ d_n for items [first, last) ([items, T, F]) and their sums over the patch ([items]). */
async function chunkProducts(
  f: Explainable,
  quadrature: PathQuadrature,
  width: number,
  first: number,
  last: number,
  firstPoint: number,
): Promise<[tf.Tensor3D, tf.Tensor1D]> {
  const lastPoint = Math.floor((last - 1) / width);
  const pointOf = Int32Array.from({ length: last - first }, (_, j) => Math.floor((first + j) / width) - firstPoint);
  const outputOf = Int32Array.from({ length: last - first }, (_, j) => (first + j) % width);
  const [inputs, directions] = tf.tidy(() => {
    const chunk = quadrature.make(firstPoint, lastPoint + 1); // [m, T, F] each
    return [tf.gather(chunk.points, pointOf) as tf.Tensor3D, tf.gather(chunk.directions, pointOf) as tf.Tensor3D]; // [items, T, F] each
  });
  try {
    const { value, grad } = await selectedValueAndGradient(f, inputs, outputOf, width); // [items], [items, T, F]
    try {
      return tf.tidy(() => {
        const weights = tf.tensor1d(Array.from(pointOf, (n) => quadrature.weights[firstPoint + n]), 'float32'); // [items]
        const weighted = tf.mul(tf.mul(grad, directions), tf.reshape(weights, [-1, 1, 1])) as tf.Tensor3D; // [items, T, F]
        return [weighted, tf.sum(weighted, [1, 2]) as tf.Tensor1D] as [tf.Tensor3D, tf.Tensor1D];
      });
    } finally {
      tf.dispose([value, grad]);
    }
  } finally {
    tf.dispose([inputs, directions]);
  }
}

function sumOverGroups(groupSums: Float64Array[], groups: number, width: number, k: number, size: number): Float64Array {
  const total = new Float64Array(size);
  for (let g = 0; g < groups; g++) {
    const part = groupSums[g * width + k];
    for (let j = 0; j < size; j++) total[j] += part[j];
  }
  return total;
}
