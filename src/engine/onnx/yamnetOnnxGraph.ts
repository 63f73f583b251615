// Writes YAMNet's TFLite graph as an ONNX graph (NCHW, float32): logits, and optionally their input gradient.
import { ModelError } from '../../errors/index.js';
import { constantBytes, dequantize, integers } from '../../model/constants.js';
import { BuiltinOperator, builtinOperatorName, type TfliteBuiltinOptions, type TfliteModel, type TfliteOperator } from '../../model/tflite/index.js';
import { OnnxGraphBuilder } from './graphBuilder.js';
import type { OnnxGraph, OnnxValueInfo } from './onnxProto.js';

/** Names of the graph's inputs and outputs. */
export const ONNX_NAMES = {
  /** Input: log-mel patches [batch, 96, 64]. */
  patches: 'patches',
  /** Input (gradient graph only): ∂F/∂logits per item [batch, classes]; a one-hot row selects one class. */
  seed: 'seed',
  /** Output: logits [batch, classes] (the input of the final LOGISTIC). */
  logits: 'logits',
  /** Output (gradient graph only): ∂(Σ_c seed_c · logit_c)/∂patch [batch, 96, 64]. */
  gradient: 'gradient',
} as const;

/** TensorProto.DataType FLOAT, the `to` of a Cast. */
const ONNX_FLOAT = 1;
const USE_YAMNET = 'use the YAMNet build named in models/yamnet.json, or --engine tfjs';

/** An activation as the ONNX graph holds it: 4-D values in NCHW, everything else in the TFLite layout. */
interface Value {
  readonly name: string;
  readonly nchw: boolean;
  /** The TFLite shape (NHWC for 4-D), batch first. */
  readonly shape: readonly number[];
}

/** Turns the gradient of an op's output into gradients of its inputs: [value name, gradient name] pairs. */
type Backward = (gradient: string) => [string, string][];

/**
 * The forward graph up to YAMNet's logits; with `gradient`, also the reverse pass written out op by op: activation
 * masks, transposed 1×1 convolutions, flipped-kernel depthwise convolutions, transposed convolutions for strided
 * layers, the mean's broadcast and the dense layer's transpose. Exact to float rounding (same weights as tfjs).
 */
