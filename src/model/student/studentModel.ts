// The distilled student as a ClassifierModel: a small tfjs network with YAMNet's input, classes and target() semantics.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ModelError, ShapeError } from '../../errors/index.js';
import { packagePath } from '../../packageFiles.js';
import type { ClassifierModel, ExplainedFunction } from '../../types.js';
import { loadClassNames } from '../classMap.js';
import { PATCH_SHAPE } from '../yamnet.js';
import { StudentTensors, studentLogits } from './network.js';
import { decodeStudent, type StudentManifest } from './weightsFile.js';

/** The student's display name in reports. */
export const STUDENT_NAME = 'blurig student (distilled from YAMNet)';

/** The student's weights shipped with the package. */
export function defaultStudentPath(): string {
  return packagePath('models', 'student', 'student.json');
}

/** The distilled student. Weights live on the tfjs backend active at load; call {@link StudentModel.dispose} when done. */
export class StudentModel implements ClassifierModel {
  readonly name = STUDENT_NAME;
  readonly engine = 'tfjs';
  readonly inputShape: readonly [number, number] = PATCH_SHAPE;
  private disposed = false;

  /** @internal use {@link loadStudent}. */
  constructor(
    readonly path: string,
    readonly classNames: readonly string[],
    readonly manifest: StudentManifest,
    private readonly weights: StudentTensors,
  ) {}

  /** Logits [B, 521] of log-mel patches [B, 96, 64]. */
  logits(x: tf.Tensor3D): tf.Tensor2D {
    this.check(x);
    return studentLogits(x, this.weights); // [B, 521]
  }

  /** Sigmoid scores [B, 521] of log-mel patches [B, 96, 64]. */
  scores(x: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.logits(x))); // [B, 521]
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

  /** As {@link YamnetModel.target}: the chosen classes' logits or scores, [B] when `single`, else [B, K]. */
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

  dispose(): void {
    if (!this.disposed) this.weights.dispose();
    this.disposed = true;
  }

  private check(x: tf.Tensor): void {
    if (this.disposed) throw new ModelError(`The model ${this.path} was disposed; load it again`, this.path);
    if (x.rank !== 3) throw new ShapeError('patch batch', [null, ...PATCH_SHAPE], x.shape);
    if (x.shape[1] !== PATCH_SHAPE[0] || x.shape[2] !== PATCH_SHAPE[1]) throw new ShapeError('patch', PATCH_SHAPE, x.shape.slice(1));
    if (x.dtype !== 'float32') throw new ModelError(`Expected float32 patches, got ${x.dtype}; cast them first`, this.path);
  }
}

/** Reads student.json and its weights (default: the package's models/student/), builds the network and warms it up. */
export async function loadStudent(path: string = defaultStudentPath(), options: { readonly classMapPath?: string } = {}): Promise<StudentModel> {
  let manifest: StudentManifest;
  let bin: Uint8Array;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as StudentManifest;
    bin = await readFile(join(dirname(path), manifest.weights));
  } catch (error) {
    throw new ModelError(`Cannot read the student model ${path}: ${(error as Error).message}`, path, { cause: error });
  }
  const weights = decodeStudent(manifest, bin);
  if (typeof weights === 'string') throw new ModelError(`${path}: ${weights}`, path);
  const classNames = await loadClassNames(options.classMapPath);
  const { inputShape, classes } = weights.architecture;
  if (inputShape[0] !== PATCH_SHAPE[0] || inputShape[1] !== PATCH_SHAPE[1]) throw new ModelError(`${path}: expected the model input shape [96,64], got [${inputShape.join(',')}]`, path);
  if (classes !== classNames.length) throw new ModelError(`${path}: the model has ${classes} classes, the class map ${classNames.length}`, path);
  const model = new StudentModel(path, classNames, manifest, StudentTensors.create(weights));
  tf.tidy(() => void model.logits(tf.zeros([1, ...PATCH_SHAPE])));
  return model;
}
