// Loads what explains patches for `explain` and `stream`: YAMNet on this thread (--workers 1) or a pool of worker threads.
import { AttributionPool } from '../engine/workerPool/attributionPool.js';
import { parseBackendName } from '../engine/backend.js';
import { parseEngineName } from '../model/createYamnet.js';
import type { ClassifierModel } from '../types.js';
import { workersFromArgs } from './commands/attributionArgs.js';
import { downloadNotice } from './downloadNotice.js';
import { openModel, runHeader } from './openModel.js';

/** The CLI values it reads: `--model`, `--engine`, `--backend`, `--workers`. */
interface AttributorValues {
  model?: string;
  engine?: string;
  backend?: string;
  workers?: string;
}

/**
 * `openModel` for `--workers 1`; otherwise an AttributionPool of that many workers (default: the cores) on the same
 * model file, engine and backend. The caller must `await dispose()` it on every path out of the command.
 */
export async function openAttributor(values: AttributorValues): Promise<ClassifierModel | AttributionPool> {
  const workers = workersFromArgs(values);
  if (workers === 1) return openModel(values);
  const notice = downloadNotice();
  try {
    return await AttributionPool.create({
      modelPath: values.model,
      engine: values.engine === undefined ? undefined : parseEngineName(values.engine, '--engine'),
      backend: values.backend === undefined ? undefined : parseBackendName(values.backend, '--backend'),
      workers,
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
