// A pool of worker threads, each with its own YAMNet, that explains independent patches at the same time.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { positiveIntegerOption } from '../../attribution/validate.js';
import { WorkerError } from '../../errors/index.js';
import { loadClassNames } from '../../model/classMap.js';
import { type CreateYamnetOptions, parseEngineName } from '../../model/createYamnet.js';
import { resolveModel } from '../../model/resolveModel.js';
import { checkPatchOptions } from '../../operators/patchAttributor.js';
import { type AttributePatchesOptions, type EngineName, type Patch, type PatchAttribution, type ScoredPatch, YAMNET_FRONT_END } from '../../types.js';
import { type BackendName, parseBackendName } from '../backend.js';
import type { FromWorker, ToWorker, WorkerSetup } from './messages.js';
import { checkPlainData } from './plainData.js';
import { startWorker } from './startWorker.js';
import { fromTransferable } from './transferableError.js';

/** Options of {@link AttributionPool.create}. */
export interface AttributionPoolOptions {
  /** Model file; when absent, as `createYamnet`: `BLURIG_MODEL`, the cache, then a one-time download (by the main thread, once). */
  readonly modelPath?: string;
  /** Engine of every worker, as `createYamnet`'s `engine`. @default `BLURIG_ENGINE`, then createYamnet's default */
  readonly engine?: CreateYamnetOptions['engine'];
  /** tfjs backend of every worker. @default `BLURIG_BACKEND`, then `auto` */
  readonly backend?: BackendName | 'auto';
  /** Worker threads, each with its own model and one compute thread; a positive integer. @default os.availableParallelism() */
  readonly workers?: number;
  /** Told before the model is downloaded, as in `createYamnet`. */
  readonly onDownloadStart?: CreateYamnetOptions['onDownloadStart'];
  /** Download progress in bytes, as in `createYamnet`. */
  readonly onProgress?: CreateYamnetOptions['onProgress'];
  /** Told when the built-in student is used because YAMNet cannot be had, as in `createYamnet`. */
  readonly onBuiltinFallback?: CreateYamnetOptions['onBuiltinFallback'];
}

/** Explains one patch on the pool; `signal` withdraws it (queued: never sent; running: its result is discarded). */
export type PoolAttributor = (patch: Patch | ScoredPatch, signal?: AbortSignal) => Promise<PatchAttribution>;

interface Slot {
  readonly worker: Worker;
  readonly threadId: number;
  /** Tasks sent to this worker and not yet answered. */
  pending: number;
  /** Options IDs this worker has been sent. */
  readonly knownOptions: Set<number>;
  /** The uncaught error that is ending the thread, if any ('error' comes just before 'exit'). */
  failure?: Error;
  readonly exited: Promise<void>;
}

/** What a task asks of a worker: explain one patch, or the logits of a batch of patches. */
type Work =
  | { readonly type: 'attribute'; readonly patch: Patch; readonly optionsId: number; readonly options: AttributePatchesOptions }
  | { readonly type: 'logits'; readonly patches: Float32Array; readonly count: number };

interface Task {
  readonly id: number;
  readonly work: Work;
  slot?: Slot;
  settled: boolean;
  settle(outcome: { result: PatchAttribution | Float32Array } | { error: unknown }): void;
}

