// The messages between an AttributionPool and its worker threads, and what each worker is started with.
import type { BackendName } from '../backend.js';
import type { CreateYamnetOptions } from '../../model/createYamnet.js';
import type { AttributePatchesOptions, EngineName, Patch, PatchAttribution } from '../../types.js';
import type { TransferableError } from './transferableError.js';

/** `workerData` of every worker: what it passes to `createYamnet`, with one compute thread. */
export interface WorkerSetup {
  /** The model file, already resolved (and downloaded if need be) by the main thread. */
  readonly modelPath: string;
  /** Engine asked for; undefined lets `createYamnet` decide (BLURIG_ENGINE, then its default). */
  readonly engine: CreateYamnetOptions['engine'];
  /** tfjs backend asked for; undefined lets `createYamnet` decide (BLURIG_BACKEND, then auto). */
  readonly backend: BackendName | 'auto' | undefined;
}

/** Main thread → worker. */
export type ToWorker =
  | {
      readonly type: 'attribute';
      /** Pool-wide task number; the reply carries it back. */
      readonly taskId: number;
      /** Names the options; the worker checks them and builds its attributor once per ID. */
      readonly optionsId: number;
      /** The options, sent only the first time this worker sees `optionsId`. */
      readonly options?: AttributePatchesOptions;
      /** The patch, its log-mel values copied (the main thread keeps its own for the result). */
      readonly patch: Patch;
    }
  /** Logits of `count` patches, row-major [count, 96, 64]: the forward pass that scoring and detection need. */
  | { readonly type: 'logits'; readonly taskId: number; readonly patches: Float32Array; readonly count: number }
  /** Drop the task if it has not started (its result is no longer wanted); the worker answers `cancelled`. */
  | { readonly type: 'cancel'; readonly taskId: number }
  /** Free the model and end the thread. */
  | { readonly type: 'close' };

/** A {@link PatchAttribution} without `logMel`, which the main thread already holds. */
export type PostedAttribution = Omit<PatchAttribution, 'logMel'>;

/** Worker → main thread. */
export type FromWorker =
  /** The model is loaded: what runs it, for reports. */
  | { readonly type: 'ready'; readonly name: string; readonly engine: EngineName; readonly backend: string }
  /** The model could not be loaded; the worker ends. */
  | { readonly type: 'failed'; readonly error: TransferableError }
  /** A task's result; its Float32Arrays are transferred, not copied. */
  | { readonly type: 'result'; readonly taskId: number; readonly result: PostedAttribution }
  /** A `logits` task's result, [count × classes]. */
  | { readonly type: 'logits'; readonly taskId: number; readonly logits: Float32Array }
  /** A task's error (bad method options, a model error, …). */
  | { readonly type: 'error'; readonly taskId: number; readonly error: TransferableError }
  /** A task dropped on `cancel` before it started. */
  | { readonly type: 'cancelled'; readonly taskId: number };