export function yamnetOnnxGraph(model: TfliteModel, path: string, options: { gradient: boolean }): OnnxGraph {
  const subgraph = model.subgraphs[0];
  const b = new OnnxGraphBuilder();
  const logitsIndex = logitsTensor(model, path);
  const inputIndex = subgraph.inputs[0];
  const inputShape = subgraph.tensors[inputIndex].shape;
  const values = new Map<number, Value>([[inputIndex, { name: ONNX_NAMES.patches, nchw: false, shape: inputShape }]]);
  const tape: { output: string; backward: Backward; source: string }[] = [];
  const record = (output: string, backward: Backward): string => (tape.push({ output, backward, source: b.source }), output);
  const fail = (op: TfliteOperator, problem: string): never => {
    throw new ModelError(`${path}: ${builtinOperatorName(opCode(model, op))} #${op.index} ${problem}; ${USE_YAMNET}`, path);
  };
  const weights = (index: number, op: TfliteOperator): Float32Array => {
    const tensor = subgraph.tensors[index];
    if (tensor === undefined || constantBytes(model, tensor) === undefined) fail(op, `expects a constant at input ${index}`);
    return dequantize(model, tensor, path);
  };
  const toNhwc = (v: Value): string => (v.nchw ? transpose(b, v.name, [0, 2, 3, 1], record) : v.name);

  for (const op of subgraph.operators) {
    if (values.has(logitsIndex)) break;
    const code = opCode(model, op);
    b.source = `${builtinOperatorName(code)}#${op.index}`;
    const shapeOf = (index: number): readonly number[] => subgraph.tensors[index].shape;
    const input = (k: number): Value => {
      const v = values.get(op.inputs[k]);
      if (v === undefined) fail(op, `reads tensor ${op.inputs[k]} before any op writes it`);
      return v!;
    };
    const set = (name: string, nchw: boolean): void => void values.set(op.outputs[0], { name, nchw, shape: shapeOf(op.outputs[0]) });
    switch (code) {
      case BuiltinOperator.QUANTIZE:
      case BuiltinOperator.DEQUANTIZE:
        // Identities on the float graph, as in the tfjs rebuild.
        values.set(op.outputs[0], input(0));
        break;
      case BuiltinOperator.SPLIT: {
        if (options_(op, 'SplitOptions', fail).numSplits !== 1) fail(op, 'splits into several tensors, which the onnx engine does not rebuild');
        values.set(op.outputs[0], values.get(op.inputs[1]) ?? fail(op, 'reads a tensor no op wrote'));
        break;
      }
      case BuiltinOperator.RESHAPE: {
        const x = input(0);
        const stored = shapeOf(op.outputs[0]);
        const target = stored[0] === 1 && x.shape[0] === 1 ? [-1, ...stored.slice(1)] : [...stored];
        const flat = toNhwc(x);
        const shapeOfFlat = b.op('Shape', [flat]);
        const y = record(b.op('Reshape', [flat, b.int64s(target)]), (g) => [[flat, b.op('Reshape', [g, shapeOfFlat])]]);
        set(stored.length === 4 ? transpose(b, y, [0, 3, 1, 2], record) : y, stored.length === 4);
        break;
      }
      case BuiltinOperator.CONV_2D:
      case BuiltinOperator.DEPTHWISE_CONV_2D: {
        const x = input(0);
        if (!x.nchw) fail(op, 'reads a tensor that is not 4-D');
        const o = code === BuiltinOperator.CONV_2D ? options_(op, 'Conv2DOptions', fail) : options_(op, 'DepthwiseConv2DOptions', fail);
        if (o.dilationH !== 1 || o.dilationW !== 1) fail(op, `has dilation ${o.dilationH}×${o.dilationW}`);
        const depthwise = code === BuiltinOperator.DEPTHWISE_CONV_2D;
        const [filterIndex, biasIndex] = [op.inputs[1], op.inputs[2]];
        const stored = shapeOf(filterIndex); // conv OHWI [O, KH, KW, I]; depthwise [1, KH, KW, C]
        if (depthwise && stored[3] !== x.shape[3]) fail(op, 'has a depth multiplier other than 1');
        const kernel = depthwise ? depthwiseToOnnx(weights(filterIndex, op), stored) : convToOnnx(weights(filterIndex, op), stored);
        const outShape = shapeOf(op.outputs[0]);
        const conv = new ConvGeometry(x.shape, outShape, kernel.dims, [o.strideH, o.strideW], o.padding);
        const w = b.floats(kernel.values, kernel.dims);
        const bias = biasIndex >= 0 ? b.floats(weights(biasIndex, op), [outShape[3]], 'b') : b.floats(new Float32Array(outShape[3]), [outShape[3]], 'b');
        const group = depthwise ? outShape[3] : 1;
        const z = record(b.op('Conv', [x.name, w, bias], { kernel_shape: conv.kernel, strides: conv.strides, pads: conv.pads, group, dilations: [1, 1] }), (g) => [
          [x.name, convInputGradient(b, g, kernel, conv, group, depthwise)],
        ]);
        set(activation(b, z, o.activation, op, fail, record), true);
        break;
      }
      case BuiltinOperator.MEAN: {
        const x = input(0);
        const axes = integers(model, subgraph.tensors[op.inputs[1]], path).map((a) => (a < 0 ? a + x.shape.length : a));
        const keepDims = options_(op, 'ReducerOptions', fail).keepDims;
        const count = axes.reduce((n, a) => n * x.shape[a], 1);
        // Kept dims stay NCHW; otherwise reduce in the TFLite layout so the remaining dims keep their order.
        const [source, onnxAxes] = x.nchw && keepDims ? [x.name, axes.map((a) => [0, 2, 3, 1][a])] : [toNhwc(x), axes];
        const shapeOfSource = b.op('Shape', [source]);
        const y = record(b.op('ReduceMean', [source], { axes: onnxAxes, keepdims: keepDims ? 1 : 0 }), (g) => {
          const kept = keepDims ? g : b.op('Unsqueeze', [g, b.int64s(onnxAxes)]);
          return [[source, b.op('Expand', [b.op('Mul', [kept, b.scalar(1 / count)]), shapeOfSource])]];
        });
        set(y, x.nchw && keepDims);
        break;
      }
      case BuiltinOperator.FULLY_CONNECTED: {
        const o = options_(op, 'FullyConnectedOptions', fail);
        if (o.weightsFormat !== 0) fail(op, 'uses shuffled weights');
        if (o.keepNumDims) fail(op, 'keeps its input dims');
        const x = input(0);
        const [units, depth] = shapeOf(op.inputs[1]);
        const flat = toNhwc(x);
        const shapeOfFlat = b.op('Shape', [flat]);
        const rows = record(b.op('Reshape', [flat, b.int64s([-1, depth])]), (g) => [[flat, b.op('Reshape', [g, shapeOfFlat])]]);
        const w = b.floats(weights(op.inputs[1], op), [units, depth]); // [units, depth]
        const bias = op.inputs[2] >= 0 ? b.floats(weights(op.inputs[2], op), [units], 'b') : b.floats(new Float32Array(units), [units], 'b');
        const z = record(b.op('Gemm', [rows, w, bias], { transB: 1 }), (g) => [[rows, b.op('MatMul', [g, w])]]); // [B, units]
        set(activation(b, z, o.activation, op, fail, record), false);
        break;
      }
      default:
        fail(op, 'is not rebuilt by the onnx engine');
    }
  }
  b.source = '';
  const logits = values.get(logitsIndex)!;
  b.rename(logits.name, ONNX_NAMES.logits);
  const classes = subgraph.tensors[logitsIndex].shape.at(-1)!;
  const inputs: OnnxValueInfo[] = [{ name: ONNX_NAMES.patches, shape: ['batch', ...inputShape.slice(1)] }];
  const outputs: OnnxValueInfo[] = [{ name: ONNX_NAMES.logits, shape: ['batch', classes] }];
  if (options.gradient) {
    b.rename(backwardPass(b, tape, logits.name, ONNX_NAMES.seed, ONNX_NAMES.patches, path), ONNX_NAMES.gradient);
    inputs.push({ name: ONNX_NAMES.seed, shape: ['batch', classes] });
    outputs.push({ name: ONNX_NAMES.gradient, shape: ['batch', ...inputShape.slice(1)] });
  }
  return b.graph(options.gradient ? 'yamnet_logits_and_gradient' : 'yamnet_logits', inputs, outputs);
}

