// The onnx graph writer on layer shapes YAMNet lacks (VALID padding, odd sizes, ReLU, a linear conv), checked against
// The reference functions here need tfjs gradients beyond the library's own (sin, relu, conv backprop): the umbrella package, a dev dependency.
import '@tensorflow/tfjs';
// tfjs autodiff of the same synthetic TFLite model: logits and input gradients.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Builder } from 'flatbuffers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/backend.js';
import { loadOnnxYamnet, type OnnxYamnet } from '../../../src/engine/onnx/onnxYamnet.js';
import { loadYamnet, type YamnetModel } from '../../../src/model/yamnet.js';
import { removeTempDirs, tempDir } from '../../ffmpeg/makeFixtures.js';
import { buildTflite, bytesOf, type SyntheticTensor } from '../../helpers/tfliteBuilder.js';

// Builtin op codes and option union types of schema.fbs; TFLite activations NONE 0, RELU 1, RELU6 3; padding SAME 0, VALID 1.
const OP = { CONV_2D: 3, DEPTHWISE_CONV_2D: 4, FULLY_CONNECTED: 9, LOGISTIC: 14, RESHAPE: 22, MEAN: 40 } as const;
const OPTIONS = { Conv2D: 1, DepthwiseConv2D: 2, FullyConnected: 8, Reshape: 17, Reducer: 27 } as const;

let seed = 7;
const random = (n: number, scale: number) => Float32Array.from({ length: n }, () => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32 - 0.5) * 2 * scale);
const floats = (name: string, shape: number[], scale: number): SyntheticTensor => ({ name, shape, type: 0, data: bytesOf(random(shape.reduce((a, b) => a * b, 1), scale)) });
const activation = (name: string, shape: number[]): SyntheticTensor => ({ name, shape, type: 0 });

function conv(padding: number, stride: number, act: number) {
  return (b: Builder) => (b.startObject(6), b.addFieldInt8(0, padding, 0), b.addFieldInt32(1, stride, 0), b.addFieldInt32(2, stride, 0), b.addFieldInt8(3, act, 0), b.addFieldInt32(4, 1, 1), b.addFieldInt32(5, 1, 1), b.endObject());
}
function depthwise(padding: number, stride: number, act: number) {
  return (b: Builder) =>
    (b.startObject(7), b.addFieldInt8(0, padding, 0), b.addFieldInt32(1, stride, 0), b.addFieldInt32(2, stride, 0), b.addFieldInt32(3, 1, 0), b.addFieldInt8(4, act, 0), b.addFieldInt32(5, 1, 1), b.addFieldInt32(6, 1, 1), b.endObject());
}

/**
 * [1,96,64] → reshape [1,96,64,1] → 3×3 conv, stride 2, VALID, ReLU6 → [1,47,31,4] → 3×3 depthwise, stride 2, SAME
 * (odd input: pads 1 and 1), ReLU → [1,24,16,4] → 1×1 conv, linear → [1,24,16,6] → mean over H, W (kept) →
 * dense [521, 6] → logistic.
 */
