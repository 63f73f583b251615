// Turns a TFLite constant tensor into numbers: dequantised float32 weights, or plain integers for shapes and axes.
import { ModelError } from '../errors/index.js';
import type { TfliteModel, TfliteTensor } from './tflite/index.js';
import { TensorType } from './tflite/index.js';
import { BYTES_PER_ELEMENT, CORRUPT_FIX, tensorLabel } from './validateTensor.js';

/**
 * Largest |weight| accepted once dequantised: 1e6. YAMNet's largest is 24.6; past this a scale or a float was
 * damaged, and a few layers of such weights overflow float32.
 */
export const MAX_WEIGHT_MAGNITUDE = 1e6;

/** The raw bytes of a constant tensor, or undefined for an activation (empty buffer). */
export function constantBytes(model: TfliteModel, tensor: TfliteTensor): Uint8Array | undefined {
  const bytes = model.buffers[tensor.buffer];
  return bytes === undefined || bytes.length === 0 ? undefined : bytes;
}

/**
 * Float values of a constant: FLOAT32 as stored, integer types as (q − zero_point) · scale, with one scale per
 * slice along `quantizedDimension` (per output channel for conv kernels).
 */
export function dequantize(model: TfliteModel, tensor: TfliteTensor, path: string): Float32Array {
  const view = elements(model, tensor, path);
  if (tensor.type === TensorType.FLOAT32) return checkedWeights(Float32Array.from(view), tensor, path);
  const q = tensor.quantization;
  if (q === undefined) {
    throw new ModelError(`${path}: constant "${tensorLabel(tensor)}" is ${tensor.typeName} without quantisation parameters, so it has no float value; use a float or fully quantised model`, path);
  }
  const axis = q.scale.length === 1 ? 0 : q.quantizedDimension;
  const channels = q.scale.length === 1 ? 1 : tensor.shape[axis];
  if (q.scale.length !== channels) {
    throw new ModelError(`${path}: constant "${tensorLabel(tensor)}" has ${q.scale.length} scales for ${channels} channels; the file is corrupt, fetch it again`, path);
  }
  // Elements of one channel repeat every `inner` values along the flattened row-major data.
  const inner = tensor.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(view.length);
  for (let i = 0; i < view.length; i++) {
    const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
    out[i] = (view[i] - (q.zeroPoint[c] ?? 0)) * q.scale[c];
  }
  return checkedWeights(out, tensor, path);
}

/** `weights`, once every value is finite and within {@link MAX_WEIGHT_MAGNITUDE}; else a ModelError naming the first bad one. */
function checkedWeights(weights: Float32Array, tensor: TfliteTensor, path: string): Float32Array {
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    // One range test per value; NaN fails it too.
    if (!(w >= -MAX_WEIGHT_MAGNITUDE && w <= MAX_WEIGHT_MAGNITUDE)) {
      throw new ModelError(`${path}: constant "${tensorLabel(tensor)}" (#${tensor.index}) holds ${w} at element ${i}, beyond any trained weight (|w| ≤ ${MAX_WEIGHT_MAGNITUDE}); ${CORRUPT_FIX}`, path);
    }
  }
  return weights;
}

/** Integer values of an INT32 or INT64 constant (shapes, axes). */
export function integers(model: TfliteModel, tensor: TfliteTensor, path: string): number[] {
  if (tensor.type !== TensorType.INT32 && tensor.type !== TensorType.INT64) {
    throw new ModelError(`${path}: constant "${tensorLabel(tensor)}" should be INT32, got ${tensor.typeName}; use a standard TFLite model`, path);
  }
  return Array.from(elements(model, tensor, path), Number);
}

/** The stored elements in their own type (little-endian, as TFLite requires), after checking the byte count. */
function elements(model: TfliteModel, tensor: TfliteTensor, path: string): ArrayLike<number> {
  const bytes = constantBytes(model, tensor);
  const size = BYTES_PER_ELEMENT[tensor.type];
  if (size === undefined) {
    throw new ModelError(`${path}: tensor "${tensorLabel(tensor)}" has type ${tensor.typeName}, which blurig-audio cannot rebuild; use a float32 or int8 model`, path);
  }
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  if (bytes === undefined || bytes.length !== count * size) {
    throw new ModelError(`${path}: constant "${tensorLabel(tensor)}" holds ${bytes?.length ?? 0} bytes, expected ${count * size}; the file is corrupt, fetch it again`, path);
  }
  // Copy so typed views are aligned whatever the offset of the buffer in the file.
  const buffer = new Uint8Array(bytes).buffer;
  switch (tensor.type) {
    case TensorType.FLOAT32: return new Float32Array(buffer);
    case TensorType.INT32: return new Int32Array(buffer);
    case TensorType.UINT8: return new Uint8Array(buffer);
    case TensorType.INT8: return new Int8Array(buffer);
    case TensorType.INT16: return new Int16Array(buffer);
    default: return Array.from(new BigInt64Array(buffer), Number);
  }
}
