// The student's forward pass as tfjs ops: per-frame dense layers over a frame context, mean+max pooling, a linear head.
import * as tf from '@tensorflow/tfjs-core';

/** The student's architecture, as models/student/student.json states it. */
export interface StudentArchitecture {
  /** Always `frame-mlp`: dense layers applied to every window of `contextFrames` frames, pooled over time. */
  readonly kind: 'frame-mlp';
  /** Consecutive frames each per-frame unit sees (its input is contextFrames × 64 values). */
  readonly contextFrames: number;
  /** Widths of the per-frame ReLU layers, in order. */
  readonly hidden: readonly number[];
  /** Output classes (521, YAMNet's). */
  readonly classes: number;
  /** [frames, bands] of a patch: [96, 64]. */
  readonly inputShape: readonly [number, number];
}

/** Weights as row-major float32 arrays: a dense kernel is [in × out], so y = x·W + b. */
export interface StudentWeights {
  readonly architecture: StudentArchitecture;
  /** Per-band input normalisation: z = (x − mean[f]) / std[f]; [64] each. */
  readonly mean: Float32Array;
  readonly std: Float32Array;
  /** Per-frame layers, then the head ([2 × last hidden] → classes), each { kernel, bias }. */
  readonly layers: readonly { readonly kernel: Float32Array; readonly bias: Float32Array }[];
}

/** The shapes of every weight of an architecture, in the order of {@link StudentWeights.layers}: kernel [in, out]. */
export function layerShapes(architecture: StudentArchitecture): [number, number][] {
  const bands = architecture.inputShape[1];
  const widths = [architecture.contextFrames * bands, ...architecture.hidden];
  const shapes: [number, number][] = widths.slice(1).map((out, i) => [widths[i], out]);
  shapes.push([2 * widths[widths.length - 1], architecture.classes]);
  return shapes;
}

/** Rows [from, to) of a row-major [rows × cols] kernel. */
function rows(kernel: Float32Array, cols: number, from: number, to: number): Float32Array {
  return kernel.slice(from * cols, to * cols);
}

/**
 * The weights as tensors, arranged for the forward and backward passes: the first kernel split into one [F, H]
 * block per context frame, the head into its mean and max halves, and every kernel also transposed (so the backward
 * pass never asks a backend for a transposed product). Owned by whoever called {@link StudentTensors.create}.
 */
export class StudentTensors {
  private constructor(
    readonly architecture: StudentArchitecture,
    readonly mean: tf.Tensor1D,
    readonly invStd: tf.Tensor1D,
    /** Context frame k's block of the first kernel [F, H1] and its transpose, and the first layer's bias. */
    readonly first: { readonly blocks: readonly { readonly kernel: tf.Tensor2D; readonly transposed: tf.Tensor2D }[]; readonly bias: tf.Tensor1D },
    /** The other per-frame layers: kernel [in, out], its transpose, bias. */
    readonly frameLayers: readonly { readonly kernel: tf.Tensor2D; readonly transposed: tf.Tensor2D; readonly bias: tf.Tensor1D }[],
    /** The head's rows for the mean and the max pool, [H, C] each, their transposes, and its bias. */
    readonly head: { readonly mean: tf.Tensor2D; readonly max: tf.Tensor2D; readonly meanT: tf.Tensor2D; readonly maxT: tf.Tensor2D; readonly bias: tf.Tensor1D },
  ) {}

  static create(weights: StudentWeights): StudentTensors {
    const shapes = layerShapes(weights.architecture);
    const { contextFrames, inputShape } = weights.architecture;
    const bands = inputShape[1];
    const both = (values: Float32Array, [r, c]: [number, number]) => ({ kernel: tf.tensor2d(values, [r, c]), transposed: tf.tidy(() => tf.transpose(tf.tensor2d(values, [r, c]))) as tf.Tensor2D });
    const h1 = shapes[0][1];
    const blocks = Array.from({ length: contextFrames }, (_u, k) => both(rows(weights.layers[0].kernel, h1, k * bands, (k + 1) * bands), [bands, h1]));
    const last = shapes.length - 1;
    const frameLayers = weights.layers.slice(1, last).map((layer, i) => ({ ...both(layer.kernel, shapes[i + 1]), bias: tf.tensor1d(layer.bias) }));
    const [pooled, classes] = shapes[last];
    const width = pooled / 2;
    const headKernel = weights.layers[last].kernel;
    const mean = both(rows(headKernel, classes, 0, width), [width, classes]);
    const max = both(rows(headKernel, classes, width, pooled), [width, classes]);
    return new StudentTensors(weights.architecture, tf.tensor1d(weights.mean), tf.tensor1d(weights.std.map((s) => 1 / s)), { blocks, bias: tf.tensor1d(weights.layers[0].bias) }, frameLayers, {
      mean: mean.kernel,
      meanT: mean.transposed,
      max: max.kernel,
      maxT: max.transposed,
      bias: tf.tensor1d(weights.layers[last].bias),
    });
  }

