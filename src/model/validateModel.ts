// Checks a parsed TFLite model against what the rebuilt graph needs, before either engine builds anything (pure).
import { ModelError } from '../errors/index.js';
import { YAMNET_FRONT_END } from '../types.js';
import { BuiltinOperator, builtinOperatorName, TensorType, type TfliteModel, type TfliteOperator, type TfliteTensor } from './tflite/index.js';
import { checkTensor, CORRUPT_FIX, count, tensorLabel } from './validateTensor.js';

export { CORRUPT_FIX, MAX_TENSOR_ELEMENTS, tensorLabel } from './validateTensor.js';

/** [frames, bands] of the patch the model reads. */
const PATCH_SHAPE = [YAMNET_FRONT_END.patchFrames, YAMNET_FRONT_END.melBands] as const;

/** Ops the rebuilt graph has, on both engines. */
export const SUPPORTED_OPERATORS: readonly number[] = [
  BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE, BuiltinOperator.RESHAPE, BuiltinOperator.SPLIT, BuiltinOperator.CONV_2D,
  BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.MEAN, BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.LOGISTIC,
];

/** Types an activation may have: quantised activations are read as the float values they stand for. */
const ACTIVATION_TYPES: ReadonlySet<number> = new Set([TensorType.FLOAT32, TensorType.INT8, TensorType.UINT8, TensorType.INT16]);

/** What the checks found out, for the builders: the tensor holding the logits. */
export interface ValidatedModel {
  /** The tensor the final LOGISTIC reads. */
  readonly logitsIndex: number;
}

/**
 * Checks `model` (as readTflite gave it) before anything is built: one input [1, 96, 64] and one output
 * [1, classes]; every op one the graph has, wired to tensors an earlier op wrote; every tensor's shape positive,
 * bounded and equal to the shape its op makes from its inputs (conv geometry with its strides, kernels and padding,
 * reshapes, means, dense layers); strides and dilations in range; every quantisation scale finite and positive
 * and every zero point in its type's range; constants of the right byte size. The first problem found is a
 * ModelError naming the op or tensor at fault. Weight values are checked as they are dequantised (see constants.ts).
 */
