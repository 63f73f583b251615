// The distilled student as a ClassifierModel: a small tfjs network with YAMNet's input, classes and target() semantics.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../../errors/index.js';
import { packagePath } from '../../packageFiles.js';
import { loadClassNames } from '../classMap.js';
import { checkProbeLogits, probePatch } from '../probePatch.js';
import { randomisedName, randomiseStudent, studentWeightLayers } from '../randomiseLayers.js';
import { PATCH_SHAPE, TfjsClassifier } from '../tfjsClassifier.js';
import { StudentTensors, studentLogits, type StudentWeights } from './network.js';
import { decodeStudent, type StudentManifest } from './weightsFile.js';

/** The student's display name in reports. */
export const STUDENT_NAME = 'blurig student (distilled from YAMNet)';

/** The student's weights shipped with the package. */
export function defaultStudentPath(): string {
  return packagePath('models', 'student', 'student.json');
}

/** The distilled student. Weights live on the tfjs backend active at load; call {@link StudentModel.dispose} when done. */
export class StudentModel extends TfjsClassifier {
  /** {@link ClassifierModel.weightLayers}: the head `logits`, then the per-frame layers top first (`layer1`, `layer0` shipped). */
  readonly weightLayers: readonly string[];
  /** The float weights the tensors were made from (0.7 MB), which randomised copies permute. */
  private host: StudentWeights | undefined;

  /** @internal use {@link loadStudent}. */
  constructor(
    path: string,
    classNames: readonly string[],
    readonly manifest: StudentManifest,
    private readonly weights: StudentTensors,
    host: StudentWeights,
    readonly name: string = STUDENT_NAME,
  ) {
    super(path, classNames);
    this.host = host;
    this.weightLayers = studentWeightLayers(host);
  }

  /**
   * {@link ClassifierModel.randomised}: the top `topLayers` layers' kernel and bias values each shuffled (seeded, see
   * randomiseStudent) in a copy of the weights, built and probed as {@link loadStudent} does. `randomised(0, seed)` is
   * an exact copy.
   */
  async randomised(topLayers: number, seed: number): Promise<StudentModel> {
    const host = this.host;
    if (host === undefined) throw new ModelError(`The model ${this.path} was disposed; load it again`, this.path);
    const copy = randomiseStudent(host, topLayers, seed);
    return buildStudent(this.path, this.classNames, this.manifest, copy, randomisedName(this.name, topLayers, this.weightLayers.length, seed));
  }

  /** Logits [B, 521] of log-mel patches [B, 96, 64]. */
  logits(x: tf.Tensor3D): tf.Tensor2D {
    this.check(x);
    return studentLogits(x, this.weights); // [B, 521]
  }

  protected release(): void {
    this.weights.dispose();
    this.host = undefined;
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
  return buildStudent(path, classNames, manifest, weights, STUDENT_NAME);
}

/** Builds the network from checked weights and runs it once on the probe patch, whose logits must all be finite. */
function buildStudent(path: string, classNames: readonly string[], manifest: StudentManifest, weights: StudentWeights, name: string): StudentModel {
  const model = new StudentModel(path, classNames, manifest, StudentTensors.create(weights), weights, name);
  try {
    checkProbeLogits(tf.tidy(() => model.logits(tf.tensor3d(probePatch(), [1, ...PATCH_SHAPE])).dataSync()), path, 'tfjs');
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
