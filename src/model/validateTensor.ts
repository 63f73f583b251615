// Checks one TFLite tensor on its own (shape, size, byte count, quantisation parameters), whichever op uses it (pure).
import { ModelError } from '../errors/index.js';
import { TensorType, type TfliteModel, type TfliteTensor } from './tflite/index.js';

/** The fix every "this file is damaged" message ends with. */
export const CORRUPT_FIX = 'the file is damaged or not the YAMNet build: fetch it again (`blurig model pull`) or pass the YAMNet .tflite with --model';

/**
 * Most elements any one tensor may have: 2^24 (16.8 M). YAMNet's largest is the last 1×1 conv kernel (1 048 576);
 * a shape past this is a damaged dimension, and building it would allocate gigabytes.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 24;

/** Bytes per element of the constant types the engines read. */
export const BYTES_PER_ELEMENT: Readonly<Record<number, number>> = {
  [TensorType.FLOAT32]: 4,
  [TensorType.INT32]: 4,
  [TensorType.UINT8]: 1,
  [TensorType.INT8]: 1,
  [TensorType.INT16]: 2,
  [TensorType.INT64]: 8,
};

/**
 * Zero points each integer type may carry: the type's range for 8-bit values, and 0 for int16 and the int32/int64
 * of biases, which the TFLite quantisation spec makes symmetric.
 */
const ZERO_POINT_RANGE: Readonly<Record<number, readonly [number, number]>> = {
  [TensorType.INT8]: [-128, 127],
  [TensorType.UINT8]: [0, 255],
  [TensorType.INT16]: [0, 0],
  [TensorType.INT32]: [0, 0],
  [TensorType.INT64]: [0, 0],
};

/** Type, rank, dimensions, size and quantisation of one tensor, whichever op uses it. */
export function checkTensor(tensor: TfliteTensor, constant: boolean, model: TfliteModel, path: string): void {
  const fail = (t: TfliteTensor, problem: string): never => {
    throw new ModelError(`${path}: tensor "${tensorLabel(t)}" (#${t.index}) ${problem}; ${CORRUPT_FIX}`, path);
  };
  const { shape } = tensor;
  if (shape.length > 4) fail(tensor, `has rank ${shape.length} [${shape.join(',')}]; the graph uses at most 4`);
  if (!shape.every((d) => Number.isInteger(d) && d >= 1)) fail(tensor, `has shape [${shape.join(',')}]; dimensions are positive integers`);
  if (count(shape) > MAX_TENSOR_ELEMENTS) fail(tensor, `has shape [${shape.join(',')}], ${count(shape)} values, over the ${MAX_TENSOR_ELEMENTS} any tensor here may have`);
  if (constant) {
    const size = BYTES_PER_ELEMENT[tensor.type];
    if (size === undefined) fail(tensor, `is a constant of type ${tensor.typeName}, which blurig-audio cannot rebuild`);
    const bytes = model.buffers[tensor.buffer].length;
    if (bytes !== count(shape) * size) fail(tensor, `holds ${bytes} bytes, expected ${count(shape) * size} for ${tensor.typeName} [${shape.join(',')}]`);
  }
  const q = tensor.quantization;
  const range = ZERO_POINT_RANGE[tensor.type];
  if (q === undefined || range === undefined) return; // float tensors ignore quantisation parameters
  const bad = q.scale.findIndex((s) => !(Number.isFinite(s) && s > 0));
  if (bad >= 0) fail(tensor, `has quantisation scale ${q.scale[bad]} (channel ${bad}); scales are finite and positive`);
  if (q.zeroPoint.length !== 0 && q.zeroPoint.length !== q.scale.length) fail(tensor, `has ${q.zeroPoint.length} zero points for ${q.scale.length} scales`);
  const zp = q.zeroPoint.findIndex((z) => !(Number.isInteger(z) && z >= range[0] && z <= range[1]));
  if (zp >= 0) {
    const allowed = range[0] === range[1] ? `where ${tensor.typeName} needs ${range[0]}` : `outside ${range[0]}…${range[1]} for ${tensor.typeName}`;
    fail(tensor, `has zero point ${q.zeroPoint[zp]} (channel ${zp}), ${allowed}`);
  }
  if (q.scale.length > 1) {
    const axis = q.quantizedDimension;
    if (!(Number.isInteger(axis) && axis >= 0 && axis < shape.length)) fail(tensor, `is quantised along axis ${axis} of a rank-${shape.length} tensor`);
    if (shape[axis] !== q.scale.length) fail(tensor, `has ${q.scale.length} scales for ${shape[axis]} channels along axis ${axis}`);
  }
}

/**
 * A tensor's name for messages: converters join every name a fused tensor had with `;` (YAMNet's run to 300
 * characters), so the first one, which names the layer.
 */
export function tensorLabel(tensor: TfliteTensor): string {
  const first = tensor.name.split(';')[0];
  return first.length > 80 ? `${first.slice(0, 80)}…` : first;
}

/** Values a tensor of `shape` holds. */
export function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
