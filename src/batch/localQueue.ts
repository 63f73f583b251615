// The one-machine runner: the files one after another in this process, on one attributor (its worker-thread pool parallelises patches).
import type { OutputStore } from './outputStore.js';
import { type ExplainIntoFolder, processFile } from './processFile.js';
import type { BatchQueue } from './queue.js';

/**
 * Runs each job with `explain` into `store`. A file that fails becomes a failed line and the next one runs; only
 * errors `isStop` names (Ctrl-C) end the run, rethrown after the files before it were reported.
 */
export function localQueue(store: OutputStore, explain: ExplainIntoFolder, options: { model: string | null; isStop: (error: unknown) => boolean; close: () => Promise<void> }): BatchQueue {
  return {
    async run(jobs, settings, hooks) {
      for (const { file, replace } of jobs) {
        if (hooks.signal.aborted) return { stopped: true };
        const onProgress = (fraction: number) => hooks.onProgress?.(file.folder, fraction);
        hooks.onFinished(await processFile(file, settings, store, explain, { model: options.model, attempts: 1, replace, rethrow: options.isStop, onProgress }));
      }
      return { stopped: false };
    },
    close: options.close,
  };
}
