// YAMNet on onnxruntime-node: logits and exact input gradients from ONNX graphs generated from the TFLite file.
import { availableParallelism } from 'node:os';
import { ModelError, OptionError, ShapeError } from '../../errors/index.js';
import { loadClassNames } from '../../model/classMap.js';
import { engineFault } from '../../model/engineFault.js';
import { checkProbeLogits, probePatch } from '../../model/probePatch.js';
import { randomisedName, randomiseTflite, tfliteWeightLayers, type TfliteWeightLayer } from '../../model/randomiseLayers.js';
import { readTfliteFile, type TfliteModel } from '../../model/tflite/index.js';
import { validateModel } from '../../model/validateModel.js';
import { PATCH_SHAPE, YAMNET_NAME } from '../../model/yamnet.js';
import type { AsyncExplainedFunction, ClassifierModel } from '../../types.js';
import { encodeOnnxModel } from './onnxProto.js';
import { ONNX_NAMES, yamnetOnnxGraph } from './yamnetOnnxGraph.js';

/** Options of {@link loadOnnxYamnet}. */
export interface LoadOnnxYamnetOptions {
  /** onnxruntime's intra-op threads per run. @default the machine's cores (1 inside a worker pool) */
  readonly threads?: number;
  /** Class map CSV. @default the package's models/yamnet_class_map.csv */
  readonly classMapPath?: string;
}

