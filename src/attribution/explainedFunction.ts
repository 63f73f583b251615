// The contract every attribution method shares: the explained function, the input patch, and their checks.
import '../tfjsKernels.js';
import type { Explainable, ExplainedFunction, PatchInput } from '../types.js';
import * as tf from '@tensorflow/tfjs-core';
import { OptionError, ShapeError } from '../errors/index.js';
import { yieldToEventLoop } from './yieldToEventLoop.js';

/** A patch as row-major float32 values with its dimensions: what the methods compute on. */
export interface PatchValues {
  readonly values: Float32Array;
  readonly frames: number;
  readonly bands: number;
}

/** Normalises any {@link PatchInput} to {@link PatchValues}, checking it is a non-empty finite 2-D array. */
export function patchValues(x: PatchInput): PatchValues {
  let result: PatchValues;
  if (x instanceof tf.Tensor) {
    if (x.rank !== 2) throw new ShapeError('input patch', [null, null], x.shape);
    result = { values: Float32Array.from(x.dataSync()), frames: x.shape[0], bands: x.shape[1] };
  } else if (Array.isArray(x)) {
    const rows = x as readonly (readonly number[])[];
    const bands = rows[0]?.length ?? 0;
    if (rows.some((row) => !Array.isArray(row) || row.length !== bands)) {
      throw new OptionError('x', 'a 2-D array with rows of equal length', x);
    }
    result = { values: Float32Array.from(rows.flat()), frames: rows.length, bands };
  } else if ('logMel' in x) {
    result = { values: x.logMel, frames: x.frames, bands: x.bands };
    if (result.values.length !== result.frames * result.bands) throw new ShapeError('patch values', [result.frames * result.bands], [result.values.length]);
  } else {
    const given = x as PatchValues;
    if (given.values.length !== given.frames * given.bands) {
      throw new ShapeError('input values', [given.frames * given.bands], [given.values.length]);
    }
    result = given;
  }
  if (result.frames < 1 || result.bands < 1) throw new ShapeError('input patch', [null, null], [result.frames, result.bands]);
  if (!result.values.every(Number.isFinite)) throw new OptionError('x', 'finite numbers only', 'a value that is NaN or infinite');
  return result;
}

/** How many values `f` returns per input (1 for [B]); throws a ShapeError for any other output shape. */
export function outputWidth(output: tf.Tensor, batch: number): number {
  if (output.rank === 1 && output.shape[0] === batch) return 1;
  if (output.rank === 2 && output.shape[0] === batch) return output.shape[1] as number;
  throw new ShapeError("the explained function's output", [batch], output.shape);
}

/** Evaluates `f` (no gradient) on row-major inputs [N, T, F]: returns [N × K] values and K. */
export async function evaluate(f: Explainable, inputs: Float32Array, count: number, patch: PatchValues): Promise<{ values: Float32Array; width: number }> {
  if (typeof f !== 'function') {
    const values = await f.values(inputs, count, patch.frames, patch.bands);
    if (values.length !== count * f.outputs) throw new ShapeError("the explained function's output", [count, f.outputs], [values.length]);
    return { values, width: f.outputs };
  }
  const output = tf.tidy(() => f(tf.tensor3d(inputs, [count, patch.frames, patch.bands]))); // [N] or [N, K]
  try {
    const width = outputWidth(output, count);
    return { values: (await output.data()) as Float32Array, width };
  } finally {
    output.dispose();
  }
}

/**
 * `evaluate` on `count` inputs that `fill(n, row)` writes into a [T × F] row on demand, in calls of at most `batchSize`
 * inputs (so memory stays bounded whatever `count`), yielding to the event loop between calls: [count × K] values,
 * K, and the calls made. Every call must return the same K.
 */
export async function evaluateInBatches(
  f: Explainable,
  count: number,
  fill: (n: number, row: Float32Array) => void,
  patch: PatchValues,
  batchSize: number,
): Promise<{ values: Float32Array; width: number; calls: number }> {
  const size = patch.frames * patch.bands;
  const parts: Float32Array[] = [];
  let width = 0;
  for (let first = 0; first < count; first += batchSize) {
    const n = Math.min(batchSize, count - first);
    const inputs = new Float32Array(n * size); // [n, T, F]
    for (let i = 0; i < n; i++) fill(first + i, inputs.subarray(i * size, (i + 1) * size));
    const out = await evaluate(f, inputs, n, patch); // [n × K]
    if (first > 0 && out.width !== width) throw new Error(`the explained function returned ${width} outputs, then ${out.width}`);
    width = out.width;
    parts.push(out.values);
    await yieldToEventLoop();
  }
  const values = new Float32Array(count * width);
  parts.forEach((part, i) => values.set(part, i * batchSize * width));
  return { values, width, calls: parts.length };
}

/**
 * F_{k_b}(x_b) ([items]) and ∇F_{k_b}(x_b) ([items, T, F]) for a batch of (input, output) items, as new tensors the
 * caller disposes; `inputs` stays the caller's. Async functions see the inputs as values, tfjs ones as a tensor.
 */
export async function selectedValueAndGradient(
  f: Explainable,
  inputs: tf.Tensor3D,
  outputOf: Int32Array,
  width: number,
): Promise<{ value: tf.Tensor1D; grad: tf.Tensor3D }> {
  if (typeof f === 'function') {
    return tf.tidy(() => {
      const perItem = (x: tf.Tensor): tf.Tensor1D => selectedOutputs(f, x as tf.Tensor3D, outputOf, width); // [items]
      // With dy = 1 per item, valueAndGrad returns every item's value and the gradient of their sum.
      const { value, grad } = tf.valueAndGrad(perItem)(inputs, tf.ones([outputOf.length]));
      return { value: value as tf.Tensor1D, grad: grad as tf.Tensor3D };
    });
  }
  if (f.outputs !== width) throw new Error(`the explained function returned ${f.outputs} outputs, then ${width}`);
  const [items, frames, bands] = inputs.shape;
  const { values, gradients } = await f.gradients((await inputs.data()) as Float32Array, outputOf, frames, bands);
  if (values.length !== items || gradients.length !== items * frames * bands) {
    throw new ShapeError("the explained function's gradients", [items, frames, bands], [gradients.length]);
  }
  return { value: tf.tensor1d(values), grad: tf.tensor3d(gradients, [items, frames, bands]) };
}

/**
 * f at a batch of (input, output) items: F_{k_b}(x_b) for each item b, where `outputOf[b]` is its output column
 * ([items]). Checks f still returns `width` outputs; width 1 skips the one-hot product (oneHot needs depth ≥ 2).
 */
export function selectedOutputs(f: ExplainedFunction, inputs: tf.Tensor3D, outputOf: Int32Array, width: number): tf.Tensor1D {
  const out = f(inputs); // [items] or [items, width]
  const actual = outputWidth(out, inputs.shape[0]);
  if (actual !== width) throw new Error(`the explained function returned ${actual} outputs, then ${width}`);
  return (width === 1 ? tf.reshape(out, [-1]) : tf.sum(tf.mul(out, tf.oneHot(outputOf, width)), 1)) as tf.Tensor1D; // [items]
}
