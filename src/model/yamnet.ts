// YAMNet rebuilt in tfjs from its int8 TFLite file: float32, differentiable, any batch size.
import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../errors/index.js';
import type { FeatureMapGradients } from '../types.js';
import { loadClassNames } from './classMap.js';
import { featureMapsOf, lastConvOutput } from './featureMaps.js';
import { TfliteGraph } from './graph.js';
import { PATCH_SHAPE, TfjsClassifier } from './tfjsClassifier.js';
import { checkProbeLogits, probePatch } from './probePatch.js';
import { randomisedName, randomiseTflite, tfliteWeightLayers, type TfliteWeightLayer } from './randomiseLayers.js';
import { readTfliteFile, type TfliteModel } from './tflite/index.js';
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

/** What a randomised copy is rebuilt from: the parsed file (kept in memory, ~4 MB) and how it was built. */
interface YamnetSource {
  readonly file: TfliteModel;
  readonly gradients: 'custom' | 'autodiff';
}

/** The rebuilt classifier. Weights live on the backend active at load; call {@link YamnetModel.dispose} when done. */
export class YamnetModel extends TfjsClassifier {
  /** {@link ClassifierModel.weightLayers}: `logits`, `layer14/pointwise`, … `layer1/conv` (28 for YAMNet). */
  readonly weightLayers: readonly string[];
  private readonly layers: readonly TfliteWeightLayer[];
  private source: YamnetSource | undefined;

  /** @internal use {@link loadYamnet}. */
  constructor(
    path: string,
    classNames: readonly string[],
    private readonly graph: TfliteGraph,
    private readonly logitsIndex: number,
    source: YamnetSource,
    readonly name: string = YAMNET_NAME,
  ) {
    super(path, classNames);
    this.source = source;
    this.layers = tfliteWeightLayers(source.file);
    this.weightLayers = this.layers.map((l) => l.name);
  }

  /**
   * {@link ClassifierModel.randomised}: the top `topLayers` weighted layers' weights permuted in a copy of the parsed
   * file (see randomiseTflite: a seeded permutation of each layer's own values, quantisation kept exactly), then
   * checked, rebuilt on the active backend and probed as {@link loadYamnet} does. `randomised(0, seed)` is an exact
   * copy; the onnx engine builds the same network from the same (k, seed).
   */
  async randomised(topLayers: number, seed: number): Promise<YamnetModel> {
    const source = this.source;
    if (source === undefined) throw new ModelError(`The model ${this.path} was disposed; load it again`, this.path);
    const file = randomiseTflite(source.file, this.layers, topLayers, seed);
    return buildYamnet(file, this.path, this.classNames, source.gradients, randomisedName(this.name, topLayers, this.layers.length, seed));
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

  /** Tensor index of the last conv layer's output (layer27/conv, [1, 3, 2, 1024]), found on first use. */
  private mapsIndex: number | undefined;

  /** {@link ClassifierModel.featureMaps}: layer27/conv's maps [3 × 2 × 1024] at one patch and ∂F/∂maps for classes `indices`. */
  async featureMaps(patch: Float32Array, indices: readonly number[], output: 'logit' | 'score'): Promise<FeatureMapGradients> {
    this.mapsIndex ??= lastConvOutput(this.graph, this.logitsIndex, this.path);
    return featureMapsOf(this.graph, this.mapsIndex, output === 'logit' ? this.logitsIndex : this.graph.outputIndex, patch, indices, (x) => this.check(x));
  }

  protected release(): void {
    this.graph.dispose();
    this.source = undefined;
  }
}

/**
 * Reads a YAMNet .tflite file, checks it (validateModel: shapes, strides, quantisation), rebuilds it on the active
 * backend, and runs it once on a fixed probe patch, whose logits must all be finite. Anything wrong with the file is a
 * ModelError naming the op or tensor at fault, and leaves no tensor behind.
 */
export async function loadYamnet(modelPath: string, options: LoadYamnetOptions = {}): Promise<YamnetModel> {
  const [file, classNames] = await Promise.all([readTfliteFile(modelPath), loadClassNames(options.classMapPath)]);
  return buildYamnet(file, modelPath, classNames, options.gradients ?? 'custom', YAMNET_NAME);
}

/** Checks, rebuilds and probes a parsed file: the part of {@link loadYamnet} a randomised copy repeats. */
function buildYamnet(file: TfliteModel, modelPath: string, classNames: readonly string[], gradients: 'custom' | 'autodiff', name: string): YamnetModel {
  const { logitsIndex } = validateModel(file, modelPath, classNames.length);
  const graph = TfliteGraph.build(file, modelPath, gradients);
  try {
    const logits = tf.tidy(() => graph.evaluate(tf.tensor3d(probePatch(), [1, ...PATCH_SHAPE]), logitsIndex, modelPath).dataSync());
    checkProbeLogits(logits, modelPath, 'tfjs');
    return new YamnetModel(modelPath, classNames, graph, logitsIndex, { file, gradients }, name);
  } catch (error) {
    graph.dispose();
    throw error;
  }
}
