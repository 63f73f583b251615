// What a BullMQ job carries, the queue's name, and the retry and stall timings (shortened by tests through the environment).
import type { BatchFile, BatchSettings, ManifestRecord } from '../records.js';

/** The queue every `blurig batch --queue` and `blurig worker` of one Redis shares. */
export const QUEUE_NAME = 'blurig-batch';

/** One file's job: the file, the run's settings, and the shared `--out` it is written to. */
export interface ExplainJobData {
  readonly file: BatchFile;
  readonly settings: BatchSettings & { readonly key: string };
  /** The absolute `--out` of the enqueuing machine; a worker whose share is mounted elsewhere says so with its own --out. */
  readonly out: string;
  readonly replace: boolean;
}

/** What a job returns: its manifest line, kept with the job in Redis. */
export type ExplainJobResult = ManifestRecord;

/** Attempts per job (a worker that dies or throws counts as one), with exponential backoff from 2 s. */
export const JOB_ATTEMPTS = 3;
export const BACKOFF = { type: 'exponential', delay: 2000 } as const;

/** Finished jobs stay in Redis this long with their results (then BullMQ drops them). */
export const KEEP_SEC = 7 * 24 * 3600;

/**
 * How long a job's lock lasts without renewal, and how often workers look for jobs whose lock lapsed (their worker
 * died): BullMQ's defaults, 30 s each. Tests shorten them with BLURIG_QUEUE_LOCK_MS and BLURIG_QUEUE_STALLED_MS so
 * that a killed worker's job is taken up again within seconds.
 */
export function stallTimings(env: NodeJS.ProcessEnv = process.env): { lockDuration: number; stalledInterval: number } {
  const read = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value >= 100 ? value : fallback;
  };
  return { lockDuration: read('BLURIG_QUEUE_LOCK_MS', 30_000), stalledInterval: read('BLURIG_QUEUE_STALLED_MS', 30_000) };
}
