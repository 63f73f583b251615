// The per-file work both runners share (one machine, queue workers): explain into a staged folder, commit it, return its manifest line.
import { hostname } from 'node:os';
import type { OutputStore } from './outputStore.js';
import type { BatchFile, BatchSettings, ManifestRecord } from './records.js';

/** What explaining one file gave, besides the folder's contents. */
export interface ExplainedFile {
  readonly model: string;
  readonly patches: number;
  readonly audioSec: number;
  readonly detections: number;
  /** Of the time `explain` took, what writing the outputs into the folder took. */
  readonly writeMs: number;
}

/**
 * Explains `file` with `settings`, writing every output into `folder` (an empty staged folder); throws on failure.
 * The CLI supplies it (explain's own pipeline and writers, on an attributor opened once per process).
 */
export type ExplainIntoFolder = (file: BatchFile, folder: string, settings: BatchSettings, onProgress: (fraction: number) => void) => Promise<ExplainedFile>;

/** Who runs the file, and how its failures are handled. */
export interface ProcessContext {
  /** The loaded model's name, for failures before the explanation says it. */
  readonly model: string | null;
  /** Attempts the queue started (1 on one machine). */
  readonly attempts: number;
  /** Replace an existing folder (the file or the settings changed since it was written). */
  readonly replace: boolean;
  /** True for errors that must not become a failed line: Ctrl-C, and for a queue errors worth another attempt. */
  readonly rethrow: (error: unknown) => boolean;
  readonly onProgress?: (fraction: number) => void;
}

/** `host:pid`, as the manifest names who explained a file. */
export const WORKER_ID = `${hostname()}:${process.pid}`;

/**
 * Runs one file: a bad file becomes a `failed` record (one line of error) and never throws, unless `rethrow` says
 * so; the folder appears whole (committed by the store) or not at all.
 */
export async function processFile(file: BatchFile, settings: BatchSettings & { key: string }, store: OutputStore, explain: ExplainIntoFolder, context: ProcessContext): Promise<ManifestRecord> {
  const startedAt = new Date();
  const start = performance.now();
  const staged = store.stage(file.folder);
  // Fields in the manifest's documented order (README, "Batch and workers").
  const line = (status: ManifestRecord['status'], model: string | null, timings: ManifestRecord['timings'], error: string | null, counts: Pick<ManifestRecord, 'patches' | 'audioSec' | 'detections'>): ManifestRecord => ({
    input: file.input, folder: file.folder, size: file.sizeBytes, hash: file.hash, status, model, settings, timings, error, worker: WORKER_ID, attempts: context.attempts, ...counts,
  });
  try {
    const explained = await explain(file, staged, settings, context.onProgress ?? (() => undefined));
    const explainMs = performance.now() - start - explained.writeMs;
    store.commit(file.folder, staged, context.replace); // false: another attempt committed the same result first
    const totalMs = performance.now() - start;
    const timings = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), explainMs: round(explainMs), writeMs: round(totalMs - explainMs), totalMs: round(totalMs) };
    return line('done', explained.model, timings, null, { patches: explained.patches, audioSec: round(explained.audioSec), detections: explained.detections });
  } catch (error) {
    store.discard(staged);
    if (context.rethrow(error)) throw error;
    const totalMs = round(performance.now() - start);
    const timings = { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), explainMs: totalMs, writeMs: 0, totalMs };
    return line('failed', context.model, timings, oneLine(error), { patches: 0, audioSec: 0, detections: 0 });
  }
}

/** A failure in one line: the message's first line, or what was thrown. */
export function oneLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
