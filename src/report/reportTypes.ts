// The data an HTML report carries, shared by the Node side that builds it and the browser code that draws it: plain JSON, with bulk arrays in named blobs.
import type { Detection } from '../types.js';

/**
 * The id of a binary blob in the page: a `<script type="application/octet-stream" id="…">` holding the bytes,
 * gzip-compressed and base64-encoded (the browser inflates them with its own DecompressionStream).
 */
export type BlobId = string;

/** One explained patch of a class, for the detail view: its score, completeness and scale curve. */
export interface ReportPatch {
  readonly index: number;
  readonly startSec: number;
  readonly score: number;
  /** F at the patch and at the path's end, and Σ attribution, in the explained output's units. */
  readonly value: number;
  readonly baselineValue: number;
  readonly attributionSum: number;
  /** |Σ attribution − (value − baselineValue)| / |value − baselineValue|. */
  readonly relError: number;
  /** The scale curve (Blur IG's path), σ in frames and mel bands. */
  readonly scale: readonly { readonly sigmaTime: number; readonly sigmaFrequency: number; readonly contribution: number }[];
}

/** An explained class: its attribution over every frame and its score track over every patch. */
export interface ReportClass {
  readonly index: number;
  readonly name: string;
  /** Int8 [frames × bands], value = q / 127 × maxAbs; −128 where the class was not explained. */
  readonly attribution: BlobId;
  /** Largest |attribution| of any cell (the quantisation's full scale). */
  readonly maxAbs: number;
  /** The colour scale's limit: the 99.5th percentile of |attribution| over the explained cells (larger values clip). */
  readonly scaleLimit: number;
  /** The class's score in every patch, in patch order (patch k starts at `patchStartsSec[k]`). */
  readonly scores: readonly number[];
  /** The patches that explained this class. */
  readonly patches: readonly ReportPatch[];
}

/** A detected event (the record `explain` reports) with what "play the evidence" needs. */
export interface ReportDetection extends Detection {
  /**
   * The event's span of the `--listen` signals (the class's evidence and the rest, src/listen), as μ-law WAV files
   * starting at `startSec`; null when the report has no audio or the class was not explained.
   */
  readonly listen: { readonly startSec: number; readonly evidence: BlobId; readonly rest: BlobId } | null;
}

/** Everything the report page draws. */
export interface ReportData {
  readonly title: { readonly file: string; readonly model: string; readonly method: string; readonly output: 'score' | 'logit'; readonly engine: string; readonly backend: string };
  /** Seconds per frame (0.01) and the frame count; frame t starts at t × frameSec. */
  readonly frameSec: number;
  readonly frames: number;
  readonly bands: number;
  /** Centre frequency of each mel band, lowest first, in Hz. */
  readonly bandCentresHz: readonly number[];
  /** Seconds covered by the frames (or the audio, if longer). */
  readonly durationSec: number;
  /** Uint8 [frames × bands] log-mel, 0 = `min` and 255 = `max` (natural log of the mel magnitude + 0.001). */
  readonly spectrogram: { readonly blob: BlobId; readonly min: number; readonly max: number };
  readonly patchStartsSec: readonly number[];
  readonly patchSec: number;
  readonly classes: readonly ReportClass[];
  readonly detections: readonly ReportDetection[];
  /** The decoded 16 kHz mono waveform as a μ-law WAV file; null when not given. */
  readonly audio: { readonly blob: BlobId; readonly sampleRateHz: number } | null;
  /** 256 RGB triples each: log-mel (sequential) and signed attribution (diverging, index 128 = 0). */
  readonly palettes: { readonly sequential: readonly number[]; readonly diverging: readonly number[] };
}

/** What the live page's code is configured with (beside the stream itself). */
export interface LiveConfig {
  readonly source: string;
  /** Seconds of audio the views show, newest at the right. */
  readonly windowSec: number;
  readonly bandCentresHz: readonly number[];
  readonly palettes: { readonly sequential: readonly number[]; readonly diverging: readonly number[] };
}