/** Tasks a worker holds: one running and one queued behind it, so it never waits on the main thread between patches. */
const TASKS_PER_WORKER = 2;
/** How long `dispose` lets a worker free its model and end before terminating it. */
const CLOSE_GRACE_MS = 2000;
const WORKER_ENTRY = new URL(`./attributionWorker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/**
 * Worker threads that each load YAMNet (`createYamnet` with one compute thread) and explain patches sent to them;
 * the attribution operators take a pool in place of a model and keep its workers busy, emitting in order. Class
 * names and patch options are checked on the main thread, with the same errors as a model's. Call
 * {@link AttributionPool.dispose} when done: it ends every worker, and with them every tensor they held.
 */
export class AttributionPool {
  private readonly slots: Slot[];
  private readonly queue: Task[] = [];
  private readonly dispatched = new Map<number, Task>();
  private readonly optionIds = new WeakMap<AttributePatchesOptions, number>();
  private nextOptionsId = 0;
  private nextTaskId = 0;
  private disposal: Promise<void> | undefined;

  private constructor(
    /** Display names, by class index (read on the main thread). */
    readonly classNames: readonly string[],
    slots: Slot[],
    /** The workers' model name, engine and tfjs backend, for reports. */
    readonly name: string,
    readonly engine: EngineName,
    readonly backend: string,
  ) {
    this.slots = slots;
    for (const slot of slots) {
      slot.worker.on('message', (message: FromWorker) => this.answer(slot, message));
      slot.worker.on('exit', (code) => this.lose(slot, code));
      slot.worker.unref(); // idle workers never keep the process alive; busy ones are ref'd while they work
    }
  }

  /** Resolves (and if need be downloads) the model once, then starts `workers` threads and waits until each has loaded it. */
  static async create(options: AttributionPoolOptions = {}): Promise<AttributionPool> {
    // Each worker holds its own model and compute thread: more than the cores only adds memory (1000 took 14.9 GB).
    const count = positiveIntegerOption('workers', options.workers, availableParallelism(), availableParallelism());
    const setup: WorkerSetup = {
      modelPath: '',
      engine: options.engine === undefined ? undefined : parseEngineName(options.engine),
      backend: options.backend === undefined ? undefined : parseBackendName(options.backend),
    };
    const [{ path }, classNames] = await Promise.all([
      resolveModel({ modelPath: options.modelPath, onDownloadStart: options.onDownloadStart, onProgress: options.onProgress, onBuiltinFallback: options.onBuiltinFallback }),
      loadClassNames(),
    ]);
    const workers = Array.from({ length: count }, () => startWorker(WORKER_ENTRY, { workerData: { ...setup, modelPath: path } }));
    const slots = workers.map((worker): Slot => {
      const slot: Slot = { worker, threadId: worker.threadId, pending: 0, knownOptions: new Set(), exited: exitOf(worker) };
      // Listening from the start: an 'error' event nobody listens to would crash the main thread.
      worker.on('error', (error) => (slot.failure = error));
      return slot;
    });
    const loaded = await Promise.allSettled(slots.map(readyMessage));
    const failure = loaded.find((outcome) => outcome.status === 'rejected');
    if (failure !== undefined) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw failure.reason;
    }
    const { name, engine, backend } = (loaded[0] as PromiseFulfilledResult<Extract<FromWorker, { type: 'ready' }>>).value;
    return new AttributionPool(classNames, slots, name, engine, backend);
  }

  /** [frames, bands] of one patch, as every worker's model: [96, 64]. */
  readonly inputShape: readonly [number, number] = [YAMNET_FRONT_END.patchFrames, YAMNET_FRONT_END.melBands];

  /**
   * Logits [count × classes] of `count` patches (row-major [count, 96, 64]), computed on the least busy worker: the
   * forward pass that scoring and detection need, so the main thread holds no model of its own.
   */
  logitsOf(patches: Float32Array, count: number): Promise<Float32Array> {
    return this.submit({ type: 'logits', patches: patches.slice(0, count * this.inputShape[0] * this.inputShape[1]), count }) as Promise<Float32Array>;
  }

  /** Worker threads still running. */
  get workers(): number {
    return this.slots.length;
  }

  /** The `threadId` of each running worker. */
  get threadIds(): number[] {
    return this.slots.map((slot) => slot.threadId);
  }

  /**
   * Checks `options` now, on this thread, exactly as `patchAttributor` does (a bad one throws the same OptionError),
   * and returns the function that explains one patch on the least busy worker.
   */
  attributor(options: AttributePatchesOptions = {}): PoolAttributor {
    if (this.disposal !== undefined) throw new WorkerError('The attribution pool is disposed');
    checkPatchOptions(this, options);
    checkPlainData(options, 'options');
    let optionsId = this.optionIds.get(options);
    if (optionsId === undefined) this.optionIds.set(options, (optionsId = this.nextOptionsId++));
    const id = optionsId;
    return (patch, signal) => this.attribute(patch, id, options, signal);
  }

  /** Ends every worker (letting each free its model first, briefly) and rejects the patches still waiting; idempotent. */
  dispose(): Promise<void> {
    this.disposal ??= this.close();
    return this.disposal;
  }

  private attribute(patch: Patch, optionsId: number, options: AttributePatchesOptions, signal?: AbortSignal): Promise<PatchAttribution> {
    return this.submit({ type: 'attribute', patch, optionsId, options }, signal) as Promise<PatchAttribution>;
  }

  private submit(work: Work, signal?: AbortSignal): Promise<PatchAttribution | Float32Array> {
    if (this.disposal !== undefined) return Promise.reject(new WorkerError('The attribution pool is disposed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => this.withdraw(task, signal!.reason);
      const task: Task = {
        id: this.nextTaskId++,
        work,
        settled: false,
        settle: (outcome) => {
          if (task.settled) return;
          task.settled = true;
          signal?.removeEventListener('abort', onAbort);
          if ('result' in outcome) resolve(outcome.result);
          else reject(outcome.error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // Logits are a millisecond's forward pass that the next patches wait on: they jump the queue.
      if (work.type === 'logits') this.queue.unshift(task);
      else this.queue.push(task);
      this.dispatch();
    });
  }

  /** Sends queued tasks to the least busy workers that have room. */
  private dispatch(): void {
    while (this.queue.length > 0 && this.disposal === undefined) {
      if (this.slots.length === 0) {
        for (const task of this.queue.splice(0)) task.settle({ error: new WorkerError('Every attribution worker has stopped') });
        return;
      }
      const slot = this.slots.reduce((best, s) => (s.pending < best.pending ? s : best));
      if (slot.pending >= TASKS_PER_WORKER + (this.queue[0].work.type === 'logits' ? 1 : 0)) return;
      const task = this.queue.shift()!;
      task.slot = slot;
      this.dispatched.set(task.id, task);
      if (slot.pending++ === 0) slot.worker.ref();
      const { work } = task;
      if (work.type === 'logits') {
        slot.worker.postMessage({ type: 'logits', taskId: task.id, patches: work.patches, count: work.count } satisfies ToWorker);
        continue;
      }
      const first = !slot.knownOptions.has(work.optionsId);
      slot.knownOptions.add(work.optionsId);
      const message: ToWorker = { type: 'attribute', taskId: task.id, optionsId: work.optionsId, options: first ? work.options : undefined, patch: work.patch };
      slot.worker.postMessage(message);
    }
  }

  private answer(slot: Slot, message: FromWorker): void {
    if (message.type !== 'result' && message.type !== 'logits' && message.type !== 'error' && message.type !== 'cancelled') return;
    const task = this.dispatched.get(message.taskId);
    if (task === undefined) return;
    this.dispatched.delete(message.taskId);
    if (--slot.pending === 0) slot.worker.unref();
    if (message.type === 'result' && task.work.type === 'attribute') task.settle({ result: { ...message.result, logMel: task.work.patch.logMel } });
    else if (message.type === 'logits') task.settle({ result: message.logits });
    else if (message.type === 'error') task.settle({ error: fromTransferable(message.error) });
    this.dispatch();
  }

  /** A withdrawn task: dropped from the queue, or (once sent) rejected now and cancelled in its worker if not started. */
  private withdraw(task: Task, reason: unknown): void {
    const at = this.queue.indexOf(task);
    if (at >= 0) this.queue.splice(at, 1);
    else if (task.slot !== undefined && this.dispatched.has(task.id)) task.slot.worker.postMessage({ type: 'cancel', taskId: task.id } satisfies ToWorker);
    task.settle({ error: reason });
  }

  /** A worker that ended outside `dispose`: its tasks fail with a WorkerError, the other workers carry on. */
  private lose(slot: Slot, exitCode: number): void {
    const at = this.slots.indexOf(slot);
    if (at < 0 || this.disposal !== undefined) return;
    this.slots.splice(at, 1);
    const error = slot.failure;
    const how = error !== undefined ? `failed: ${error.message.split('\n')[0]}` : `exited with code ${exitCode}`;
    for (const task of [...this.dispatched.values()].filter((t) => t.slot === slot)) {
      this.dispatched.delete(task.id);
      task.settle({ error: new WorkerError(`The attribution worker (thread ${slot.threadId}) ${task.work.type === 'attribute' ? `explaining patch ${task.work.patch.index}` : `computing logits`} ${how}`, slot.threadId, { cause: error }) });
    }
    this.dispatch();
  }

  private async close(): Promise<void> {
    const gone = new WorkerError('The attribution pool was disposed');
    for (const task of [...this.queue.splice(0), ...this.dispatched.values()]) task.settle({ error: gone });
    this.dispatched.clear();
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.worker.ref(); // the process waits for the threads to end, so code after `await dispose()` runs
        const timer = setTimeout(() => void slot.worker.terminate(), CLOSE_GRACE_MS);
        slot.worker.postMessage({ type: 'close' } satisfies ToWorker);
        await slot.exited;
        clearTimeout(timer);
      }),
    );
    this.slots.length = 0;
  }
}

function exitOf(worker: Worker): Promise<void> {
  return new Promise((resolve) => worker.once('exit', () => resolve()));
}

/** Resolves with the worker's `ready` message; rejects with its load error (rebuilt), or if it ends first. */
function readyMessage(slot: Slot): Promise<Extract<FromWorker, { type: 'ready' }>> {
  const { worker } = slot;
  return new Promise((resolve, reject) => {
    const done = () => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    const onMessage = (message: FromWorker) => {
      if (message.type !== 'ready' && message.type !== 'failed') return;
      done();
      if (message.type === 'ready') resolve(message);
      else reject(fromTransferable(message.error));
    };
    const onExit = (code: number) => {
      done();
      const why = slot.failure !== undefined ? `failed to start: ${slot.failure.message.split('\n')[0]}` : `exited with code ${code} while loading the model`;
      reject(new WorkerError(`An attribution worker ${why}`, slot.threadId, { cause: slot.failure }));
    };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
  });
}
