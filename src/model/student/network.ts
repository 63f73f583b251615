// The student's forward pass as tfjs ops: per-frame dense layers over a frame context (optionally averaged over time), mean+max pooling, a linear head.
import * as tf from '@tensorflow/tfjs-core';

/** One per-frame layer: dense over `contextFrames` frames spaced `dilationFrames` apart, ReLU, `width` outputs. */
export interface StudentLayer {
  readonly width: number;
  /** Frames of the layer below that one output frame sees: t, t + d, …, t + (contextFrames − 1)·d. */
  readonly contextFrames: number;
  /** Spacing d of those frames (1: consecutive). Larger spacings let upper layers see rhythm (beeps, sirens' sweeps). */
  readonly dilationFrames: number;
  /**
   * Frames averaged into one after the ReLU (non-overlapping windows; a remainder at the end is dropped), so the
   * layers above see longer stretches of time at the same cost: rhythm and sweeps over tenths of a second.
   * @default 1 (no averaging)
   */
  readonly poolFrames?: number;
}

/** The student's architecture, as models/student/student.json states it. */
export interface StudentArchitecture {
  /** Always `tdnn`: a time-delay network, dense layers over dilated frame contexts, mean and max pooled over time. */
  readonly kind: 'tdnn';
  /** The per-frame layers, input side first. */
  readonly layers: readonly StudentLayer[];
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
  /**
   * Per-frame layers, then the head ([2 × last width] → classes), each { kernel, bias }. A per-frame kernel is
   * [contextFrames × width below, width]: rows k·D … (k+1)·D − 1 multiply the frame k·dilationFrames later.
   */
  readonly layers: readonly { readonly kernel: Float32Array; readonly bias: Float32Array }[];
}

/** The shapes of every weight of an architecture, in the order of {@link StudentWeights.layers}: kernel [in, out]. */
export function layerShapes(architecture: StudentArchitecture): [number, number][] {
  const shapes: [number, number][] = [];
  let below = architecture.inputShape[1];
  for (const layer of architecture.layers) {
    shapes.push([layer.contextFrames * below, layer.width]);
    below = layer.width;
  }
  shapes.push([2 * below, architecture.classes]);
  return shapes;
}

/** Frames a layer computes from `framesIn` frames below, before its time averaging. */
export function denseFrames(layer: StudentLayer, framesIn: number): number {
  return framesIn - (layer.contextFrames - 1) * layer.dilationFrames;
}

/** Frames out of each per-frame layer (after its time averaging), input first: [96, …, frames pooled by the head]. */
export function framesPerLayer(architecture: StudentArchitecture): number[] {
  const frames = [architecture.inputShape[0]];
  for (const layer of architecture.layers) frames.push(Math.floor(denseFrames(layer, frames[frames.length - 1]) / (layer.poolFrames ?? 1)));
  return frames;
}

/** Input frames one top frame depends on: down from the top, a pool p widens a span n to n·p, a context to n + (c − 1)·d. */
export function receptiveFrames(architecture: StudentArchitecture): number {
  return architecture.layers.reduceRight((span, l) => span * (l.poolFrames ?? 1) + (l.contextFrames - 1) * l.dilationFrames, 1);
}

/** Why an architecture cannot be built (bad widths, contexts, or a receptive field wider than a patch), or null. */
export function architectureProblem(architecture: StudentArchitecture): string | null {
  const { layers, classes, inputShape } = architecture;
  const whole = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 1;
  if (!Array.isArray(inputShape) || inputShape.length !== 2 || !inputShape.every(whole)) return 'the input shape must be [frames, bands]';
  if (!Array.isArray(layers) || layers.length === 0) return 'the architecture has no layers';
  if (!layers.every((l) => whole(l.width) && whole(l.contextFrames) && whole(l.dilationFrames) && whole(l.poolFrames ?? 1)) || !whole(classes)) return 'layer widths, contexts, dilations and pools must be whole numbers ≥ 1';
  const frames = framesPerLayer(architecture);
  if (frames.some((n) => n < 1)) return `the layers see ${receptiveFrames(architecture)} frames, more than a patch's ${frames[0]}`;
  return null;
}

