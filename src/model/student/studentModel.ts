// The distilled student as a ClassifierModel: a small tfjs network with YAMNet's input, classes and target() semantics.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../../errors/index.js';
import { packagePath } from '../../packageFiles.js';
import { loadClassNames } from '../classMap.js';
import { PATCH_SHAPE, TfjsClassifier } from '../tfjsClassifier.js';
import { StudentTensors, studentLogits } from './network.js';
import { decodeStudent, type StudentManifest } from './weightsFile.js';

/** The student's display name in reports. */
export const STUDENT_NAME = 'blurig student (distilled from YAMNet)';

/** The student's weights shipped with the package. */
export function defaultStudentPath(): string {
  return packagePath('models', 'student', 'student.json');
}

/** The distilled student. Weights live on the tfjs backend active at load; call {@link StudentModel.dispose} when done. */
export class StudentModel extends TfjsClassifier {
  readonly name = STUDENT_NAME;

  /** @internal use {@link loadStudent}. */
  constructor(
    path: string,
    classNames: readonly string[],
    readonly manifest: StudentManifest,
    private readonly weights: StudentTensors,
  ) {
    super(path, classNames);
  }

  /** Logits [B, 521] of log-mel patches [B, 96, 64]. */
  logits(x: tf.Tensor3D): tf.Tensor2D {
    this.check(x);
    return studentLogits(x, this.weights); // [B, 521]
  }

  protected release(): void {
    this.weights.dispose();
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
