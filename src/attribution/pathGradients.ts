// Gradients and values of every output of f at path points, batched: what the path-increment rule stores per node.
import type { Explainable } from '../types.js';
import { yieldToEventLoop } from './yieldToEventLoop.js';
import * as tf from '@tensorflow/tfjs-core';
import { selectedValueAndGradient } from './explainedFunction.js';

/** What one node of a path contributes: where it is, F there, and ∇F there, per output. */
export interface NodeEvaluation {
  /** The point L(s), row-major [T × F]. */
  readonly point: Float32Array;
  /** F_k(L(s)) per output. */
  readonly values: Float64Array;
  /** ∇F_k(L(s)) per output, row-major [T × F] each. */
  readonly gradients: Float32Array[];
}

/**
 * Evaluates F and ∇F for every output at `count` points made by `makePoints(start, end)` ([n, T, F], called inside
 * tf.tidy). Batches hold at most `batchSize` (point, output) pairs; returns the evaluations and the calls of f.
 */
export async function pathGradients(
  f: Explainable,
  count: number,
  width: number,
  batchSize: number,
  makePoints: (start: number, end: number) => tf.Tensor3D,
): Promise<{ nodes: NodeEvaluation[]; calls: number }> {
  const pointsPerCall = Math.max(1, Math.floor(batchSize / width));
  const nodes: NodeEvaluation[] = [];
  let calls = 0;
  for (let start = 0; start < count; start += pointsPerCall) {
    const end = Math.min(count, start + pointsPerCall);
    const m = end - start;
    const outputOf = Int32Array.from({ length: m * width }, (_, i) => i % width);
    const [points, inputs] = tf.tidy(() => {
      const base = makePoints(start, end); // [m, T, F]
      const repeated = width === 1 ? base : (tf.gather(base, Int32Array.from({ length: m * width }, (_, i) => Math.floor(i / width))) as tf.Tensor3D); // [m·K, T, F]
      return [base, repeated] as const;
    });
    try {
      const { value, grad } = await selectedValueAndGradient(f, inputs, outputOf, width); // [m·K], [m·K, T, F]
      calls++;
      await yieldToEventLoop();
      try {
        const [pointValues, valueValues, gradientValues] = (await Promise.all([points.data(), value.data(), grad.data()])) as Float32Array[];
        const size = pointValues.length / m;
        for (let n = 0; n < m; n++) {
          nodes.push({
            point: pointValues.slice(n * size, (n + 1) * size),
            values: Float64Array.from({ length: width }, (_, k) => valueValues[n * width + k]),
            gradients: Array.from({ length: width }, (_, k) => gradientValues.slice((n * width + k) * size, (n * width + k + 1) * size)),
          });
        }
      } finally {
        tf.dispose([value, grad]);
      }
    } finally {
      tf.dispose(inputs === points ? [points] : [points, inputs]);
    }
  }
  return { nodes, calls };
}
