// YAMNet rebuilt in tfjs from its int8 TFLite file: float32, differentiable, any batch size.
import * as tf from '@tensorflow/tfjs-core';
import { ModelError, ShapeError } from '../errors/index.js';
import type { ClassifierModel, ExplainedFunction } from '../types.js';
import { loadClassNames } from './classMap.js';
import { TfliteGraph } from './graph.js';
import { BuiltinOperator, readTfliteFile } from './tflite/index.js';

/** Options of {@link loadYamnet}. */
export interface LoadYamnetOptions {
  /**
   * How conv layers are differentiated: 'custom' uses hand-written input gradients built from forward kernels,
   * which every backend has; 'autodiff' leaves them to tfjs (slower on wasm, and only there for comparison).
   * @default 'custom'
   */
  readonly gradients?: 'custom' | 'autodiff';
  /** Class map CSV. @default the package's models/yamnet_class_map.csv */
  readonly classMapPath?: string;
}

/** [frames, bands] of one YAMNet patch, whichever engine runs it. */
export const PATCH_SHAPE = [96, 64] as const;
/** The model's display name in reports, whichever engine runs it. */
export const YAMNET_NAME = 'YAMNet (int8 TFLite build)';

/** The rebuilt classifier. Weights live on the backend active at load; call {@link YamnetModel.dispose} when done. */
export class YamnetModel implements ClassifierModel {
  readonly name = YAMNET_NAME;
  readonly engine = 'tfjs';
  readonly inputShape: readonly [number, number] = PATCH_SHAPE;
  private disposed = false;

  /** @internal use {@link loadYamnet}. */
  constructor(
    readonly path: string,
    readonly classNames: readonly string[],
    private readonly graph: TfliteGraph,
    private readonly logitsIndex: number,
  ) {}

  /** Logits [B, 521] of a batch of log-mel patches [B, 96, 64]: the FULLY_CONNECTED output before the sigmoid. */
  logits(x: tf.Tensor3D): tf.Tensor2D {
    this.check(x);
    return tf.tidy(() => this.graph.evaluate(x, this.logitsIndex)) as tf.Tensor2D; // [B, 521]
  }

  /** Sigmoid scores [B, 521] of a batch of log-mel patches [B, 96, 64]. */
  scores(x: tf.Tensor3D): tf.Tensor2D {
    this.check(x);
    return tf.tidy(() => this.graph.evaluate(x, this.graph.outputIndex)) as tf.Tensor2D; // [B, 521]
  }

  async logitsOf(patches: Float32Array, count: number): Promise<Float32Array> {
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

  dispose(): void {
    if (!this.disposed) this.graph.dispose();
    this.disposed = true;
  }

  private check(x: tf.Tensor): void {
    if (this.disposed) throw new ModelError(`The model ${this.path} was disposed; load it again`, this.path);
    if (x.rank !== 3) throw new ShapeError('patch batch', [null, ...PATCH_SHAPE], x.shape);
    if (x.shape[1] !== PATCH_SHAPE[0] || x.shape[2] !== PATCH_SHAPE[1]) throw new ShapeError('patch', PATCH_SHAPE, x.shape.slice(1));
    if (x.dtype !== 'float32') throw new ModelError(`Expected float32 patches, got ${x.dtype}; cast them first`, this.path);
  }
}

/** Reads a YAMNet .tflite file, rebuilds it on the active backend, checks its shapes and warms it up once. */
export async function loadYamnet(modelPath: string, options: LoadYamnetOptions = {}): Promise<YamnetModel> {
  const [file, classNames] = await Promise.all([readTfliteFile(modelPath), loadClassNames(options.classMapPath)]);
  const graph = TfliteGraph.build(file, modelPath, options.gradients ?? 'custom');
  try {
    const { tensors } = graph.subgraph;
    const input = tensors[graph.inputIndex];
    const output = tensors[graph.outputIndex];
    expectShape(modelPath, 'input', input.shape, [1, ...PATCH_SHAPE]);
    expectShape(modelPath, 'output', output.shape, [1, classNames.length]);
    const model = new YamnetModel(modelPath, classNames, graph, logitsOf(graph, modelPath));
    tf.tidy(() => void model.logits(tf.zeros([1, ...PATCH_SHAPE])));
    return model;
  } catch (error) {
    graph.dispose();
    throw error;
  }
}

/** The tensor the final LOGISTIC reads, looking through the quantise/dequantise identities around it. */
function logitsOf(graph: TfliteGraph, path: string): number {
  const identities = new Set<number>([BuiltinOperator.DEQUANTIZE, BuiltinOperator.QUANTIZE]);
  let producer = graph.producer(graph.outputIndex);
  while (producer !== undefined && identities.has(producer.builtinCode)) producer = graph.producer(producer.inputs[0]);
  if (producer?.builtinCode !== BuiltinOperator.LOGISTIC) {
    throw new ModelError(`${path}: the output is not a LOGISTIC of logits, so it is not a YAMNet classifier; use the YAMNet build named in models/yamnet.json`, path);
  }
  return producer.inputs[0];
}

function expectShape(path: string, what: string, got: readonly number[], expected: readonly number[]): void {
  if (got.length !== expected.length || got.some((d, i) => d !== expected[i])) {
    throw new ModelError(`${path}: expected the model ${what} shape [${expected.join(',')}], got [${got.join(',')}]; use the YAMNet build named in models/yamnet.json`, path);
  }
}
