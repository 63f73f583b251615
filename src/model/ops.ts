// One builder per supported TFLite op: each turns an operator record into a tfjs function of its activation inputs.
import * as tf from '@tensorflow/tfjs-core';
import { convLayer, denseLayer, depthwiseLayer, plainConvLayer, type LayerActivation } from './layers.js';
import type { TfliteBuiltinOptions, TfliteOperator } from './tflite/index.js';
import { BuiltinOperator } from './tflite/index.js';

/** What an op builder may ask of the model being rebuilt. */
export interface OpContext {
  /** 'custom' wraps conv layers in hand-written input gradients; 'autodiff' leaves them to tfjs (tests, benchmarks). */
  readonly gradients: 'custom' | 'autodiff';
  /** Float32 weights of a constant input, dequantised, in the file's layout; a new tensor the caller owns. */
  weights(tensorIndex: number): tf.Tensor;
  /** Integer values of a constant input (shapes, axes). */
  integers(tensorIndex: number): number[];
  /** Shape recorded in the file for a tensor. */
  shape(tensorIndex: number): readonly number[];
  /** Registers something to dispose with the model. */
  own(disposable: { dispose(): void }): void;
  /** A ModelError about this op: "<path>: <op> #<index> <problem>; <fix>". */
  fail(problem: string): never;
}

/** A compiled op: its activation inputs (tensor indices) and how to compute its outputs from them. */
export interface CompiledOp {
  readonly inputs: readonly number[];
  readonly run: (inputs: tf.Tensor[]) => tf.Tensor[];
}

type Builder = (op: TfliteOperator, ctx: OpContext) => CompiledOp;

const USE_YAMNET = 'use the YAMNet build named in models/yamnet.json';

/** Builders by builtin op code; an op missing here cannot be rebuilt. */
export const OP_BUILDERS: ReadonlyMap<number, Builder> = new Map<number, Builder>([
  // Quantisation steps are the identity on the float graph (the input quantisation is deliberately not applied).
  [BuiltinOperator.QUANTIZE, (op) => identity(op)],
  [BuiltinOperator.DEQUANTIZE, (op) => identity(op)],
  [BuiltinOperator.RESHAPE, reshape],
  [BuiltinOperator.SPLIT, split],
  [BuiltinOperator.CONV_2D, (op, ctx) => conv(op, ctx, false)],
  [BuiltinOperator.DEPTHWISE_CONV_2D, (op, ctx) => conv(op, ctx, true)],
  [BuiltinOperator.MEAN, mean],
  [BuiltinOperator.FULLY_CONNECTED, fullyConnected],
  [BuiltinOperator.LOGISTIC, (op) => ({ inputs: [op.inputs[0]], run: ([x]) => [tf.sigmoid(x)] })],
]);

function identity(op: TfliteOperator): CompiledOp {
  return { inputs: [op.inputs[0]], run: ([x]) => [x] };
}

function reshape(op: TfliteOperator, ctx: OpContext): CompiledOp {
  // The file bakes batch 1 into the target shape; -1 in its place lets any batch through.
  const stored = ctx.shape(op.outputs[0]);
  const target = stored[0] === 1 && ctx.shape(op.inputs[0])[0] === 1 ? [-1, ...stored.slice(1)] : [...stored];
  return { inputs: [op.inputs[0]], run: ([x]) => [tf.reshape(x, target)] };
}

function split(op: TfliteOperator, ctx: OpContext): CompiledOp {
  const [axisIndex, input] = op.inputs;
  const axis = ctx.integers(axisIndex)[0];
  const count = options(op, 'SplitOptions', ctx).numSplits;
  if (count === 1) return identity({ ...op, inputs: [input] });
  return { inputs: [input], run: ([x]) => tf.split(x, count, axis) };
}

