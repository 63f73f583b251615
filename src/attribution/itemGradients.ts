// F and ∇F at a batch of (input, output) items as row-major arrays: what the guided and IDGI paths read per call.
import * as tf from '@tensorflow/tfjs-core';
import type { Explainable } from '../types.js';
import { type PatchValues, selectedValueAndGradient } from './explainedFunction.js';
import { yieldToEventLoop } from './yieldToEventLoop.js';

/**
 * For item b: F_{k_b}(x_b) in `values` [items] and ∇F_{k_b}(x_b) in `gradients` [items × T × F], with k_b =
 * `outputOf[b]`. `inputs` is [items, T, F]: row-major values, or a tensor the caller keeps owning. One call of `f`.
 */
export async function itemGradients(
  f: Explainable,
  inputs: Float32Array | tf.Tensor3D,
  outputOf: Int32Array,
  width: number,
  patch: PatchValues,
): Promise<{ values: Float32Array; gradients: Float32Array }> {
  const batch = inputs instanceof tf.Tensor ? inputs : tf.tensor3d(inputs, [outputOf.length, patch.frames, patch.bands]); // [items, T, F]
  try {
    const { value, grad } = await selectedValueAndGradient(f, batch, outputOf, width); // [items], [items, T, F]
    try {
      const [values, gradients] = (await Promise.all([value.data(), grad.data()])) as Float32Array[];
      await yieldToEventLoop();
      return { values, gradients };
    } finally {
      tf.dispose([value, grad]);
    }
  } finally {
    if (batch !== inputs) batch.dispose();
  }
}
