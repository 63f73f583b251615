// Loads what explains patches for `explain` and `stream`: YAMNet on this thread (--workers 1) or a pool of worker threads.
import { AttributionPool } from '../engine/workerPool/attributionPool.js';
import type { ClassifierModel } from '../types.js';
import { downloadNotice } from './downloadNotice.js';
import type { ModelArgs } from './modelArgs.js';
import { openModel, runHeader } from './openModel.js';

/**
 * `openModel` for one worker; otherwise an AttributionPool of `workers` threads (checked against the cores before)
 * on the same model file, engine and backend. The caller must `await dispose()` it on every path out of the command.
 */
export async function openAttributor(values: ModelArgs & { readonly workers: number }): Promise<ClassifierModel | AttributionPool> {
  if (values.workers === 1) return openModel(values);
  const notice = downloadNotice();
  try {
    return await AttributionPool.create({
      modelPath: values.model,
      engine: values.engine,
      backend: values.backend,
      workers: values.workers,
      onDownloadStart: notice.onDownloadStart,
      onProgress: notice.onProgress,
      onBuiltinFallback: notice.onBuiltinFallback,
    });
  } finally {
    notice.finish();
  }
}

/** As `runHeader` (engine, tfjs backend and model name, for reports), from the workers when it is a pool. */
export function attributorHeader(attributor: ClassifierModel | AttributionPool): ReturnType<typeof runHeader> {
  if (!(attributor instanceof AttributionPool)) return runHeader(attributor);
  return { engine: attributor.engine, backend: attributor.backend, model: attributor.name };
}