/** The parts of onnxruntime-node used here, typed locally so the package stays optional at build time too. */
interface OrtTensor {
  readonly data: unknown;
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface Ort {
  readonly InferenceSession: { create(model: Uint8Array, options: object): Promise<OrtSession> };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
}

/** An {@link OptionError} for `--engine onnx` on a machine without onnxruntime-node, saying how to get it. */
export class OnnxUnavailableError extends OptionError {
  constructor(readonly reason: string) {
    super('engine', 'an available engine', 'onnx');
    this.message = `The onnx engine is not available: ${reason}. Install it with \`npm install onnxruntime-node@1.16.3\` (the last release whose install downloads nothing), or use --engine tfjs.`;
  }
}

// One import attempt per process: a missing package is not looked for again on every load.
let ortImport: Promise<Ort> | undefined;

/** Imports onnxruntime-node once; rejects with an {@link OnnxUnavailableError} when it is missing or broken. */
export function importOnnxRuntime(): Promise<Ort> {
  // A variable specifier keeps TypeScript and bundlers from requiring the optional package.
  const name = 'onnxruntime-node';
  ortImport ??= import(name).then(
    (module: { default?: Ort } & Ort) => module.default ?? module,
    (error: NodeJS.ErrnoException) => {
      const missing = error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'MODULE_NOT_FOUND';
      throw new OnnxUnavailableError(missing ? 'onnxruntime-node is not installed' : `onnxruntime-node failed to load (${String(error?.message ?? error).split('\n')[0]})`);
    },
  );
  return ortImport;
}

/**
 * Reads a YAMNet .tflite file, checks it (validateModel: shapes, strides, quantisation; the same checks as the tfjs
 * engine, so both accept the same files), builds two onnxruntime sessions from it (logits, and logits with input
 * gradients), and runs both once on a fixed probe patch, whose logits must all be finite. A graph onnxruntime
 * rejects, or fails to run, is a ModelError naming the TFLite op its node came from.
 */
export async function loadOnnxYamnet(modelPath: string, options: LoadOnnxYamnetOptions = {}): Promise<OnnxYamnet> {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new OptionError('threads', 'a positive integer', threads);
  const ort = await importOnnxRuntime();
  const [file, classNames] = await Promise.all([readTfliteFile(modelPath), loadClassNames(options.classMapPath)]);
  return buildOnnxYamnet(ort, { file, threads }, modelPath, classNames, YAMNET_NAME);
}

/** What a randomised copy is rebuilt from: the parsed file (kept in memory, ~4 MB) and the threads per run. */
interface OnnxSource {
  readonly file: TfliteModel;
  readonly threads: number;
}

/** Checks a parsed file, builds both sessions and probes them: the part of {@link loadOnnxYamnet} a randomised copy repeats. */
async function buildOnnxYamnet(ort: Ort, source: OnnxSource, modelPath: string, classNames: readonly string[], name: string): Promise<OnnxYamnet> {
  const { file, threads } = source;
  validateModel(file, modelPath, classNames.length);
  // No inter-op pool: the graph is a chain. Intra-op threads as asked: 1 in each worker of a pool, which supplies
  // the parallelism; the machine's cores for a model used alone. Log level 4 (fatal only): onnxruntime's own error
  // lines on stderr would repeat what the ModelError below says.
  const sessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential', logSeverityLevel: 4 };
  const create = async (gradient: boolean): Promise<OrtSession> => {
    let bytes: Uint8Array;
    try {
      bytes = encodeOnnxModel(yamnetOnnxGraph(file, modelPath, { gradient }), 'blurig-audio');
    } catch (error) {
      throw engineFault(error, modelPath, 'the graph', 'could not be written as ONNX');
    }
    return ort.InferenceSession.create(bytes, sessionOptions).catch((error: unknown) => {
      throw onnxFault(error, modelPath, 'was rejected by onnxruntime');
    });
  };
  const sessions: OrtSession[] = [];
  try {
    sessions.push(await create(false));
    sessions.push(await create(true));
    const model = new OnnxYamnet(modelPath, classNames, ort, sessions[0], sessions[1], source, name);
    await probe(model, modelPath);
    return model;
  } catch (error) {
    await Promise.all(sessions.map((s) => s.release()));
    throw error;
  }
}

/** Runs both sessions on the probe patch: engine errors name their op, and the logits must be finite. */
async function probe(model: OnnxYamnet, path: string): Promise<void> {
  const patch = probePatch();
  const seed = new Float32Array(model.classNames.length).fill(1 / model.classNames.length);
  const [logits, { logits: again }] = await Promise.all([model.logitsOf(patch, 1), model.logitsAndGradients(patch, 1, seed)]).catch((error: unknown) => {
    throw onnxFault(error, path, 'failed in onnxruntime on a test patch');
  });
  checkProbeLogits(logits, path, 'onnx');
  checkProbeLogits(again, path, 'onnx');
}

/** An onnxruntime error as a ModelError naming the TFLite op of the node it quotes (nodes are named `CONV_2D#3/…`). */
function onnxFault(error: unknown, path: string, what: string): Error {
  const said = error instanceof Error ? error.message : String(error);
  const op = /\b([A-Z][A-Z0-9_]*)#(\d+)\//.exec(said);
  return engineFault(error, path, op === null ? 'the graph' : `${op[1]} #${op[2]}`, what);
}

/** YAMNet run by onnxruntime-node; call {@link OnnxYamnet.dispose} when done. */
export class OnnxYamnet implements ClassifierModel {
  readonly engine = 'onnx';
  readonly inputShape: readonly [number, number] = PATCH_SHAPE;
  /** {@link ClassifierModel.weightLayers}: `logits`, `layer14/pointwise`, … `layer1/conv`, as the tfjs engine names them. */
  readonly weightLayers: readonly string[];
  private readonly layers: readonly TfliteWeightLayer[];
  private source: OnnxSource | undefined;
  private disposed = false;

  /** @internal use {@link loadOnnxYamnet}. */
  constructor(
    readonly path: string,
    readonly classNames: readonly string[],
    private readonly ort: Ort,
    private readonly forward: OrtSession,
    private readonly backward: OrtSession,
    source: OnnxSource,
    readonly name: string = YAMNET_NAME,
  ) {
    this.source = source;
    this.layers = tfliteWeightLayers(source.file);
    this.weightLayers = this.layers.map((l) => l.name);
  }

