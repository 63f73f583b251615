// The caps on every command-line number that scales a run's memory, threads or time, and why each is where it is.
import { availableParallelism } from 'node:os';
import { MAX_PATH_STEPS } from '../attribution/validate.js';

/** A cap on an option: its largest value and the reason, said in the refusal and the help. */
export interface Limit {
  readonly max: number;
  readonly why: string;
}

/**
 * Integration nodes of Blur IG or IG per patch (`--steps`, `--max-steps`). The default refinement stops at 256;
 * 1024 leaves two more doublings for a tighter tolerance. Each node is one forward and backward pass (about 4.4 ms
 * on one onnxruntime thread), so 1024 is about 4.5 s per class per patch, where 1 000 000 would be over an hour
 * (and grew 35 MB/s, measured).
 */
export const STEPS_LIMIT: Limit = { max: MAX_PATH_STEPS, why: 'integration nodes per patch; 1024 already takes about 4.5 s per class per patch' };

/**
 * Classes explained per patch (`--top-k` of explain and stream, and the number of `--class` names). Each adds its
 * own path evaluations per patch and 64 numbers per 10 ms frame to the output: `--top-k 600` on 3 s took 55 s,
 * 6.3 GB and wrote 253 MB of JSON (measured). Twenty panels are already more than a heatmap shows legibly.
 */
export const CLASSES_LIMIT: Limit = { max: 20, why: 'classes explained per patch; each adds its own passes and output' };

/** YAMNet's (and the student's) class count: classify's `--top-k` cannot ask for more. */
export const CLASS_COUNT = 521;

/**
 * (step, class) pairs per model call in explain and stream (`--batch-size`). Each pair holds about 5 MB of
 * activations and gradients: batch 256 peaked at 1.7 GB RSS against 0.5 GB at the default 32 (one worker,
 * measured), and batches past 32 are no faster (bench/RESULTS.md).
 */
export const ATTRIBUTION_BATCH_LIMIT: Limit = { max: 64, why: 'each pair in a batch holds about 5 MB per worker' };

/**
 * Patches per forward pass in classify (`--batch-size`): about 0.65 MB each (batch 256 peaked at 540 MB RSS against
 * 378 MB at the default 8, measured on 120 s), and classify waits for a batch to fill before it scores it.
 */
export const CLASSIFY_BATCH_LIMIT: Limit = { max: 256, why: 'patches per forward pass, about 0.65 MB each' };

/** Patches allowed to wait in live mode (`--max-waiting`): 64 is 30.7 s of audio behind, past which a stream is no longer live. */
export const MAX_WAITING_LIMIT: Limit = { max: 64, why: 'patches waiting in live mode; 64 is 30.7 s of audio behind' };

/** Worker threads (`--workers`): each holds its own model and compute thread, so more than the cores only adds memory. */
export function workersLimit(): Limit {
  return { max: availableParallelism(), why: 'the cores of this machine; each worker holds its own model' };
}
