// The one call that gives a ready YAMNet: choose the backend, find (or download) the model file, load it.
import { type BackendName, selectBackend } from '../engine/backend.js';
import { resolveModel } from './resolveModel.js';
import { loadYamnet, type YamnetModel } from './yamnet.js';

/** Options of {@link createYamnet}. */
export interface CreateYamnetOptions {
  /** Model file; when absent, `BLURIG_MODEL`, then the per-user cache, then a one-time download. */
  readonly modelPath?: string;
  /** Compute backend; when absent or `auto`, `BLURIG_BACKEND`, then tensorflow → wasm → cpu. @default 'auto' */
  readonly backend?: BackendName | 'auto';
  /** Whether a missing model may be downloaded into the cache. @default true */
  readonly download?: boolean;
  /** Told before a download starts, so a CLI can say so. */
  readonly onDownloadStart?: (url: string, destination: string) => void;
  /** Download progress in bytes. */
  readonly onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
}

/** Chooses the backend, resolves the model file and rebuilds YAMNet as differentiable tfjs ops. */
export async function createYamnet(options: CreateYamnetOptions = {}): Promise<YamnetModel> {
  await selectBackend(options.backend);
  const { path } = await resolveModel({
    modelPath: options.modelPath,
    download: options.download,
    onDownloadStart: options.onDownloadStart,
    onProgress: options.onProgress,
  });
  return loadYamnet(path);
}
