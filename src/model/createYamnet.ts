// The one call that gives a ready YAMNet: choose the backend, find (or download) the model file, load it.
import { type BackendName, selectBackend } from '../engine/backend.js';
import { importOnnxRuntime, loadOnnxYamnet, type OnnxYamnet } from '../engine/onnx/onnxYamnet.js';
import { OptionError } from '../errors/index.js';
import type { ClassifierModel, EngineName } from '../types.js';
import { resolveModel } from './resolveModel.js';
import { loadStudent } from './student/studentModel.js';
import { loadYamnet, type YamnetModel } from './yamnet.js';

/** Options of {@link createYamnet}. */
export interface CreateYamnetOptions {
  /** Model file (a YAMNet `.tflite`, a student `.json`, or `builtin`); when absent, `BLURIG_MODEL`, then the per-user cache, then a one-time download, then the built-in student. */
  readonly modelPath?: string;
  /** Compute backend; when absent or `auto`, `BLURIG_BACKEND`, then tensorflow → wasm → cpu. @default 'auto' */
  readonly backend?: BackendName | 'auto';
  /**
   * Where the network runs: `onnx` (onnxruntime-node, an optional package, several times faster per gradient pass
   * on CPU) or `tfjs` (on `backend`). `auto`: onnx when onnxruntime-node loads, else tfjs. When absent,
   * `BLURIG_ENGINE`, then `auto`. An engine asked for by name that cannot load is an error, never a fallback.
   */
  readonly engine?: EngineName | 'auto';
  /** onnx engine only: threads per run. @default the machine's cores */
  readonly threads?: number;
  /** Whether a missing model may be downloaded into the cache. @default true */
  readonly download?: boolean;
  /** Told before a download starts, so a CLI can say so. */
  readonly onDownloadStart?: (url: string, destination: string) => void;
  /** Download progress in bytes. */
  readonly onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
  /** Told when YAMNet cannot be had and the built-in student is loaded instead (see `resolveModel`). */
  readonly onBuiltinFallback?: (reason: string) => void;
}

/** Chooses the engine (and tfjs backend), resolves the model file and builds YAMNet with input gradients. */
export async function createYamnet(options: CreateYamnetOptions & { readonly engine: 'tfjs' }): Promise<YamnetModel>;
export async function createYamnet(options: CreateYamnetOptions & { readonly engine: 'onnx' }): Promise<OnnxYamnet>;
export async function createYamnet(options?: CreateYamnetOptions): Promise<ClassifierModel>;
export async function createYamnet(options: CreateYamnetOptions = {}): Promise<ClassifierModel> {
  const fromEnv = nonEmpty(process.env.BLURIG_ENGINE);
  const request = options.engine !== undefined ? parseEngineName(options.engine) : fromEnv !== undefined ? parseEngineName(fromEnv, 'BLURIG_ENGINE') : 'auto';
  // tfjs runs the blur paths and the rest of attribution whichever engine runs the network.
  await selectBackend(options.backend);
  const { path } = await resolveModel({
    modelPath: options.modelPath,
    download: options.download,
    onDownloadStart: options.onDownloadStart,
    onProgress: options.onProgress,
    onBuiltinFallback: options.onBuiltinFallback,
  });
  if (isStudentFile(path)) {
    // The student is a small tfjs network (no TFLite graph to write as ONNX): it runs on tfjs, whatever `auto` says.
    if (request === 'onnx') throw new OptionError('engine', '`tfjs` or `auto` with the built-in student model (it runs on tfjs only)', 'onnx');
    return loadStudent(path);
  }
  const engine = request === 'auto' ? ((await onnxAvailable()) ? 'onnx' : 'tfjs') : request;
  return engine === 'onnx' ? loadOnnxYamnet(path, { threads: options.threads }) : loadYamnet(path);
}

/** Whether `path` is a student manifest (`student.json`, format blurig-student) rather than a TFLite file. */
export function isStudentFile(path: string): boolean {
  return path.toLowerCase().endsWith('.json');
}

/** Validates a user-given engine name (`--engine`, `BLURIG_ENGINE`); `option` names its source in the error. */
export function parseEngineName(value: string, option = 'engine'): EngineName | 'auto' {
  if (value === 'auto' || value === 'tfjs' || value === 'onnx') return value;
  throw new OptionError(option, 'one of `auto`, `onnx`, `tfjs`', value);
}

async function onnxAvailable(): Promise<boolean> {
  return importOnnxRuntime().then(
    () => true,
    () => false,
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
