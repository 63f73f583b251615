// The sandboxed BullMQ processor of `blurig worker`: runs one job's file on an attributor loaded once per worker thread.
import type { SandboxedJob } from 'bullmq';
import { type ExplainJobData, type ExplainJobResult } from '../../batch/bullmq/jobData.js';
import { folderStore } from '../../batch/outputStore.js';
import { processFile } from '../../batch/processFile.js';
import { stableJson } from '../../batch/fileIdentity.js';
import { isBlurigError, WorkerError } from '../../errors/index.js';
import type { AttributionPool } from '../../engine/workerPool/attributionPool.js';
import type { ClassifierModel } from '../../types.js';
import { browserScript } from '../../report/browserBundle.js';
import type { ModelArgs } from '../modelArgs.js';
import { attributorHeader, openAttributor } from '../openAttributor.js';
import { figureArgs } from '../figureArgs.js';
import { attributionArgs } from './attributionArgs.js';
import { explainIntoFolder } from './explainIntoFolder.js';

/** Set by `blurig worker` in this thread's environment: the pool's size, and its own --out if the share is mounted elsewhere. */
const WORKERS = Number(process.env.BLURIG_WORKER_THREADS ?? '1');
const OUT = process.env.BLURIG_WORKER_OUT;

let loaded: { key: string; attributor: ClassifierModel | AttributionPool } | undefined;

/** The attributor for the job's model settings: kept between jobs, reloaded when a job asks for another model. */
async function attributorFor(model: ExplainJobData['settings']['model']): Promise<ClassifierModel | AttributionPool> {
  const key = stableJson(model);
  if (loaded?.key === key) return loaded.attributor;
  await loaded?.attributor.dispose();
  loaded = undefined;
  const attributor = await openAttributor({ ...(model as ModelArgs), workers: WORKERS });
  loaded = { key, attributor };
  return attributor;
}

/**
 * Errors worth another attempt (on this or another machine): a crashed worker thread, or anything that is not one of
 * blurig's own one-line errors (a bug, a lost file system). A bad input is not: it becomes a failed manifest line.
 */
function retryable(error: unknown): boolean {
  return error instanceof WorkerError || !isBlurigError(error);
}

export default async function processExplainJob(job: SandboxedJob<ExplainJobData, ExplainJobResult>): Promise<ExplainJobResult> {
  const { file, settings, out, replace } = job.data;
  const store = folderStore(OUT ?? out);
  if (job.attemptsStarted > 1) store.sweep(file.folder); // what an earlier attempt's dead worker left half-written
  const attributor = await attributorFor(settings.model);
  const reportScript = settings.outputs.html ? await browserScript('report') : undefined;
  let lastProgress = 0;
  const onProgress = (fraction: number) => {
    if (fraction - lastProgress < 0.05 && fraction < 1) return; // a few updates per file are enough to follow it
    lastProgress = fraction;
    void job.updateProgress(fraction).catch(() => undefined);
  };
  // The options as the enqueuing command parsed them, undefined fields included (see BatchSettings.args).
  const { options } = await attributionArgs({ ...settings.args, workers: '1' });
  const parsed = { ...settings, options, figure: figureArgs(settings.args as Record<string, string | undefined>) };
  const explain = explainIntoFolder(attributor, WORKERS, reportScript);
  return processFile(file, parsed, store, explain, { model: attributorHeader(attributor).model, attempts: job.attemptsStarted, replace, rethrow: retryable, onProgress });
}
