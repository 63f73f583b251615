// Layers (conv, depthwise conv, dense; bias and activation fused) whose input gradient uses forward kernels only.
import '../tfjsKernels.js';
import * as tf from '@tensorflow/tfjs-core';
import { dilateForCorrelation, SubPixelGradient } from './inputGradient.js';

/** Fused activations a layer may carry. */
export type LayerActivation = 'linear' | 'relu' | 'relu6';

export interface ConvGeometry {
  readonly strides: readonly [number, number];
  readonly padding: 'same' | 'valid';
  readonly activation: LayerActivation;
}

/** A layer applied to a batch, owning the tensors it created. */
export interface Layer<T extends tf.Tensor = tf.Tensor4D> {
  apply(x: T): T;
  dispose(): void;
}

/**
 * Standard conv, filter [KH, KW, Cin, Cout]. Input gradient: the correlation of the (dilated, padded) output gradient
 * with the flipped kernel transposed to [KH, KW, Cout, Cin]; for equal strides above 1, the sub-pixel form.
 */
export function convLayer(filter: tf.Tensor4D, bias: tf.Tensor1D, geometry: ConvGeometry): Layer {
  const [kh, kw] = filter.shape;
  const [sh, sw] = geometry.strides;
  const forward = (x: tf.Tensor4D): tf.Tensor4D => fused(tf.FusedConv2D, x, filter, bias, geometry); // [B, Ho, Wo, Cout]
  if (sh === sw && sh > 1 && kh === kw) {
    const subPixel = new SubPixelGradient(filter, sh, geometry.padding);
    return withInputGradient(forward, (g, x) => subPixel.apply(g, x.shape), geometry.activation, [subPixel]); // [B, H, W, Cin]
  }
  const backFilter = tf.tidy(() => tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2])); // [KH, KW, Cout, Cin]
  const backward = (g: tf.Tensor4D, x: tf.Tensor4D): tf.Tensor4D => {
    const { spread, pad } = dilateForCorrelation(g, x.shape, [kh, kw], geometry.strides, geometry.padding);
    return tf.conv2d(spread, backFilter, 1, pad); // [B, H, W, Cin]
  };
  return withInputGradient(forward, backward, geometry.activation, [backFilter]);
}

/** Depthwise conv with multiplier 1, filter [KH, KW, C, 1]: the input gradient is a depthwise conv with the flipped kernel. */
export function depthwiseLayer(filter: tf.Tensor4D, bias: tf.Tensor1D, geometry: ConvGeometry): Layer {
  const [kh, kw] = filter.shape;
  const backFilter = tf.tidy(() => tf.reverse(filter, [0, 1])); // [KH, KW, C, 1]
  const forward = (x: tf.Tensor4D): tf.Tensor4D => fused(tf.FusedDepthwiseConv2D, x, filter, bias, geometry); // [B, Ho, Wo, C]
  const backward = (g: tf.Tensor4D, x: tf.Tensor4D): tf.Tensor4D => {
    const { spread, pad } = dilateForCorrelation(g, x.shape, [kh, kw], geometry.strides, geometry.padding);
    return tf.depthwiseConv2d(spread, backFilter, 1, pad); // [B, H, W, C]
  };
  return withInputGradient(forward, backward, geometry.activation, [backFilter]);
}

/** Dense layer y = act(x·K + b), kernel [Din, Dout]; the input gradient uses a kernel transposed once at load. */
export function denseLayer(kernel: tf.Tensor2D, bias: tf.Tensor1D | undefined, activation: LayerActivation): Layer<tf.Tensor2D> {
  // tfjs would compute dy·Kᵀ with a transposed-operand matMul, which the wasm backend runs ~10× slower.
  const kernelT = tf.transpose(kernel); // [Dout, Din]
  const forward = (x: tf.Tensor2D): tf.Tensor2D => tf.fused.matMul({ a: x, b: kernel, bias, activation }) as tf.Tensor2D; // [B, Dout]
  const backward = (g: tf.Tensor2D): tf.Tensor2D => tf.matMul(g, kernelT); // [B, Din]
  return withInputGradient(forward, backward, activation, [kernelT]);
}

/** The conv layers left to tfjs autodiff: the reference the custom gradients are tested against. */
export function plainConvLayer(filter: tf.Tensor4D, bias: tf.Tensor1D, geometry: ConvGeometry, depthwise: boolean): Layer {
  const strides: [number, number] = [...geometry.strides];
  const apply = (x: tf.Tensor4D): tf.Tensor4D =>
    tf.tidy(() => {
      const z = depthwise ? tf.depthwiseConv2d(x, filter, strides, geometry.padding) : tf.conv2d(x, filter, strides, geometry.padding); // [B, Ho, Wo, C]
      const biased = tf.add(z, bias); // [B, Ho, Wo, C]
      return (geometry.activation === 'relu' ? tf.relu(biased) : geometry.activation === 'relu6' ? tf.relu6(biased) : biased) as tf.Tensor4D;
    });
  return { apply, dispose: () => {} };
}

/**
 * Runs a fused conv kernel directly: tf.fused.* falls back to separate conv, add and activation kernels whenever a
 * gradient is being recorded, which inside tf.customGrad only costs time.
 */
function fused(kernel: string, x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, geometry: ConvGeometry): tf.Tensor4D {
  const attrs = { strides: [...geometry.strides], pad: geometry.padding, dataFormat: 'NHWC', dilations: [1, 1], activation: geometry.activation };
  return tf.engine().runKernel(kernel, { x, filter, bias }, attrs as unknown as tf.NamedAttrMap); // [B, Ho, Wo, C]
}

/** Wraps forward(x) in tf.customGrad; the backward pass masks dy by the activation's slope, then calls `backward`. */
function withInputGradient<T extends tf.Tensor>(
  forward: (x: T) => T,
  backward: (g: T, x: T) => T,
  activation: LayerActivation,
  owned: { dispose(): void }[],
): Layer<T> {
  const apply = tf.customGrad(((x: T, save: tf.GradSaveFunc) => {
    const y = forward(x);
    if (activation !== 'linear') save([y]);
    return {
      value: y,
      gradFunc: (dy: T, saved: tf.Tensor[]) => backward(activationSlope(dy, saved[0] as T, activation), x),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: T) => T;
  return { apply, dispose: () => owned.forEach((o) => o.dispose()) };
}

/** dy times the activation's derivative, read from the activation's output y. */
function activationSlope<T extends tf.Tensor>(dy: T, y: T, activation: LayerActivation): T {
  if (activation === 'linear') return dy;
  if (activation === 'relu') return tf.mul(dy, tf.step(y)); // same shape as y
  // ReLU6: y lies strictly inside (0, 6) exactly where its input does, and y·(6 − y) > 0 exactly there; four
  // elementwise kernels, fewer than two compares, a logical and, a cast and a product.
  return tf.mul(dy, tf.step(tf.mul(y, tf.sub(6, y)))); // same shape as y
}
