// The corpus runner's records: the settings every file shares, one file to explain (a job), and the manifest line of a finished file.
import type { HeatmapOptions } from '../render/heatmapOptions.js';
import type { AttributePatchesOptions } from '../types.js';

/** Which of explain's outputs each file's folder gets; `explain.json` is always written (the summary is built from it). */
export interface BatchOutputs {
  readonly png: boolean;
  readonly svg: boolean;
  readonly pdf: boolean;
  readonly npy: boolean;
  readonly listen: boolean;
  readonly html: boolean;
}

/** What every file of a run is explained with: the same for the one-machine runner and every queue worker. */
export interface BatchSettings {
  /** `--model`, `--engine`, `--backend` as given (each worker resolves them itself). */
  readonly model: { readonly model?: string; readonly engine?: string; readonly backend?: string };
  readonly options: AttributePatchesOptions;
  readonly outputs: BatchOutputs;
  /** Size, DPI, fonts and colours of the figures (`--fig-size`, `--dpi`, …). */
  readonly figure: HeatmapOptions;
  /**
   * The attribution and figure flags as typed (`{ method: 'blur-ig', class: ['Speech'] }`): a queue worker rebuilds
   * `options` and `figure` from them with explain's own parser, since a JSON round trip of the parsed options drops
   * their undefined fields, which the methods' defaults do not always treat alike.
   */
  readonly args: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** One input to explain: what a job carries besides the settings. */
export interface BatchFile {
  /** The path as given on the command line (or in the list). */
  readonly input: string;
  /** The absolute path a worker reads (on other machines: the same path on a shared mount). */
  readonly path: string;
  /** The output folder, relative to `--out` (`files/<path below the inputs' common folder>`). */
  readonly folder: string;
  readonly sizeBytes: number;
  /** `sha256:<hex>` of the file's bytes: a changed file is explained again. */
  readonly hash: string;
}

/** A file's timings, in milliseconds, and when it ran (ISO 8601). */
export interface FileTimings {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Decoding, scoring and attribution together (they overlap: one pipeline). */
  readonly explainMs: number;
  /** Writing the folder and committing it by rename. */
  readonly writeMs: number;
  readonly totalMs: number;
}

/** One line of `manifest.ndjson`: a file finished (done or failed); the last line of a folder is its state. */
export interface ManifestRecord {
  readonly input: string;
  readonly folder: string;
  readonly size: number;
  readonly hash: string;
  readonly status: 'done' | 'failed';
  /** The model's name as loaded (`YAMNet (int8 TFLite build)`); null when it never loaded. */
  readonly model: string | null;
  readonly settings: BatchSettings & { readonly key: string };
  readonly timings: FileTimings;
  /** One line naming the problem; null when done. */
  readonly error: string | null;
  /** `host:pid` of the process that explained it. */
  readonly worker: string;
  /** Attempts the queue started for it (1 on one machine). */
  readonly attempts: number;
  /** Patches explained and seconds of audio decoded (0 when it failed early). */
  readonly patches: number;
  readonly audioSec: number;
  readonly detections: number;
}