/** Rows [from, to) of a row-major [rows × cols] kernel. */
function rows(kernel: Float32Array, cols: number, from: number, to: number): Float32Array {
  return kernel.slice(from * cols, to * cols);
}

/** A [rows, cols] kernel as a tensor and its transpose (so the backward pass never asks for a transposed product). */
interface KernelPair {
  readonly kernel: tf.Tensor2D;
  readonly transposed: tf.Tensor2D;
}

function kernelPair(values: Float32Array, shape: [number, number]): KernelPair {
  const kernel = tf.tensor2d(values, shape);
  return { kernel, transposed: tf.tidy(() => tf.transpose(kernel)) as tf.Tensor2D };
}

/**
 * The weights as tensors, arranged for the forward and backward passes: each per-frame kernel split into one
 * [below, width] block per context frame, the head into its mean and max halves, every kernel also transposed.
 * Owned by whoever called {@link StudentTensors.create}.
 */
export class StudentTensors {
  private constructor(
    readonly architecture: StudentArchitecture,
    readonly mean: tf.Tensor1D,
    readonly invStd: tf.Tensor1D,
    /** Per-frame layers: context frame k's block of the kernel [below, width] (and transpose), and the bias. */
    readonly frameLayers: readonly { readonly blocks: readonly KernelPair[]; readonly bias: tf.Tensor1D }[],
    /** The head's rows for the mean and the max pool, [H, C] each (and transposes), and its bias. */
    readonly head: { readonly mean: KernelPair; readonly max: KernelPair; readonly bias: tf.Tensor1D },
  ) {}

  static create(weights: StudentWeights): StudentTensors {
    const { architecture } = weights;
    const shapes = layerShapes(architecture);
    const frameLayers = architecture.layers.map((layer, i) => {
      const below = shapes[i][0] / layer.contextFrames;
      const { kernel, bias } = weights.layers[i];
      const blocks = Array.from({ length: layer.contextFrames }, (_u, k) => kernelPair(rows(kernel, layer.width, k * below, (k + 1) * below), [below, layer.width]));
      return { blocks, bias: tf.tensor1d(bias) };
    });
    const last = shapes.length - 1;
    const [pooled, classes] = shapes[last];
    const width = pooled / 2;
    const headKernel = weights.layers[last].kernel;
    const head = {
      mean: kernelPair(rows(headKernel, classes, 0, width), [width, classes]),
      max: kernelPair(rows(headKernel, classes, width, pooled), [width, classes]),
      bias: tf.tensor1d(weights.layers[last].bias),
    };
    return new StudentTensors(architecture, tf.tensor1d(weights.mean), tf.tensor1d(weights.std.map((s) => 1 / s)), frameLayers, head);
  }

