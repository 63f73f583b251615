// A miniature int8 YAMNet as a TFLite file: the same op sequence and quantisation layout, 4–6 channels instead of 32–1024.
import type { Builder } from 'flatbuffers';
import { mulberry32 } from '../../src/attribution/random.js';
import { buildTflite, bytesOf, type SyntheticTensor } from '../helpers/tfliteBuilder.js';

// Builtin op codes and option union types of schema.fbs; activations NONE 0, RELU6 3; padding SAME 0.
const OP = { CONV_2D: 3, DEPTHWISE_CONV_2D: 4, DEQUANTIZE: 6, FULLY_CONNECTED: 9, LOGISTIC: 14, RESHAPE: 22, MEAN: 40, SPLIT: 49, QUANTIZE: 114 } as const;
const OPTIONS = { Conv2D: 1, DepthwiseConv2D: 2, FullyConnected: 8, Reshape: 17, Reducer: 27, Split: 35 } as const;

/**
 * [1,96,64] float → QUANTIZE → RESHAPE [1,96,64,1] → SPLIT (1 way, as YAMNet has) → 3×3 conv stride 2 SAME ReLU6
 * [1,48,32,4] → 3×3 depthwise stride 1 → [1,48,32,4] → 1×1 conv → [1,48,32,6] → MEAN over H, W (kept) → dense
 * [521, 6] → LOGISTIC → DEQUANTIZE. Weights int8 with per-channel scales along YAMNet's axes (0 for conv kernels
 * and biases, 3 for depthwise kernels), biases int32, activations int8 with per-tensor scales and zero points:
 * every field family a real file has, in a file of about 6 kB. Seeded: the same bytes every time.
 */