  /**
   * {@link ClassifierModel.randomised}: the same permuted copy of the parsed file as the tfjs engine makes for
   * (topLayers, seed) (see randomiseTflite), checked, written as ONNX and probed as {@link loadOnnxYamnet} does,
   * with the same threads per run. `randomised(0, seed)` is an exact copy.
   */
  async randomised(topLayers: number, seed: number): Promise<OnnxYamnet> {
    const source = this.source;
    if (source === undefined) throw new ModelError(`The model ${this.path} was disposed; load it again`, this.path);
    const file = randomiseTflite(source.file, this.layers, topLayers, seed);
    return buildOnnxYamnet(this.ort, { ...source, file }, this.path, this.classNames, randomisedName(this.name, topLayers, this.layers.length, seed));
  }

  async logitsOf(patches: Float32Array, count: number): Promise<Float32Array> {
    const out = await this.session('forward').run({ [ONNX_NAMES.patches]: this.patchTensor(patches, count) });
    return out[ONNX_NAMES.logits].data as Float32Array; // [count × classes]
  }

  /**
   * Logits of each patch and ∂(Σ_c seed_c · logit_c)/∂patch, with one seed row [classes] per patch: a one-hot row
   * gives the gradient of that class's logit.
   */
  async logitsAndGradients(patches: Float32Array, count: number, seed: Float32Array): Promise<{ logits: Float32Array; gradients: Float32Array }> {
    if (seed.length !== count * this.classNames.length) throw new ShapeError('seed', [count, this.classNames.length], [seed.length]);
    const out = await this.session('backward').run({
      [ONNX_NAMES.patches]: this.patchTensor(patches, count),
      [ONNX_NAMES.seed]: new this.ort.Tensor('float32', seed, [count, this.classNames.length]),
    });
    return { logits: out[ONNX_NAMES.logits].data as Float32Array, gradients: out[ONNX_NAMES.gradient].data as Float32Array };
  }

  target(indices: readonly number[], output: 'logit' | 'score', single: boolean): AsyncExplainedFunction {
    const classes = this.classNames.length;
    const chosen = [...indices];
    // Scores are σ(logit): the value maps through σ and the gradient scales by σ′ = σ(1 − σ).
    const value = (z: number): number => (output === 'logit' ? z : 1 / (1 + Math.exp(-z)));
    return {
      outputs: single ? 1 : chosen.length,
      values: async (inputs, count) => {
        const logits = await this.logitsOf(inputs, count);
        return Float32Array.from({ length: count * chosen.length }, (_, i) => value(logits[Math.floor(i / chosen.length) * classes + chosen[i % chosen.length]]));
      },
      gradients: async (inputs, outputOf) => {
        const items = outputOf.length;
        const seed = new Float32Array(items * classes);
        outputOf.forEach((k, b) => (seed[b * classes + chosen[k]] = 1));
        const { logits, gradients } = await this.logitsAndGradients(inputs, items, seed);
        const values = Float32Array.from(outputOf, (k, b) => value(logits[b * classes + chosen[k]]));
        if (output === 'score') {
          const size = gradients.length / items;
          for (let b = 0; b < items; b++) {
            const slope = values[b] * (1 - values[b]);
            for (let j = b * size; j < (b + 1) * size; j++) gradients[j] *= slope;
          }
        }
        return { values, gradients };
      },
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.source = undefined;
    void this.forward.release();
    void this.backward.release();
  }

  private session(which: 'forward' | 'backward'): OrtSession {
    if (this.disposed) throw new ModelError(`The model ${this.path} was disposed; load it again`, this.path);
    return which === 'forward' ? this.forward : this.backward;
  }

  private patchTensor(patches: Float32Array, count: number): OrtTensor {
    if (patches.length !== count * PATCH_SHAPE[0] * PATCH_SHAPE[1]) throw new ShapeError('patch batch', [count, ...PATCH_SHAPE], [patches.length]);
    return new this.ort.Tensor('float32', patches, [count, ...PATCH_SHAPE]);
  }
}