  dispose(): void {
    const h = this.head;
    tf.dispose([this.mean, this.invStd, ...this.first.blocks.flatMap((f) => [f.kernel, f.transposed]), this.first.bias, ...this.frameLayers.flatMap((l) => [l.kernel, l.transposed, l.bias]), h.mean, h.max, h.meanT, h.maxT, h.bias]);
  }
}

/**
 * Logits [B, classes] of log-mel patches [B, 96, 64], differentiable in the input: a tf.customGrad whose backward
 * pass is written out with forward kernels only (matMul, step, equal, pad), so `tf.grad` of it works on every
 * backend, without relying on registered gradients for relu, max or concat.
 */
export function studentLogits(x: tf.Tensor3D, weights: StudentTensors): tf.Tensor2D {
  return tf.tidy(() => logitsWithGradient(weights)(x));
}

function logitsWithGradient(w: StudentTensors): (x: tf.Tensor3D) => tf.Tensor2D {
  const { contextFrames } = w.architecture;
  return tf.customGrad(((x: tf.Tensor3D, save: tf.GradSaveFunc) => {
    const [batch, frames, bands] = x.shape;
    const windows = frames - contextFrames + 1;
    const z = tf.mul(tf.sub(x, w.mean), w.invStd); // [B, T, F]
    // Layer 1 over each window of frames: Σ_k z[:, w + k] · W1_k.
    const products = w.first.blocks.map(({ kernel }, k) => tf.matMul(tf.reshape(tf.slice(z, [0, k, 0], [batch, windows, bands]), [batch * windows, bands]), kernel)); // each [B·W, H1]
    const activations: tf.Tensor2D[] = [tf.relu(tf.add(tf.addN(products), w.first.bias)) as tf.Tensor2D]; // [B·W, H1]
    for (const { kernel, bias } of w.frameLayers) activations.push(tf.relu(tf.add(tf.matMul(activations[activations.length - 1], kernel), bias)) as tf.Tensor2D); // [B·W, H]
    const width = activations[activations.length - 1].shape[1];
    const perFrame = tf.reshape(activations[activations.length - 1], [batch, windows, width]); // [B, W, H]
    const meanPool = tf.mean(perFrame, 1) as tf.Tensor2D; // [B, H]
    const maxPool = tf.max(perFrame, 1) as tf.Tensor2D; // [B, H]
    const logits = tf.add(tf.add(tf.matMul(meanPool, w.head.mean), tf.matMul(maxPool, w.head.max)), w.head.bias) as tf.Tensor2D; // [B, C]
    save([...activations, maxPool]);
    return {
      value: logits,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const acts = saved.slice(0, -1) as tf.Tensor2D[];
        const top = tf.reshape(acts[acts.length - 1], [batch, windows, width]); // [B, W, H]
        const dMean = tf.matMul(dy, w.head.meanT); // [B, H]
        const dMax = tf.matMul(dy, w.head.maxT); // [B, H]
        // Max: every window equal to the maximum receives dMax (ties as tfjs's own max gradient treats them).
        const isMax = tf.cast(tf.equal(top, tf.expandDims(saved[saved.length - 1], 1)), 'float32'); // [B, W, H]
        const dTop = tf.add(tf.expandDims(tf.div(dMean, windows), 1), tf.mul(isMax, tf.expandDims(dMax, 1))); // [B, W, H]
        let g: tf.Tensor2D = tf.reshape(dTop, [batch * windows, width]); // [B·W, H]
        for (let i = acts.length - 1; i >= 1; i--) g = tf.matMul(tf.mul(g, tf.step(acts[i])), w.frameLayers[i - 1].transposed); // [B·W, H_{i−1}]
        const pre = tf.mul(g, tf.step(acts[0])); // [B·W, H1]
        const dz = tf.addN(w.first.blocks.map(({ transposed }, k) => tf.pad(tf.reshape(tf.matMul(pre, transposed), [batch, windows, bands]), [[0, 0], [k, contextFrames - 1 - k], [0, 0]]))); // [B, T, F]
        return [tf.mul(dz, w.invStd)]; // [B, T, F]
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor3D) => tf.Tensor2D;
}
