// What every classifier built from tfjs ops shares (the rebuilt YAMNet, the student): shape checks, logits of row-major
// batches, the explained function of chosen classes, and disposal.
import * as tf from '@tensorflow/tfjs-core';
import { ModelError, ShapeError } from '../errors/index.js';
import type { ClassifierModel, ExplainedFunction } from '../types.js';

/** [frames, bands] of one YAMNet patch, whichever model and engine run it. */
export const PATCH_SHAPE = [96, 64] as const;

/** A {@link ClassifierModel} whose network is tfjs ops on the backend active at load; subclasses give `logits`. */
export abstract class TfjsClassifier implements ClassifierModel {
  abstract readonly name: string;
  readonly engine = 'tfjs';
  readonly inputShape: readonly [number, number] = PATCH_SHAPE;
  private disposed = false;

  protected constructor(
    readonly path: string,
    readonly classNames: readonly string[],
  ) {}

  /** Logits [B, classes] of log-mel patches [B, 96, 64] (checked first with {@link TfjsClassifier.check}). */
  abstract logits(x: tf.Tensor3D): tf.Tensor2D;

  /** Sigmoid scores [B, classes] of log-mel patches [B, 96, 64]. */
  scores(x: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.logits(x))); // [B, classes]
  }

  async logitsOf(patches: Float32Array, count: number): Promise<Float32Array> {
    if (patches.length !== count * PATCH_SHAPE[0] * PATCH_SHAPE[1]) throw new ShapeError('patch batch', [count, ...PATCH_SHAPE], [patches.length]);
    const logits = tf.tidy(() => this.logits(tf.tensor3d(patches, [count, ...PATCH_SHAPE]))); // [count, classes]
    try {
      return (await logits.data()) as Float32Array;
    } finally {
      logits.dispose();
    }
  }

  target(indices: readonly number[], output: 'logit' | 'score', single: boolean): ExplainedFunction {
    const classes = this.classNames.length;
    // A one-hot [classes × K] product selects the columns: gather's gradient needs UnsortedSegmentSum, which wasm lacks.
    const selection = new Float32Array(classes * indices.length);
    indices.forEach((c, k) => (selection[c * indices.length + k] = 1));
    return (inputs) => {
      const all = output === 'logit' ? this.logits(inputs) : this.scores(inputs); // [B, classes]
      const chosen = tf.matMul(all, tf.tensor2d(selection, [classes, indices.length])) as tf.Tensor2D; // [B, K]
      return single ? (tf.squeeze(chosen, [1]) as tf.Tensor1D) : chosen; // [B] or [B, K]
    };
  }

  /** Frees the weights; the model refuses to run afterwards. Idempotent. */
  dispose(): void {
    if (!this.disposed) this.release();
    this.disposed = true;
  }

  /** Frees the subclass's tensors, once. */
  protected abstract release(): void;

  /** Throws the error a wrong input (or a disposed model) deserves. */
  protected check(x: tf.Tensor): void {
    if (this.disposed) throw new ModelError(`The model ${this.path} was disposed; load it again`, this.path);
    if (x.rank !== 3) throw new ShapeError('patch batch', [null, ...PATCH_SHAPE], x.shape);
    if (x.shape[1] !== PATCH_SHAPE[0] || x.shape[2] !== PATCH_SHAPE[1]) throw new ShapeError('patch', PATCH_SHAPE, x.shape.slice(1));
    if (x.dtype !== 'float32') throw new ModelError(`Expected float32 patches, got ${x.dtype}; cast them first`, this.path);
  }
}