export function miniYamnet(seed = 11): Uint8Array {
  const random = mulberry32(seed);
  const int8s = (n: number) => Int8Array.from({ length: n }, () => Math.round((random() * 2 - 1) * 127));
  const int32s = (n: number, span: number) => Int32Array.from({ length: n }, () => Math.round((random() * 2 - 1) * span));
  const scales = (n: number, size: number) => Array.from({ length: n }, () => size * (0.5 + random()));
  const perChannel = (n: number, size: number, axis: number) => ({ scale: scales(n, size), zeroPoint: new Array<number>(n).fill(0), quantizedDimension: axis });
  const activation = (name: string, shape: number[], scale: number, zeroPoint: number): SyntheticTensor => ({ name, shape, type: 9, quantization: { scale: [scale], zeroPoint: [zeroPoint] } });
  const tensors: SyntheticTensor[] = [
    { name: 'feature_patch_in:0', shape: [1, 96, 64], type: 0 }, // 0
    activation('quantized', [1, 96, 64], 0.06, 17), // 1
    { name: 'shape', shape: [4], type: 2, data: bytesOf(Int32Array.of(1, 96, 64, 1)) }, // 2
    activation('image', [1, 96, 64, 1], 0.06, 17), // 3
    { name: 'split_axis', shape: [], type: 2, data: bytesOf(Int32Array.of(3)) }, // 4
    activation('split', [1, 96, 64, 1], 0.06, 17), // 5
    { name: 'k1', shape: [4, 3, 3, 1], type: 9, data: bytesOf(int8s(36)), quantization: perChannel(4, 0.004, 0) }, // 6
    { name: 'b1', shape: [4], type: 2, data: bytesOf(int32s(4, 2000)), quantization: perChannel(4, 0.0002, 0) }, // 7
    activation('a1', [1, 48, 32, 4], 0.0235, -128), // 8
    { name: 'k2', shape: [1, 3, 3, 4], type: 9, data: bytesOf(int8s(36)), quantization: perChannel(4, 0.01, 3) }, // 9
    { name: 'b2', shape: [4], type: 2, data: bytesOf(int32s(4, 2000)), quantization: perChannel(4, 0.0002, 0) }, // 10
    activation('a2', [1, 48, 32, 4], 0.0235, -128), // 11
    { name: 'k3', shape: [6, 1, 1, 4], type: 9, data: bytesOf(int8s(24)), quantization: perChannel(6, 0.01, 0) }, // 12
    { name: 'b3', shape: [6], type: 2, data: bytesOf(int32s(6, 2000)), quantization: perChannel(6, 0.0002, 0) }, // 13
    activation('a3', [1, 48, 32, 6], 0.0235, -128), // 14
    { name: 'axes', shape: [2], type: 2, data: bytesOf(Int32Array.of(1, 2)) }, // 15
    activation('pooled', [1, 1, 1, 6], 0.0235, -128), // 16
    { name: 'w', shape: [521, 6], type: 9, data: bytesOf(int8s(521 * 6)), quantization: { scale: [0.01], zeroPoint: [0] } }, // 17
    { name: 'b', shape: [521], type: 2, data: bytesOf(int32s(521, 5000)), quantization: { scale: [0.0002], zeroPoint: [0] } }, // 18
    activation('logits', [1, 521], 0.1, 100), // 19
    activation('scores_q', [1, 521], 1 / 256, -128), // 20
    { name: 'scores', shape: [1, 521], type: 0 }, // 21
  ];
  const options = (type: number, write: (b: Builder) => number) => ({ type, write });
  const conv = (stride: number) => (b: Builder) => (b.startObject(6), b.addFieldInt8(0, 0, 1), b.addFieldInt32(1, stride, 0), b.addFieldInt32(2, stride, 0), b.addFieldInt8(3, 3, 0), b.addFieldInt32(4, 1, 0), b.addFieldInt32(5, 1, 0), b.endObject());
  const depthwise = (b: Builder) =>
    (b.startObject(7), b.addFieldInt8(0, 0, 1), b.addFieldInt32(1, 1, 0), b.addFieldInt32(2, 1, 0), b.addFieldInt32(3, 1, 0), b.addFieldInt8(4, 3, 0), b.addFieldInt32(5, 1, 0), b.addFieldInt32(6, 1, 0), b.endObject());
  const newShape = (b: Builder) => {
    b.startVector(4, 4, 4);
    for (const d of [1, 64, 96, 1]) b.addInt32(d); // reversed: flatbuffer vectors are written back to front
    const vector = b.endVector();
    return (b.startObject(1), b.addFieldOffset(0, vector, 0), b.endObject());
  };
  const codes = [OP.QUANTIZE, OP.RESHAPE, OP.SPLIT, OP.CONV_2D, OP.DEPTHWISE_CONV_2D, OP.MEAN, OP.FULLY_CONNECTED, OP.LOGISTIC, OP.DEQUANTIZE];
  return buildTflite({
    opcodes: codes.map((builtin) => ({ builtin, deprecated: Math.min(builtin, 127) })),
    tensors,
    inputs: [0],
    outputs: [21],
    operators: [
      { opcodeIndex: 0, inputs: [0], outputs: [1] },
      { opcodeIndex: 1, inputs: [1, 2], outputs: [3], options: options(OPTIONS.Reshape, newShape) },
      { opcodeIndex: 2, inputs: [4, 3], outputs: [5], options: options(OPTIONS.Split, (b) => (b.startObject(1), b.addFieldInt32(0, 1, 0), b.endObject())) },
      { opcodeIndex: 3, inputs: [5, 6, 7], outputs: [8], options: options(OPTIONS.Conv2D, conv(2)) },
      { opcodeIndex: 4, inputs: [8, 9, 10], outputs: [11], options: options(OPTIONS.DepthwiseConv2D, depthwise) },
      { opcodeIndex: 3, inputs: [11, 12, 13], outputs: [14], options: options(OPTIONS.Conv2D, conv(1)) },
      { opcodeIndex: 5, inputs: [14, 15], outputs: [16], options: options(OPTIONS.Reducer, (b) => (b.startObject(1), b.addFieldInt8(0, 1, 0), b.endObject())) },
      { opcodeIndex: 6, inputs: [16, 17, 18], outputs: [19], options: options(OPTIONS.FullyConnected, (b) => (b.startObject(3), b.addFieldInt8(0, 0, 1), b.addFieldInt8(1, 0, 1), b.endObject())) },
      { opcodeIndex: 7, inputs: [19], outputs: [20] },
      { opcodeIndex: 8, inputs: [20], outputs: [21] },
    ],
  });
}
