// The run of `blurig batch`: picks the files not done yet, runs them here or on the queue, appends the manifest as each finishes, then writes the summary.
import { join, resolve } from 'node:path';
import { fileIdentity, settingsKey } from '../../batch/fileIdentity.js';
import { expandInputs, outputFolders } from '../../batch/inputs.js';
import { localQueue } from '../../batch/localQueue.js';
import { appendManifest, isDone, MANIFEST_NAME, readManifest } from '../../batch/manifest.js';
import { folderStore, type OutputStore } from '../../batch/outputStore.js';
import { oneLine, WORKER_ID } from '../../batch/processFile.js';
import type { BatchQueue } from '../../batch/queue.js';
import type { BatchFile, BatchSettings, ManifestRecord } from '../../batch/records.js';
import { BlurigError } from '../../errors/index.js';
import { InterruptedError, onStop } from '../stopRun.js';
import { writeStdout } from '../stdout.js';
import { writeSummary } from './batchSummary.js';

/** What `batch` was asked for, checked. */
export interface BatchRun {
  readonly inputs: readonly string[];
  readonly out: string;
  readonly queue?: string;
  readonly workers: number;
  readonly settings: BatchSettings;
}

export async function runBatch(run: BatchRun): Promise<void> {
  const startMs = performance.now();
  const out = resolve(run.out);
  const found = expandInputs(run.inputs);
  const folders = outputFolders(found);
  const files: BatchFile[] = [];
  for (const [i, f] of found.entries()) files.push({ ...f, folder: folders[i], ...(await fileIdentity(f.path)) });
  const settings = { ...run.settings, key: settingsKey(run.settings) };
  const manifestPath = join(out, MANIFEST_NAME);
  const previous = readManifest(manifestPath);
  const store = folderStore(out);
  const todo = files.filter((f) => !isDone(previous.get(f.folder), f, settings.key, (folder) => store.exists(folder)));
  const skipped = files.length - todo.length;
  if (todo.length === 0) {
    writeStdout(`${files.length} files, all done earlier with these settings (${manifestPath}): nothing to do.\n`);
    writeSummary(out, files, previous, settings, { skipped, wallMs: 0, onlyIfMissing: true });
    return;
  }
  if (run.queue === undefined) store.sweep(); // half-written folders of an earlier run that died (with a queue, workers may be writing)
  const jobs = todo.map((file) => ({ file, replace: store.exists(file.folder) }));
  const queue = await openQueue(run, out, store);
  const records = new Map<string, ManifestRecord>();
  const progress = progressLine(todo.length, skipped);
  const controller = new AbortController();
  let release = onStop(() => controller.abort());
  let outcome: { stopped: boolean };
  try {
    outcome = await queue.run(jobs, settings, {
      signal: controller.signal,
      onNote: (line) => process.stderr.write(`blurig: ${line}\n`),
      onFinished: (record) => {
        appendManifest(manifestPath, record);
        records.set(record.folder, record);
        progress(record);
        release(); // a local file's own stop handler has replaced ours meanwhile: listen again between files
        release = onStop(() => controller.abort());
      },
    });
  } catch (error) {
    if (!(error instanceof InterruptedError)) throw error;
    outcome = { stopped: true };
  } finally {
    release();
    await queue.close();
  }
  store.sweep(); // what workers killed mid-file left (their jobs were finished elsewhere)
  const all = new Map([...previous, ...records]);
  const failed = [...records.values()].filter((r) => r.status === 'failed');
  if (outcome.stopped) {
    throw new InterruptedError(`interrupted: ${records.size} of ${todo.length} files finished (${failed.length} failed), ${skipped} done earlier; ${manifestPath} holds them, a rerun does the rest`);
  }
  const summaryPath = writeSummary(out, files, all, settings, { skipped, wallMs: performance.now() - startMs, onlyIfMissing: false });
  writeStdout(`${files.length} files: ${records.size - failed.length} explained, ${skipped} done earlier, ${failed.length} failed · ${summaryPath}\n`);
  if (failed.length > 0) {
    const first = failed[0];
    throw new BlurigError(`${failed.length} of ${files.length} files failed (the first, ${first.input}: ${first.error}); see ${manifestPath}, and rerun to retry them.`);
  }
}

/** The local runner on an attributor loaded here, or the BullMQ adapter (no model loads in this process). */
async function openQueue(run: BatchRun, out: string, store: OutputStore): Promise<BatchQueue> {
  if (run.queue !== undefined) {
    const { bullmqQueue } = await import('../../batch/bullmq/bullmqQueue.js');
    return bullmqQueue(run.queue, out, (file, error, attempts) => failedRecord(file, run.settings, error, attempts));
  }
  const [{ openAttributor, attributorHeader }, { explainIntoFolder }, { browserScript }] = await Promise.all([import('../openAttributor.js'), import('./explainIntoFolder.js'), import('../../report/browserBundle.js')]);
  const reportScript = run.settings.outputs.html ? await browserScript('report') : undefined; // a missing build fails now, not per file
  const attributor = await openAttributor({ ...(run.settings.model as object), workers: run.workers });
  const explain = explainIntoFolder(attributor, run.workers, reportScript);
  return localQueue(store, explain, { model: attributorHeader(attributor).model, isStop: (error) => error instanceof InterruptedError, close: async () => void (await attributor.dispose()) });
}

/** The line of a job the queue gave up on (its attempts spent). */
function failedRecord(file: BatchFile, settings: BatchSettings, error: string, attempts: number): ManifestRecord {
  const now = new Date().toISOString();
  return {
    input: file.input, folder: file.folder, size: file.sizeBytes, hash: file.hash, status: 'failed', model: null,
    settings: { ...settings, key: settingsKey(settings) },
    timings: { startedAt: now, finishedAt: now, explainMs: 0, writeMs: 0, totalMs: 0 },
    error: oneLine(error), worker: WORKER_ID, attempts, patches: 0, audioSec: 0, detections: 0,
  };
}

/** One stderr line per finished file: `[3/12] done samples/siren.wav (5.2 s) · ETA 0:41`. */
function progressLine(total: number, skipped: number): (record: ManifestRecord) => void {
  const startMs = performance.now();
  let finished = 0;
  if (skipped > 0) process.stderr.write(`blurig: ${skipped} files done earlier with these settings are skipped\n`);
  return (record) => {
    finished++;
    const elapsedMs = performance.now() - startMs;
    const etaSec = finished < total ? Math.round(((elapsedMs / finished) * (total - finished)) / 1000) : 0;
    const eta = finished < total ? ` · ETA ${Math.floor(etaSec / 60)}:${String(etaSec % 60).padStart(2, '0')}` : '';
    const what = record.status === 'done' ? `done ${record.input} (${(record.timings.totalMs / 1000).toFixed(1)} s)` : `FAILED ${record.input}: ${record.error}`;
    process.stderr.write(`blurig: [${finished}/${total}] ${what}${eta}\n`);
  };
}
