// YAMNet rebuilt in tfjs from its int8 TFLite file: float32, differentiable, any batch size.
import * as tf from '@tensorflow/tfjs-core';
import { ModelError, ShapeError } from '../errors/index.js';
import { loadClassNames } from './classMap.js';
import { TfliteGraph } from './graph.js';
import { PATCH_SHAPE, TfjsClassifier } from './tfjsClassifier.js';
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

export { PATCH_SHAPE } from './tfjsClassifier.js';
/** The model's display name in reports, whichever engine runs it. */
export const YAMNET_NAME = 'YAMNet (int8 TFLite build)';

/** The rebuilt classifier. Weights live on the backend active at load; call {@link YamnetModel.dispose} when done. */
export class YamnetModel extends TfjsClassifier {
  readonly name = YAMNET_NAME;

  /** @internal use {@link loadYamnet}. */
  constructor(
    path: string,
    classNames: readonly string[],
    private readonly graph: TfliteGraph,
    private readonly logitsIndex: number,
  ) {
    super(path, classNames);
  }

  /** Logits [B, 521] of a batch of log-mel patches [B, 96, 64]: the FULLY_CONNECTED output before the sigmoid. */
  logits(x: tf.Tensor3D): tf.Tensor2D {
    this.check(x);
    return tf.tidy(() => this.graph.evaluate(x, this.logitsIndex)) as tf.Tensor2D; // [B, 521]
  }

  /** Sigmoid scores [B, 521] of a batch of log-mel patches [B, 96, 64]: the graph's own LOGISTIC output. */
  override scores(x: tf.Tensor3D): tf.Tensor2D {
    this.check(x);
    return tf.tidy(() => this.graph.evaluate(x, this.graph.outputIndex)) as tf.Tensor2D; // [B, 521]
  }

  protected release(): void {
    this.graph.dispose();
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