export function validateModel(model: TfliteModel, path: string, classes: number): ValidatedModel {
  const subgraph = model.subgraphs[0];
  const { tensors } = subgraph;
  if (subgraph.inputs.length !== 1 || subgraph.outputs.length !== 1) {
    throw new ModelError(`${path} has ${subgraph.inputs.length} inputs and ${subgraph.outputs.length} outputs; blurig-audio rebuilds single-input, single-output classifiers`, path);
  }
  const [inputIndex, outputIndex] = [subgraph.inputs[0], subgraph.outputs[0]];
  const isConstant = (tensor: TfliteTensor): boolean => (model.buffers[tensor.buffer]?.length ?? 0) > 0;
  // What the file is, first (ops and types it would need that blurig lacks), then whether it is intact.
  for (const op of subgraph.operators) checkSupported(model, op, isConstant, path);
  for (const tensor of tensors) checkTensor(tensor, isConstant(tensor), model, path);
  expectShape(path, 'input', tensors[inputIndex].shape, [1, ...PATCH_SHAPE]);
  expectShape(path, 'output', tensors[outputIndex].shape, [1, classes]);

  // Shapes as the ops make them, from the input on; each must equal the shape the file records.
  const made = new Map<number, readonly number[]>([[inputIndex, tensors[inputIndex].shape]]);
  for (const op of subgraph.operators) {
    const code = model.operatorCodes[op.opcodeIndex];
    const name = `${builtinOperatorName(code.builtinCode)} #${op.index}`;
    const fail = (problem: string): never => {
      throw new ModelError(`${path}: ${name} ${problem}; ${CORRUPT_FIX}`, path);
    };
    const activation = (k: number): readonly number[] => {
      const index = op.inputs[k];
      const shape = index === undefined || index < 0 ? undefined : made.get(index);
      if (shape === undefined) fail(index === undefined || index < 0 ? `lacks input ${k}` : `reads tensor ${index} before any op writes it`);
      return shape!;
    };
    const constant = (k: number, what: string): TfliteTensor => {
      const tensor = op.inputs[k] === undefined || op.inputs[k] < 0 ? undefined : tensors[op.inputs[k]];
      if (tensor === undefined || !isConstant(tensor)) fail(`expects its ${what} as a constant at input ${k}`);
      return tensor!;
    };
    const optional = (k: number, what: string): TfliteTensor | undefined => (op.inputs[k] === undefined || op.inputs[k] < 0 ? undefined : constant(k, what));
    const options = <K extends NonNullable<TfliteOperator['options']>['kind']>(kind: K): Extract<NonNullable<TfliteOperator['options']>, { kind: K }> => {
      if (op.options?.kind !== kind) fail(`lacks its ${kind}`);
      return op.options as Extract<NonNullable<TfliteOperator['options']>, { kind: K }>;
    };
    let fusedActivation = '';
    let outputs: (readonly number[])[];
    switch (code.builtinCode) {
      case BuiltinOperator.QUANTIZE:
      case BuiltinOperator.DEQUANTIZE:
      case BuiltinOperator.LOGISTIC:
        outputs = [activation(0)];
        break;
      case BuiltinOperator.RESHAPE: {
        const x = activation(0);
        const target = tensors[op.outputs[0]]?.shape ?? fail('has no output');
        if (count(target) !== count(x)) fail(`reshapes ${count(x)} values [${x.join(',')}] to [${target.join(',')}]`);
        const stored = op.inputs[1] !== undefined && op.inputs[1] >= 0 ? integerValues(model, constant(1, 'shape'), fail) : undefined;
        const listed = op.options?.kind === 'ReshapeOptions' && op.options.newShape.length > 0 ? op.options.newShape : undefined;
        for (const shape of [stored, listed]) {
          if (shape !== undefined && !sameShape(resolveReshape(shape, count(x)), target)) fail(`asks for shape [${shape.join(',')}] but records its output as [${target.join(',')}]`);
        }
        outputs = [target];
        break;
      }
      case BuiltinOperator.SPLIT: {
        const axisValues = integerValues(model, constant(0, 'axis'), fail);
        const x = activation(1);
        const splits = options('SplitOptions').numSplits;
        if (axisValues.length !== 1) fail(`has ${axisValues.length} axis values`);
        const axis = axisValues[0];
        if (!(axis >= -x.length && axis < x.length)) fail(`splits along axis ${axis} of a rank-${x.length} tensor`);
        if (splits !== 1 || op.outputs.length !== 1) fail(`splits into ${splits} tensors (${op.outputs.length} outputs); the rebuilt graph keeps one`);
        outputs = [x];
        break;
      }
      case BuiltinOperator.CONV_2D:
      case BuiltinOperator.DEPTHWISE_CONV_2D: {
        const depthwise = code.builtinCode === BuiltinOperator.DEPTHWISE_CONV_2D;
        const o = depthwise ? options('DepthwiseConv2DOptions') : options('Conv2DOptions');
        const x = activation(0);
        if (x.length !== 4) fail(`reads a rank-${x.length} tensor [${x.join(',')}], expected [batch, height, width, channels]`);
        const filter = constant(1, 'filter');
        const k = filter.shape;
        if (k.length !== 4) fail(`has a rank-${k.length} filter [${k.join(',')}]`);
        const outChannels = depthwise ? k[3] : k[0];
        if (depthwise ? k[0] !== 1 || k[3] !== x[3] : k[3] !== x[3]) fail(`has filter [${k.join(',')}] for ${x[3]} input channels`);
        if (depthwise && o.kind === 'DepthwiseConv2DOptions' && o.depthMultiplier !== 1 && o.depthMultiplier !== 0) fail(`has depth multiplier ${o.depthMultiplier}; only 1 is rebuilt`);
        const bias = optional(2, 'bias');
        if (bias !== undefined && !sameShape(bias.shape, [outChannels])) fail(`has bias [${bias.shape.join(',')}] for ${outChannels} output channels`);
        const strides = [o.strideH, o.strideW];
        if (!strides.every((s) => Number.isInteger(s) && s >= 1)) fail(`has stride ${o.strideH}×${o.strideW}; strides are positive integers`);
        if (o.dilationH !== 1 || o.dilationW !== 1) fail(`has dilation ${o.dilationH}×${o.dilationW}, only 1×1 is supported`);
        const size = [1, 2].map((axis, d) => convOutputSize(x[axis], k[axis], strides[d], o.padding));
        if (!size.every((s) => s >= 1)) fail(`has a ${k[1]}×${k[2]} VALID kernel larger than its ${x[1]}×${x[2]} input`);
        fusedActivation = o.activation;
        outputs = [[x[0], size[0], size[1], outChannels]];
        break;
      }
      case BuiltinOperator.MEAN: {
        const x = activation(0);
        const axes = integerValues(model, constant(1, 'axes'), fail).map((a) => (a < 0 ? a + x.length : a));
        if (axes.some((a) => !(a >= 0 && a < x.length)) || new Set(axes).size !== axes.length) fail(`averages over axes [${axes.join(',')}] of a rank-${x.length} tensor`);
        const keepDims = options('ReducerOptions').keepDims;
        outputs = [keepDims ? x.map((d, i) => (axes.includes(i) ? 1 : d)) : x.filter((_, i) => !axes.includes(i))];
        break;
      }
      case BuiltinOperator.FULLY_CONNECTED: {
        const o = options('FullyConnectedOptions');
        const x = activation(0);
        const weights = constant(1, 'weights');
        if (weights.shape.length !== 2) fail(`has rank-${weights.shape.length} weights [${weights.shape.join(',')}]`);
        const [units, depth] = weights.shape;
        if (count(x) !== x[0] * depth) fail(`reads [${x.join(',')}] with weights [${weights.shape.join(',')}]`);
        const bias = optional(2, 'bias');
        if (bias !== undefined && !sameShape(bias.shape, [units])) fail(`has bias [${bias.shape.join(',')}] for ${units} units`);
        if (o.weightsFormat !== 0) fail('uses shuffled weights, which are not supported');
        if (o.keepNumDims) fail('keeps its input dims, which the rebuilt graph does not');
        fusedActivation = o.activation;
        outputs = [[x[0], units]];
        break;
      }
      default:
        throw new Error(`unreachable: ${name} passed the supported-op check`);
    }
    if (fusedActivation !== '' && !['NONE', 'RELU', 'RELU6'].includes(fusedActivation)) fail(`has fused activation ${fusedActivation}, which is not supported`);
    if (op.outputs.length !== outputs.length) fail(`has ${op.outputs.length} outputs, expected ${outputs.length}`);
    op.outputs.forEach((index, k) => {
      const tensor = tensors[index];
      if (tensor === undefined) fail(`writes no tensor at output ${k}`);
      if (made.has(index) || isConstant(tensor)) fail(`writes tensor ${index}, which ${made.has(index) ? 'an earlier op wrote' : 'is a constant'}`);
      if (!sameShape(tensor.shape, outputs[k])) fail(`makes [${outputs[k].join(',')}] from its inputs, but the file records its output "${tensorLabel(tensor)}" as [${tensor.shape.join(',')}]`);
      made.set(index, outputs[k]);
    });
  }
  if (!made.has(outputIndex)) throw new ModelError(`${path}: no op writes the output tensor; ${CORRUPT_FIX}`, path);
  const logitsIndex = logitsOf(model, path);
  expectShape(path, 'logits', tensors[logitsIndex].shape, [1, classes]);
  return { logitsIndex };
}