function conv(op: TfliteOperator, ctx: OpContext, depthwise: boolean): CompiledOp {
  const o = options(op, depthwise ? 'DepthwiseConv2DOptions' : 'Conv2DOptions', ctx);
  if (o.dilationH !== 1 || o.dilationW !== 1) ctx.fail(`has dilation ${o.dilationH}×${o.dilationW}, only 1×1 is supported; ${USE_YAMNET}`);
  if (o.kind === 'DepthwiseConv2DOptions' && ctx.shape(op.inputs[1])[3] !== ctx.shape(op.inputs[0])[3]) {
    ctx.fail(`has a depth multiplier other than 1, which is not supported; ${USE_YAMNET}`);
  }
  const [, filterIndex, biasIndex] = op.inputs;
  // TFLite stores conv kernels OHWI and depthwise kernels [1, KH, KW, C]; tfjs wants HWIO and [KH, KW, C, 1],
  // which the same axis rotation gives for both.
  const filter = own(tf.tidy(() => tf.transpose(ctx.weights(filterIndex), [1, 2, 3, 0])), ctx) as tf.Tensor4D; // [KH, KW, Cin, Cout]
  const outChannels = ctx.shape(op.outputs[0])[3];
  const bias = own(biasIndex >= 0 ? ctx.weights(biasIndex) : tf.zeros([outChannels]), ctx) as tf.Tensor1D; // [Cout]
  const geometry = {
    strides: [o.strideH, o.strideW] as const,
    padding: o.padding === 'SAME' ? ('same' as const) : ('valid' as const),
    activation: layerActivation(o.activation, ctx),
  };
  const build = ctx.gradients === 'autodiff' ? plainConvLayer : depthwise ? depthwiseLayer : convLayer;
  const layer = own(build(filter, bias, geometry, depthwise), ctx);
  return { inputs: [op.inputs[0]], run: ([x]) => [layer.apply(x as tf.Tensor4D)] };
}

function mean(op: TfliteOperator, ctx: OpContext): CompiledOp {
  const axes = ctx.integers(op.inputs[1]);
  const keepDims = options(op, 'ReducerOptions', ctx).keepDims;
  return { inputs: [op.inputs[0]], run: ([x]) => [tf.mean(x, axes, keepDims)] };
}

function fullyConnected(op: TfliteOperator, ctx: OpContext): CompiledOp {
  const o = options(op, 'FullyConnectedOptions', ctx);
  if (o.weightsFormat !== 0) ctx.fail(`uses shuffled weights, which are not supported; ${USE_YAMNET}`);
  const [input, weightsIndex, biasIndex] = op.inputs;
  const [units, depth] = ctx.shape(weightsIndex);
  // Stored [units, depth]; transposed once so the forward pass is a plain x·K.
  const kernel = own(tf.tidy(() => tf.transpose(ctx.weights(weightsIndex))), ctx) as tf.Tensor2D; // [depth, units]
  const bias = biasIndex >= 0 ? (own(ctx.weights(biasIndex), ctx) as tf.Tensor1D) : undefined; // [units]
  const activation = layerActivation(o.activation, ctx);
  const layer = ctx.gradients === 'autodiff' ? plainDense(kernel, bias, activation) : own(denseLayer(kernel, bias, activation), ctx);
  return {
    inputs: [input],
    run: ([x]) => {
      const y = layer.apply(tf.reshape(x, [-1, depth])); // [B, units]
      return [o.keepNumDims ? tf.reshape(y, [...x.shape.slice(0, -1), units]) : y];
    },
  };
}

function plainDense(kernel: tf.Tensor2D, bias: tf.Tensor1D | undefined, activation: LayerActivation): { apply(x: tf.Tensor2D): tf.Tensor2D } {
  return {
    apply: (x) => {
      const z = bias === undefined ? tf.matMul(x, kernel) : tf.add(tf.matMul(x, kernel), bias); // [B, units]
      return (activation === 'relu' ? tf.relu(z) : activation === 'relu6' ? tf.relu6(z) : z) as tf.Tensor2D;
    },
  };
}

function layerActivation(name: string, ctx: OpContext): LayerActivation {
  if (name === 'NONE') return 'linear';
  if (name === 'RELU') return 'relu';
  if (name === 'RELU6') return 'relu6';
  return ctx.fail(`has fused activation ${name}, which is not supported; ${USE_YAMNET}`);
}

function options<K extends TfliteBuiltinOptions['kind']>(
  op: TfliteOperator,
  kind: K,
  ctx: OpContext,
): Extract<TfliteBuiltinOptions, { kind: K }> {
  if (op.options?.kind !== kind) ctx.fail(`lacks its ${kind}; the file is corrupt, fetch it again`);
  return op.options as Extract<TfliteBuiltinOptions, { kind: K }>;
}

/** Hands `t` to the model, which disposes it with itself. */
function own<T extends { dispose(): void }>(t: T, ctx: OpContext): T {
  ctx.own(t);
  return t;
}