/** Runs the tape backwards from ∂/∂logits = seed, summing gradients that meet; returns ∂/∂input. */
function backwardPass(b: OnnxGraphBuilder, tape: readonly { output: string; backward: Backward; source: string }[], logits: string, seed: string, input: string, path: string): string {
  const gradients = new Map<string, string>([[logits, seed]]);
  for (let i = tape.length - 1; i >= 0; i--) {
    const g = gradients.get(tape[i].output);
    if (g === undefined) continue;
    b.source = tape[i].source; // the reverse nodes carry the name of the op they differentiate
    for (const [value, grad] of tape[i].backward(g)) {
      const before = gradients.get(value);
      gradients.set(value, before === undefined ? grad : b.op('Add', [before, grad]));
    }
  }
  b.source = '';
  const result = gradients.get(input);
  if (result === undefined) throw new ModelError(`${path}: the logits do not depend on the input; ${USE_YAMNET}`, path);
  return result;
}

/** Output sizes and pads of a TFLite conv, with the pads its input gradient needs. */
class ConvGeometry {
  readonly kernel: [number, number];
  readonly strides: [number, number];
  /** ONNX order: [top, left, bottom, right]. */
  readonly pads: [number, number, number, number];
  readonly inSize: [number, number];
  readonly outSize: [number, number];

  constructor(inShape: readonly number[], outShape: readonly number[], dims: readonly number[], strides: [number, number], padding: 'SAME' | 'VALID') {
    this.kernel = [dims[2], dims[3]];
    this.strides = strides;
    this.inSize = [inShape[1], inShape[2]];
    this.outSize = [outShape[1], outShape[2]];
    const before: number[] = [];
    const after: number[] = [];
    for (const d of [0, 1]) {
      // TensorFlow's SAME: the total padding that makes out = ceil(in / stride), the odd pixel at the end.
      const total = padding === 'SAME' ? Math.max((this.outSize[d] - 1) * strides[d] + this.kernel[d] - this.inSize[d], 0) : 0;
      before.push(Math.floor(total / 2));
      after.push(total - Math.floor(total / 2));
    }
    this.pads = [before[0], before[1], after[0], after[1]];
  }
}

/** ∂/∂x of a linear conv given ∂/∂z: a flipped-kernel correlation for stride 1, a transposed conv otherwise. */
function convInputGradient(b: OnnxGraphBuilder, g: string, kernel: { values: Float32Array; dims: number[] }, geometry: ConvGeometry, group: number, depthwise: boolean): string {
  const { kernel: k, strides, pads, inSize, outSize } = geometry;
  if (strides[0] === 1 && strides[1] === 1) {
    // dx[j] = Σ_a g[j + a − (k−1−p_before)] · W[k−1−a]: pads (k−1−before) and (in − out + before).
    const back = flipKernel(kernel, depthwise);
    const padsBack = [k[0] - 1 - pads[0], k[1] - 1 - pads[1], inSize[0] - outSize[0] + pads[0], inSize[1] - outSize[1] + pads[1]];
    return b.op('Conv', [g, b.floats(back.values, back.dims)], { kernel_shape: k, strides: [1, 1], pads: padsBack, group, dilations: [1, 1] });
  }
  // ConvTranspose is the adjoint of Conv with the same weights; output_padding restores the rows SAME dropped.
  const outputPadding = [0, 1].map((d) => inSize[d] - (strides[d] * (outSize[d] - 1) + k[d] - pads[d] - pads[d + 2]));
  return b.op('ConvTranspose', [g, b.floats(kernel.values, kernel.dims)], { kernel_shape: k, strides, pads, group, dilations: [1, 1], output_padding: outputPadding });
}