  dispose(): void {
    const pairs = [...this.frameLayers.flatMap((l) => l.blocks), this.head.mean, this.head.max];
    tf.dispose([this.mean, this.invStd, ...pairs.flatMap((p) => [p.kernel, p.transposed]), ...this.frameLayers.map((l) => l.bias), this.head.bias]);
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
  const { layers } = w.architecture;
  return tf.customGrad(((x: tf.Tensor3D, save: tf.GradSaveFunc) => {
    const batch = x.shape[0];
    const frames = framesPerLayer(w.architecture);
    // Layer i: a[t] = relu(Σ_k below[t + k·d_i] · W_{i,k} + b_i), then (pool p_i > 1) the mean of each p_i frames.
    const activations: tf.Tensor3D[] = [];
    let below = tf.mul(tf.sub(x, w.mean), w.invStd) as tf.Tensor3D; // [B, T, F]
    layers.forEach((layer, i) => {
      const out = denseFrames(layer, frames[i]);
      const depth = below.shape[2];
      const products = w.frameLayers[i].blocks.map(({ kernel }, k) => tf.matMul(tf.reshape(tf.slice(below, [0, k * layer.dilationFrames, 0], [batch, out, depth]), [batch * out, depth]), kernel)); // each [B·T', H]
      const activation = tf.reshape(tf.relu(tf.add(tf.addN(products), w.frameLayers[i].bias)), [batch, out, layer.width]) as tf.Tensor3D; // [B, T', H]
      activations.push(activation);
      below = timeMean(activation, layer.poolFrames ?? 1); // [B, T'/p, H]
    });
    const top = below; // [B, T_L, H]
    const meanPool = tf.mean(top, 1) as tf.Tensor2D; // [B, H]
    const maxPool = tf.max(top, 1) as tf.Tensor2D; // [B, H]
    const logits = tf.add(tf.add(tf.matMul(meanPool, w.head.mean.kernel), tf.matMul(maxPool, w.head.max.kernel)), w.head.bias) as tf.Tensor2D; // [B, C]
    save([...activations, top, maxPool]);
    return {
      value: logits,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const acts = saved.slice(0, -2) as tf.Tensor3D[];
        const last = saved[saved.length - 2] as tf.Tensor3D; // [B, T_L, H]
        const dMean = tf.matMul(dy, w.head.mean.transposed); // [B, H]
        const dMax = tf.matMul(dy, w.head.max.transposed); // [B, H]
        // Max: every frame equal to the maximum receives dMax (ties as tfjs's own max gradient treats them).
        const isMax = tf.cast(tf.equal(last, tf.expandDims(saved[saved.length - 1], 1)), 'float32'); // [B, T_L, H]
        let g: tf.Tensor3D = tf.add(tf.expandDims(tf.div(dMean, last.shape[1]), 1), tf.mul(isMax, tf.expandDims(dMax, 1))) as tf.Tensor3D; // [B, T_L, H]
        for (let i = layers.length - 1; i >= 0; i--) {
          const { contextFrames, dilationFrames, width } = layers[i];
          const inFrames = frames[i];
          const out = acts[i].shape[1];
          const pre = tf.reshape(tf.mul(timeMeanBackward(g, layers[i].poolFrames ?? 1, out), tf.step(acts[i])), [batch * out, width]); // [B·T', H]
          const span = (contextFrames - 1) * dilationFrames;
          g = tf.addN(
            w.frameLayers[i].blocks.map(({ transposed }, k) => {
              const part = tf.reshape(tf.matMul(pre, transposed), [batch, out, transposed.shape[1]]); // [B, T', D]
              return tf.pad(part, [[0, 0], [k * dilationFrames, span - k * dilationFrames], [0, 0]]); // [B, T, D]
            }),
          ) as tf.Tensor3D;
          if (g.shape[1] !== inFrames) throw new Error(`student backward pass: ${g.shape[1]} frames, expected ${inFrames}`);
        }
        return [tf.mul(g, w.invStd)]; // [B, T, F]
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor3D) => tf.Tensor2D;
}

/** The mean of each `pool` consecutive frames of [B, T, H] (a remainder of T mod pool frames at the end is dropped). */
function timeMean(x: tf.Tensor3D, pool: number): tf.Tensor3D {
  if (pool === 1) return x;
  const [batch, frames, width] = x.shape;
  const kept = Math.floor(frames / pool);
  return tf.mean(tf.reshape(tf.slice(x, [0, 0, 0], [batch, kept * pool, width]), [batch, kept, pool, width]), 2) as tf.Tensor3D; // [B, T/p, H]
}

/** The gradient of {@link timeMean}: each pooled frame's gradient / pool to its frames, zero on the dropped remainder. */
function timeMeanBackward(g: tf.Tensor3D, pool: number, frames: number): tf.Tensor3D {
  if (pool === 1) return g;
  const [batch, kept, width] = g.shape;
  const spread = tf.reshape(tf.tile(tf.expandDims(tf.div(g, pool), 2), [1, 1, pool, 1]), [batch, kept * pool, width]); // [B, T/p·p, H]
  return tf.pad(spread, [[0, 0], [0, frames - kept * pool], [0, 0]]) as tf.Tensor3D; // [B, T, H]
}
