// Grad-CAM's inputs from a rebuilt TFLite graph: a conv layer's feature maps at one patch and each class's gradient there.
import '../tfjsKernels.js';
import * as tf from '@tensorflow/tfjs-core';
import { ModelError, OptionError, ShapeError } from '../errors/index.js';
import type { FeatureMapGradients } from '../types.js';
import type { TfliteGraph } from './graph.js';
import { BuiltinOperator } from './tflite/index.js';

/** Ops that pass a value through unchanged on the float graph (or only regroup it), looked through when walking back. */
const PASS_THROUGH: ReadonlySet<number> = new Set([BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE, BuiltinOperator.RESHAPE]);

/**
 * The last convolutional layer's output: the tensor the global average pool (MEAN) before the FULLY_CONNECTED that
 * writes `logitsIndex` reads, looking through quantise, dequantise and reshape steps on the way. For YAMNet, tensor 89,
 * `layer27/conv` [1, 3, 2, 1024] (96 frames and 64 bands after five stride-2 layers). A ModelError when the graph
 * does not end in conv → mean → dense, as a classifier Grad-CAM can explain must.
 */
export function lastConvOutput(graph: TfliteGraph, logitsIndex: number, path: string): number {
  const fail = (problem: string): never => {
    throw new ModelError(`${path}: ${problem}, so Grad-CAM has no convolutional layer to explain; use the YAMNet build named in models/yamnet.json`, path);
  };
  const through = (index: number): number => {
    let producer = graph.producer(index);
    while (producer !== undefined && PASS_THROUGH.has(producer.builtinCode)) [index, producer] = [producer.inputs[0], graph.producer(producer.inputs[0])];
    return index;
  };
  const dense = graph.producer(through(logitsIndex));
  if (dense?.builtinCode !== BuiltinOperator.FULLY_CONNECTED) return fail('the logits are not written by a FULLY_CONNECTED op');
  const pool = graph.producer(through(dense.inputs[0]));
  if (pool?.builtinCode !== BuiltinOperator.MEAN) return fail('the dense layer does not read a MEAN (global average pool)');
  const maps = through(pool.inputs[0]);
  const conv = graph.producer(maps)?.builtinCode;
  if ((conv !== BuiltinOperator.CONV_2D && conv !== BuiltinOperator.DEPTHWISE_CONV_2D) || graph.subgraph.tensors[maps].shape.length !== 4) {
    return fail('the average pool does not read a 4-D convolution output');
  }
  return maps;
}

/**
 * A tensor's layer name as the file records it: the first of its fused names (TFLite joins them with `;`), without
 * the op's own last path component and the `tower0/network/` scope, e.g. `layer27/conv`.
 */
export function layerName(graph: TfliteGraph, index: number): string {
  const first = graph.subgraph.tensors[index].name.split(';')[0];
  const scoped = first.includes('/') ? first.slice(0, first.lastIndexOf('/')) : first;
  return scoped.replace(/^(tower\d+\/)?network\//, '') || `tensor ${index}`;
}

/**
 * Feature maps A = tensor `mapsIndex` at one patch (row-major [T × F] values, the graph input's shape without its
 * batch) and ∂F_k/∂A for each class `indices[k]` of tensor `outputIndex` ([1, classes]: logits or scores). The graph
 * runs once up to A; the rest (`evaluateFrom`) runs on K copies of A, item k selecting class k, and one backward pass
 * gives every class's gradient. `check` sees the [1, T, F] input tensor first (a model's shape and disposal checks).
 */
export async function featureMapsOf(
  graph: TfliteGraph,
  mapsIndex: number,
  outputIndex: number,
  patch: Float32Array,
  indices: readonly number[],
  check?: (x: tf.Tensor3D) => void,
): Promise<FeatureMapGradients> {
  const [, frames, bands] = graph.subgraph.tensors[graph.inputIndex].shape;
  if (patch.length !== frames * bands) throw new ShapeError('patch values', [frames * bands], [patch.length]);
  const classes = graph.subgraph.tensors[outputIndex].shape.at(-1)!;
  if (indices.length === 0 || !indices.every((c) => Number.isInteger(c) && c >= 0 && c < classes)) {
    throw new OptionError('classes', `a non-empty list of class indices, integers in 0…${classes - 1}`, indices);
  }
  const [, height, width, channels] = graph.subgraph.tensors[mapsIndex].shape;
  const count = indices.length;
  const selection = new Float32Array(count * classes);
  indices.forEach((c, k) => (selection[k * classes + c] = 1));
  const tensors = tf.tidy(() => {
    const x = tf.tensor3d(patch, [1, frames, bands]); // [1, T, F]
    check?.(x);
    const maps = graph.evaluate(x, mapsIndex); // [1, h, w, c]
    const copies = tf.tile(maps, [count, 1, 1, 1]); // [K, h, w, c]
    const chosen = tf.tensor2d(selection, [count, classes]); // [K, classes], one-hot rows
    // Item k is class k's output at copy k, so the gradient of their sum holds ∂F_k/∂A in row k.
    const selected = (a: tf.Tensor): tf.Tensor1D => tf.sum(tf.mul(graph.evaluateFrom(mapsIndex, a, outputIndex), chosen), 1) as tf.Tensor1D; // [K]
    const { value, grad } = tf.valueAndGrad(selected)(copies, tf.ones([count]));
    return [maps, grad, value]; // [1, h, w, c], [K, h, w, c], [K]
  });
  try {
    const [maps, gradients, values] = (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
    const size = height * width * channels;
    return {
      layer: layerName(graph, mapsIndex),
      height,
      width,
      channels,
      maps,
      gradients: indices.map((_, k) => gradients.slice(k * size, (k + 1) * size)),
      values,
    };
  } finally {
    tensors.forEach((t) => t.dispose());
  }
}
