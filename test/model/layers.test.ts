// Hand-written input gradients of conv, depthwise and dense layers against tfjs autodiff of the same plain forward graph.
// The reference functions here need tfjs gradients beyond the library's own (sin, relu, conv backprop): the umbrella package, a dev dependency.
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend.js';
import { backwardPads } from '../../src/model/inputGradient.js';
import { convLayer, denseLayer, depthwiseLayer, plainConvLayer, type ConvGeometry, type Layer, type LayerActivation } from '../../src/model/layers.js';

/** max |a − b| relative to max |b|: a scale-aware relative error that does not blow up at zero crossings. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** Gradient of Σ w ⊙ layer(x) with a fixed random w, so every output position carries a distinct weight. */
function inputGradient<T extends tf.Tensor>(layer: Layer<T>, x: T): Float32Array {
  return tf.tidy(() => {
    const weights = tf.randomNormal(layer.apply(x).shape, 0, 1, 'float32', 7);
    return tf.grad((input) => tf.sum(tf.mul(layer.apply(input as T), weights)))(x).dataSync() as Float32Array;
  });
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('backwardPads', () => {
  it('follows TF SAME padding: the extra zero goes after, so stride 2 over an even size pads only at the end', () => {
    expect(backwardPads(96, 3, 2, 'same')).toEqual([2, 1]); // forward pads [0, 1]
    expect(backwardPads(95, 3, 2, 'same')).toEqual([1, 1]); // forward pads [1, 1]
    expect(backwardPads(48, 3, 1, 'same')).toEqual([1, 1]);
    expect(backwardPads(48, 1, 1, 'same')).toEqual([0, 0]);
    expect(backwardPads(9, 3, 2, 'valid')).toEqual([2, 2]);
    expect(backwardPads(10, 3, 2, 'valid')).toEqual([2, 3]);
  });
});

describe('custom input gradients equal tfjs autodiff (cpu, 1e-5 relative)', () => {
  const activations: LayerActivation[] = ['relu6', 'relu', 'linear'];
  // [H, W, kernel, strides, padding]: even and odd sizes, strides 1–3, SAME and VALID, square and non-square kernels.
  const geometries: [number, number, [number, number], [number, number], 'same' | 'valid'][] = [
    [12, 8, [3, 3], [1, 1], 'same'],
    [12, 8, [3, 3], [2, 2], 'same'],
    [11, 7, [3, 3], [2, 2], 'same'],
    [11, 8, [3, 3], [2, 2], 'valid'],
    [10, 9, [3, 3], [3, 3], 'same'],
    [12, 8, [1, 1], [1, 1], 'same'],
    [12, 9, [3, 2], [2, 2], 'same'],
    [11, 8, [3, 3], [2, 1], 'same'],
  ];

  for (const [h, w, [kh, kw], strides, padding] of geometries) {
    for (const activation of activations) {
      const geometry: ConvGeometry = { strides, padding, activation };
      const label = `${h}×${w}, kernel ${kh}×${kw}, stride ${strides.join('×')}, ${padding}, ${activation}`;

      it(`conv ${label}`, () => {
        const [cin, cout] = [3, 5];
        const filter = tf.randomNormal([kh, kw, cin, cout], 0, 0.5, 'float32', 1) as tf.Tensor4D;
        const bias = tf.randomNormal([cout], 0, 1, 'float32', 2) as tf.Tensor1D;
        const x = tf.randomNormal([2, h, w, cin], 0, 2, 'float32', 3) as tf.Tensor4D;
        const custom = convLayer(filter, bias, geometry);
        expect(relativeError(inputGradient(custom, x), inputGradient(plainConvLayer(filter, bias, geometry, false), x))).toBeLessThan(1e-5);
        custom.dispose();
        tf.dispose([filter, bias, x]);
      });

      it(`depthwise ${label}`, () => {
        const channels = 4;
        const filter = tf.randomNormal([kh, kw, channels, 1], 0, 0.5, 'float32', 4) as tf.Tensor4D;
        const bias = tf.randomNormal([channels], 0, 1, 'float32', 5) as tf.Tensor1D;
        const x = tf.randomNormal([2, h, w, channels], 0, 2, 'float32', 6) as tf.Tensor4D;
        const custom = depthwiseLayer(filter, bias, geometry);
        expect(relativeError(inputGradient(custom, x), inputGradient(plainConvLayer(filter, bias, geometry, true), x))).toBeLessThan(1e-5);
        custom.dispose();
        tf.dispose([filter, bias, x]);
      });
    }
  }

  for (const activation of activations) {
    it(`dense, ${activation}`, () => {
      const kernel = tf.randomNormal([16, 7], 0, 0.5, 'float32', 8) as tf.Tensor2D;
      const bias = tf.randomNormal([7], 0, 1, 'float32', 9) as tf.Tensor1D;
      const x = tf.randomNormal([3, 16], 0, 2, 'float32', 10) as tf.Tensor2D;
      const custom = denseLayer(kernel, bias, activation);
      const plain: Layer<tf.Tensor2D> = {
        apply: (input) => {
          const z = tf.add(tf.matMul(input, kernel), bias) as tf.Tensor2D;
          return activation === 'relu' ? tf.relu(z) : activation === 'relu6' ? tf.relu6(z) : z;
        },
        dispose: () => {},
      };
      expect(relativeError(inputGradient(custom, x), inputGradient(plain, x))).toBeLessThan(1e-5);
      custom.dispose();
      tf.dispose([kernel, bias, x]);
    });
  }

  it('leaves no tensors behind', () => {
    const filter = tf.randomNormal([3, 3, 2, 4]) as tf.Tensor4D;
    const bias = tf.zeros([4]) as tf.Tensor1D;
    const x = tf.randomNormal([1, 9, 9, 2]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const layer = convLayer(filter, bias, { strides: [2, 2], padding: 'same', activation: 'relu6' });
    for (let i = 0; i < 5; i++) tf.tidy(() => void tf.grad((input) => tf.sum(layer.apply(input as tf.Tensor4D)))(x));
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([filter, bias, x]);
  });
});
