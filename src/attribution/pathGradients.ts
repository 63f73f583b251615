// Gradients and values of every output of f at path points, batched: what the path-increment rule stores per node.
import type { ExplainedFunction } from '../types.js';
import { yieldToEventLoop } from './yieldToEventLoop.js';
import * as tf from '@tensorflow/tfjs';
import { selectedOutputs } from './explainedFunction.js';

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
  f: ExplainedFunction,
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
    const [points, values, gradients] = tf.tidy(() => {
      const base = makePoints(start, end); // [m, T, F]
      const outputOf = Int32Array.from({ length: m * width }, (_, i) => i % width);
      const inputs = width === 1 ? base : (tf.gather(base, Int32Array.from({ length: m * width }, (_, i) => Math.floor(i / width))) as tf.Tensor3D); // [m·K, T, F]
      const perItem = (x: tf.Tensor): tf.Tensor1D => selectedOutputs(f, x as tf.Tensor3D, outputOf, width); // [m·K]
      // With dy = 1 per item, valueAndGrad returns every item's value and the gradient of their sum.
      const { value, grad } = tf.valueAndGrad(perItem)(inputs, tf.ones([m * width]));
      return [base, value, grad] as const;
    });
    calls++;
    await yieldToEventLoop();
    try {
      const [pointValues, valueValues, gradientValues] = (await Promise.all([points.data(), values.data(), gradients.data()])) as Float32Array[];
      const size = pointValues.length / m;
      for (let n = 0; n < m; n++) {
        nodes.push({
          point: pointValues.slice(n * size, (n + 1) * size),
          values: Float64Array.from({ length: width }, (_, k) => valueValues[n * width + k]),
          gradients: Array.from({ length: width }, (_, k) => gradientValues.slice((n * width + k) * size, (n * width + k + 1) * size)),
        });
      }
    } finally {
      tf.dispose([points, values, gradients]);
    }
  }
  return { nodes, calls };
}