function syntheticModel(): Uint8Array {
  const tensors: SyntheticTensor[] = [
    activation('in', [1, 96, 64]), // 0
    { name: 'shape', shape: [4], type: 2, data: bytesOf(Int32Array.of(1, 96, 64, 1)) }, // 1
    activation('image', [1, 96, 64, 1]), // 2
    floats('k1', [4, 3, 3, 1], 1.5), // 3
    floats('b1', [4], 1), // 4
    activation('a1', [1, 47, 31, 4]), // 5
    floats('k2', [1, 3, 3, 4], 1), // 6
    floats('b2', [4], 0.5), // 7
    activation('a2', [1, 24, 16, 4]), // 8
    floats('k3', [6, 1, 1, 4], 1), // 9
    floats('b3', [6], 0.2), // 10
    activation('a3', [1, 24, 16, 6]), // 11
    { name: 'axes', shape: [2], type: 2, data: bytesOf(Int32Array.of(1, 2)) }, // 12
    activation('pooled', [1, 1, 1, 6]), // 13
    floats('w', [521, 6], 1), // 14
    floats('b', [521], 0.1), // 15
    activation('logits', [1, 521]), // 16
    activation('scores', [1, 521]), // 17
  ];
  return buildTflite({
    opcodes: [OP.RESHAPE, OP.CONV_2D, OP.DEPTHWISE_CONV_2D, OP.MEAN, OP.FULLY_CONNECTED, OP.LOGISTIC].map((builtin) => ({ builtin, deprecated: builtin })),
    tensors,
    inputs: [0],
    outputs: [17],
    operators: [
      { opcodeIndex: 0, inputs: [0, 1], outputs: [2], options: { type: OPTIONS.Reshape, write: (b) => (b.startObject(1), b.endObject()) } },
      { opcodeIndex: 1, inputs: [2, 3, 4], outputs: [5], options: { type: OPTIONS.Conv2D, write: conv(1, 2, 3) } },
      { opcodeIndex: 2, inputs: [5, 6, 7], outputs: [8], options: { type: OPTIONS.DepthwiseConv2D, write: depthwise(0, 2, 1) } },
      { opcodeIndex: 1, inputs: [8, 9, 10], outputs: [11], options: { type: OPTIONS.Conv2D, write: conv(1, 1, 0) } },
      { opcodeIndex: 3, inputs: [11, 12], outputs: [13], options: { type: OPTIONS.Reducer, write: (b) => (b.startObject(1), b.addFieldInt8(0, 1, 0), b.endObject()) } },
      { opcodeIndex: 4, inputs: [13, 14, 15], outputs: [16], options: { type: OPTIONS.FullyConnected, write: (b) => (b.startObject(3), b.endObject()) } },
      { opcodeIndex: 5, inputs: [16], outputs: [17] },
    ],
  });
}

/** max |a − b| relative to max |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let [diff, scale] = [0, 0];
  for (let i = 0; i < a.length; i++) [diff, scale] = [Math.max(diff, Math.abs(a[i] - b[i])), Math.max(scale, Math.abs(b[i]))];
  return diff / scale;
}

describe('onnx graph writer on VALID, odd-sized, ReLU and linear layers', () => {
  let onnx: OnnxYamnet;
  let reference: YamnetModel;
  const count = 3;
  const patches = Float32Array.from(random(count * 96 * 64, 3), (v) => v - 2);
  beforeAll(async () => {
    const path = join(tempDir(), 'synthetic.tflite');
    writeFileSync(path, syntheticModel());
    await selectBackend('cpu');
    reference = await loadYamnet(path, { gradients: 'autodiff' }); // tfjs's own autodiff: the ground truth
    onnx = await loadOnnxYamnet(path, { threads: 1 });
  });
  afterAll(() => {
    onnx?.dispose();
    reference?.dispose();
    removeTempDirs();
  });

  it('gives the tfjs logits (1e-5 relative)', async () => {
    expect(relativeError(await onnx.logitsOf(patches, count), await reference.logitsOf(patches, count))).toBeLessThan(1e-5);
  });

  it('gives tfjs autodiff’s input gradient of a seeded sum of logits (1e-4 relative), non-zero across the patch', async () => {
    const seed = random(count * 521, 1);
    const { gradients } = await onnx.logitsAndGradients(patches, count, seed);
    const expected = tf.tidy(() => {
      const weights = tf.tensor2d(seed, [count, 521]);
      return tf.grad((x) => tf.sum(tf.mul(reference.logits(x as tf.Tensor3D), weights)))(tf.tensor3d(patches, [count, 96, 64])).dataSync();
    });
    expect(relativeError(gradients, expected)).toBeLessThan(1e-4);
    // The last row and column matter: VALID drops them from the first conv's view only partly (96 = 2·47 + 2).
    expect(gradients.filter((g) => g !== 0).length).toBeGreaterThan(gradients.length / 2);
  });
});