/** The op is one the graph has, and the activations it reads and writes have types the engines read. */
function checkSupported(model: TfliteModel, op: TfliteOperator, isConstant: (tensor: TfliteTensor) => boolean, path: string): void {
  const code = model.operatorCodes[op.opcodeIndex];
  if (!SUPPORTED_OPERATORS.includes(code.builtinCode)) {
    const what = code.customCode === undefined ? code.name : `${code.name} (${code.customCode})`;
    const supported = SUPPORTED_OPERATORS.map(builtinOperatorName).join(', ');
    throw new ModelError(`${path} uses the TFLite op ${what}, which blurig-audio cannot rebuild (it rebuilds ${supported}); use the YAMNet build named in models/yamnet.json`, path);
  }
  for (const index of [...op.inputs, ...op.outputs]) {
    const tensor = model.subgraphs[0].tensors[index];
    if (tensor === undefined || isConstant(tensor) || ACTIVATION_TYPES.has(tensor.type)) continue;
    throw new ModelError(`${path}: tensor "${tensor.name}" (input or output of ${code.name}) has type ${tensor.typeName}, which blurig-audio cannot rebuild; use a float32 or int8-quantised model`, path);
  }
}

/** The values of an INT32 (or INT64) constant: shapes and axes. */
function integerValues(model: TfliteModel, tensor: TfliteTensor, fail: (problem: string) => never): number[] {
  const bytes = model.buffers[tensor.buffer];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (tensor.type === TensorType.INT32) return Array.from({ length: bytes.length / 4 }, (_, i) => view.getInt32(4 * i, true));
  if (tensor.type === TensorType.INT64) return Array.from({ length: bytes.length / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true)));
  return fail(`expects an INT32 constant, got "${tensorLabel(tensor)}" of type ${tensor.typeName}`);
}

/** TensorFlow's output size of a conv axis: SAME pads to ceil(in / stride), VALID keeps whole windows only. */
export function convOutputSize(inSize: number, kernel: number, stride: number, padding: 'SAME' | 'VALID'): number {
  return padding === 'SAME' ? Math.ceil(inSize / stride) : Math.ceil((inSize - kernel + 1) / stride);
}

/** A reshape target with its one −1 resolved against `total` values (other entries as given). */
function resolveReshape(shape: readonly number[], total: number): number[] {
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  return shape.filter((d) => d === -1).length === 1 && known > 0 ? shape.map((d) => (d === -1 ? total / known : d)) : [...shape];
}

/** The tensor the final LOGISTIC reads, looking through the quantise/dequantise identities after it. */
function logitsOf(model: TfliteModel, path: string): number {
  const subgraph = model.subgraphs[0];
  const opCode = (op: TfliteOperator): number => model.operatorCodes[op.opcodeIndex].builtinCode;
  const producer = (index: number) => subgraph.operators.find((op) => op.outputs.includes(index));
  let op = producer(subgraph.outputs[0]);
  while (op !== undefined && (opCode(op) === BuiltinOperator.DEQUANTIZE || opCode(op) === BuiltinOperator.QUANTIZE)) op = producer(op.inputs[0]);
  if (op === undefined || opCode(op) !== BuiltinOperator.LOGISTIC) {
    throw new ModelError(`${path}: the output is not a LOGISTIC of logits, so it is not a YAMNet classifier; use the YAMNet build named in models/yamnet.json`, path);
  }
  return op.inputs[0];
}

function expectShape(path: string, what: string, got: readonly number[], expected: readonly number[]): void {
  if (!sameShape(got, expected)) {
    throw new ModelError(`${path}: expected the model ${what} shape [${expected.join(',')}], got [${got.join(',')}]; use the YAMNet build named in models/yamnet.json`, path);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
