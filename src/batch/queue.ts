// The one interface both corpus runners sit behind: run these files with these settings, report each as it finishes.
import type { BatchFile, BatchSettings, ManifestRecord } from './records.js';

/** A file to run, with whether its existing folder (from other settings or an older file) is to be replaced. */
export interface BatchJob {
  readonly file: BatchFile;
  readonly replace: boolean;
}

/** What a runner tells its caller while it runs. */
export interface BatchHooks {
  /** Every file, once, as it finishes (done or failed), in finishing order. */
  readonly onFinished: (record: ManifestRecord) => void;
  /** A file's progress, 0–1, where the runner knows it (patches explained). */
  readonly onProgress?: (folder: string, fraction: number) => void;
  /** A line worth showing (waiting for workers, a retry). */
  readonly onNote?: (line: string) => void;
  /** Aborted on Ctrl-C: the runner stops taking files and returns; what finished was reported. */
  readonly signal: AbortSignal;
}

/**
 * Where the files run: in this process one after another ({@link localQueue}), or as jobs of a distributed queue that
 * workers on any machine take (the BullMQ adapter). Both end each file with the same per-file work (processFile).
 */
export interface BatchQueue {
  /** Runs the jobs; resolves once each has finished, or when `signal` aborted (`stopped`: some never finished). */
  run(jobs: readonly BatchJob[], settings: BatchSettings & { key: string }, hooks: BatchHooks): Promise<{ stopped: boolean }>;
  /** Frees what the queue holds (connections, the model): on every path out. */
  close(): Promise<void>;
}
