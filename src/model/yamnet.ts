// YAMNet rebuilt in tfjs from its int8 TFLite file: float32, differentiable, any batch size.
import * as tf from '@tensorflow/tfjs-core';
import { loadClassNames } from './classMap.js';
import { TfliteGraph } from './graph.js';
import { PATCH_SHAPE, TfjsClassifier } from './tfjsClassifier.js';
import { checkProbeLogits, probePatch } from './probePatch.js';
import { readTfliteFile } from './tflite/index.js';
import { validateModel } from './validateModel.js';

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

/**
 * Reads a YAMNet .tflite file, checks it (validateModel: shapes, strides, quantisation), rebuilds it on the active
 * backend, and runs it once on a fixed probe patch, whose logits must all be finite. Anything wrong with the file is a
 * ModelError naming the op or tensor at fault, and leaves no tensor behind.
 */
export async function loadYamnet(modelPath: string, options: LoadYamnetOptions = {}): Promise<YamnetModel> {
  const [file, classNames] = await Promise.all([readTfliteFile(modelPath), loadClassNames(options.classMapPath)]);
  const { logitsIndex } = validateModel(file, modelPath, classNames.length);
  const graph = TfliteGraph.build(file, modelPath, options.gradients ?? 'custom');
  try {
    const logits = tf.tidy(() => graph.evaluate(tf.tensor3d(probePatch(), [1, ...PATCH_SHAPE]), logitsIndex, modelPath).dataSync());
    checkProbeLogits(logits, modelPath, 'tfjs');
    return new YamnetModel(modelPath, classNames, graph, logitsIndex);
  } catch (error) {
    graph.dispose();
    throw error;
  }
}