/** TFLite OHWI conv kernel → ONNX OIHW. */
function convToOnnx(values: Float32Array, [o, kh, kw, i]: readonly number[]): { values: Float32Array; dims: number[] } {
  const out = new Float32Array(values.length);
  for (let a = 0; a < o; a++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < i; c++) out[((a * i + c) * kh + y) * kw + x] = values[((a * kh + y) * kw + x) * i + c];
  return { values: out, dims: [o, i, kh, kw] };
}

/** TFLite depthwise kernel [1, KH, KW, C] → ONNX grouped conv [C, 1, KH, KW]. */
function depthwiseToOnnx(values: Float32Array, [, kh, kw, channels]: readonly number[]): { values: Float32Array; dims: number[] } {
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < channels; c++) out[(c * kh + y) * kw + x] = values[(y * kw + x) * channels + c];
  return { values: out, dims: [channels, 1, kh, kw] };
}

/** The kernel of the stride-1 input gradient: spatially flipped, with in/out channels swapped for a plain conv. */
function flipKernel({ values, dims: [o, i, kh, kw] }: { values: Float32Array; dims: number[] }, depthwise: boolean): { values: Float32Array; dims: number[] } {
  const out = new Float32Array(values.length);
  for (let a = 0; a < o; a++) {
    for (let c = 0; c < i; c++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          const from = ((a * i + c) * kh + y) * kw + x;
          const [p, q] = depthwise ? [a, c] : [c, a];
          out[((p * (depthwise ? i : o) + q) * kh + (kh - 1 - y)) * kw + (kw - 1 - x)] = values[from];
        }
      }
    }
  }
  return { values: out, dims: depthwise ? [o, i, kh, kw] : [i, o, kh, kw] };
}

/** Applies a fused activation and records its mask: ∂ passes where ReLU (0 < y) or ReLU6 (0 < y < 6) is linear. */
function activation(b: OnnxGraphBuilder, z: string, name: string, op: TfliteOperator, fail: (op: TfliteOperator, problem: string) => never, record: (output: string, backward: Backward) => string): string {
  if (name === 'NONE') return z;
  if (name !== 'RELU' && name !== 'RELU6') fail(op, `has fused activation ${name}`);
  const zero = b.scalar(0);
  const y = name === 'RELU' ? b.op('Relu', [z]) : b.op('Clip', [z, zero, b.scalar(6)]);
  return record(y, (g) => {
    // A 0/1 float mask times g: measured a little faster than Where (and than Sign of y·(6 − y)) on onnxruntime's CPU.
    const positive = b.op('Greater', [y, zero]);
    const linear = name === 'RELU' ? positive : b.op('And', [positive, b.op('Less', [y, b.scalar(6)])]);
    return [[z, b.op('Mul', [g, b.op('Cast', [linear], { to: ONNX_FLOAT })])]];
  });
}

function transpose(b: OnnxGraphBuilder, x: string, perm: number[], record: (output: string, backward: Backward) => string): string {
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return record(b.op('Transpose', [x], { perm }), (g) => [[x, b.op('Transpose', [g], { perm: inverse })]]);
}

/** The tensor the final LOGISTIC reads, looking through quantise/dequantise identities after it. */
function logitsTensor(model: TfliteModel, path: string): number {
  const subgraph = model.subgraphs[0];
  const producer = (index: number) => subgraph.operators.find((op) => op.outputs.includes(index));
  let op = producer(subgraph.outputs[0]);
  while (op !== undefined && (opCode(model, op) === BuiltinOperator.DEQUANTIZE || opCode(model, op) === BuiltinOperator.QUANTIZE)) op = producer(op.inputs[0]);
  if (op === undefined || opCode(model, op) !== BuiltinOperator.LOGISTIC) {
    throw new ModelError(`${path}: the output is not a LOGISTIC of logits, so it is not a YAMNet classifier; ${USE_YAMNET}`, path);
  }
  return op.inputs[0];
}

function opCode(model: TfliteModel, op: TfliteOperator): number {
  return model.operatorCodes[op.opcodeIndex].builtinCode;
}

function options_<K extends TfliteBuiltinOptions['kind']>(op: TfliteOperator, kind: K, fail: (op: TfliteOperator, problem: string) => never): Extract<TfliteBuiltinOptions, { kind: K }> {
  if (op.options?.kind !== kind) fail(op, `lacks its ${kind}; the file is corrupt, fetch it again`);
  return op.options as Extract<TfliteBuiltinOptions, { kind: K }>;
}
