// The library's own tfjs gradients (src/tfjsKernels.ts), on tfjs-core alone: each equals central finite differences.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { OWN_GRADIENT_KERNELS } from '../../src/tfjsKernels.js';
import { seededRandom } from '../helpers/signals.js';

const random = seededRandom(5);
const tensor = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1), shape, 'float32');

/** max |autodiff − central difference| / max |central difference| of the scalar Σ f(x) ⊙ w over every entry of x. */
function gradientError(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): number {
  return tf.tidy(() => {
    const w = tensor(f(x).shape);
    const scalar = (input: tf.Tensor) => tf.sum(tf.mul(f(input), w));
    const analytic = tf.grad(scalar)(x).dataSync();
    const values = x.dataSync().slice();
    const step = 1e-2; // float32: a larger step, exact for the (piecewise) polynomial functions below
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < values.length; i++) {
      const at = (delta: number) => {
        const moved = values.slice();
        moved[i] += delta;
        return scalar(tf.tensor(moved, x.shape)).dataSync()[0];
      };
      const numeric = (at(step) - at(-step)) / (2 * step);
      worst = Math.max(worst, Math.abs(numeric - analytic[i]));
      scale = Math.max(scale, Math.abs(numeric));
    }
    return worst / scale;
  });
}

describe('tfjs gradients of the lean install', () => {
  it('covers the kernels YAMNet targets are made of', () => {
    expect([...OWN_GRADIENT_KERNELS].sort()).toEqual(['Add', 'BatchMatMul', 'Cast', 'Mean', 'Multiply', 'OneHot', 'Reshape', 'Sigmoid', 'Slice', 'Sub', 'Sum']);
    for (const name of OWN_GRADIENT_KERNELS) expect(tf.getGradient(name)).toBeDefined();
  });

  const b23 = tensor([2, 3]);
  const b3 = tensor([3]);
  const m34 = tensor([3, 4]);
  const m43 = tensor([4, 3]);
  it.each([
    ['reshape', (x: tf.Tensor) => tf.reshape(x, [3, 2])],
    ['cast', (x: tf.Tensor) => tf.cast(x, 'float32')],
    ['sigmoid', (x: tf.Tensor) => tf.sigmoid(tf.mul(x, 3))],
    ['sum over an axis, kept', (x: tf.Tensor) => tf.sum(tf.mul(x, x), 1, true)],
    ['sum over all', (x: tf.Tensor) => tf.sum(tf.mul(x, x))],
    ['mean over axis 0', (x: tf.Tensor) => tf.mean(tf.mul(x, x), 0)],
    ['multiply, broadcast', (x: tf.Tensor) => tf.mul(x, b3)],
    ['multiply by itself', (x: tf.Tensor) => tf.mul(x, x)],
    ['add, broadcast both ways', (x: tf.Tensor) => tf.add(tf.mul(x, x), b3)],
    ['sub, as the subtrahend', (x: tf.Tensor) => tf.sub(b23, tf.mul(x, x))],
    ['slice', (x: tf.Tensor) => tf.mul(tf.slice(x, [1, 1], [1, 2]), 2)],
    ['matMul', (x: tf.Tensor) => tf.matMul(x, m34)],
    ['matMul, transposed B', (x: tf.Tensor) => tf.matMul(x, m43, false, true)],
    ['matMul, transposed A', (x: tf.Tensor) => tf.matMul(tf.reshape(x, [3, 2]), b23, true, true)],
    ['oneHot selection', (x: tf.Tensor) => tf.mul(x, tf.cast(tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3), 'float32'))],
  ])('%s: within 1e-3 of central differences', (_name, f) => {
    expect(gradientError(f, tensor([2, 3]))).toBeLessThan(1e-3);
  });

  it('a batched matMul with the second operand broadcast over the batch', () => {
    const [shared, batch] = [tensor([3, 2]), tensor([2, 4, 3])];
    expect(gradientError((x) => tf.matMul(x, shared), tensor([2, 4, 3]))).toBeLessThan(1e-3);
    expect(gradientError((x) => tf.matMul(batch, x), tensor([3, 2]))).toBeLessThan(1e-3);
  });
});
