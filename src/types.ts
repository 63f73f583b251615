// Every record and option interface of blurig-audio, defined once and documented field by field.

/** The numbers that fix YAMNet's front-end (DESIGN.md §1); exported so nothing restates them. */
export const YAMNET_FRONT_END = {
  /** Sample rate the model expects. */
  sampleRateHz: 16_000,
  /** STFT window length (25 ms). */
  windowSamples: 400,
  /** STFT hop (10 ms): one log-mel frame every 160 samples. */
  hopSamples: 160,
  /** FFT length; the window is zero-padded to it. */
  fftLength: 512,
  /** Mel bands. */
  melBands: 64,
  /** Lower and upper edges of the mel filterbank. */
  melMinHz: 125,
  melMaxHz: 7500,
  /** Added to the mel magnitude before the natural log. */
  logOffset: 0.001,
  /** Frames per patch (0.96 s). */
  patchFrames: 96,
  /** Frames between patch starts (0.48 s). */
  patchHopFrames: 48,
} as const;

/** Samples needed for the first patch: 15 600 (0.975 s). */
export const FIRST_PATCH_SAMPLES =
  (YAMNET_FRONT_END.patchFrames - 1) * YAMNET_FRONT_END.hopSamples + YAMNET_FRONT_END.windowSamples;
/** Samples between patch starts: 7 680 (0.48 s). */
export const PATCH_HOP_SAMPLES = YAMNET_FRONT_END.patchHopFrames * YAMNET_FRONT_END.hopSamples;
/** log(0 + logOffset): the log-mel value of digital silence, −6.9078. */
export const SILENCE_LOG_MEL = Math.log(YAMNET_FRONT_END.logOffset);

/** One 10 ms log-mel frame. */
export interface MelFrame {
  /** Frame number from the start of the stream (0-based). */
  readonly index: number;
  /** Start of the frame's window in seconds: index × 0.01. */
  readonly timeSec: number;
  /** The 64 log-mel values, lowest band first. */
  readonly logMel: Float32Array;
}

/** One 0.96 s patch of 96 log-mel frames: the classifier's input. */
export interface Patch {
  /** Patch number from the start of the stream (0-based); patch k starts at frame 48k. */
  readonly index: number;
  /** Start time in seconds: index × 0.48. */
  readonly startSec: number;
  /** Index of the first frame in the patch. */
  readonly startFrame: number;
  /** Number of frames (rows), 96. */
  readonly frames: number;
  /** Number of mel bands (columns), 64. */
  readonly bands: number;
  /** Row-major [frames × bands] log-mel values. */
  readonly logMel: Float32Array;
}

/** One class and its score. */
export interface ClassScore {
  /** Class index in the model's output (0…520 for YAMNet). */
  readonly index: number;
  /** Display name from the class map. */
  readonly name: string;
  /** Sigmoid score in [0, 1]. */
  readonly score: number;
}

/** The classifier's verdict on one patch. */
export interface PatchClassification {
  /** Patch number, as in {@link Patch.index}. */
  readonly index: number;
  /** Patch start in seconds. */
  readonly startSec: number;
  /** Sigmoid scores of every class, in class-index order. */
  readonly scores: Float32Array;
  /** Logits (pre-sigmoid) of every class, in class-index order. */
  readonly logits: Float32Array;
}

/** The result of `classify`: per patch and for the whole clip. */
export interface ClipClassification {
  /** Compute backend that ran the model (`tensorflow`, `wasm` or `cpu`). */
  readonly backend: string;
  /** Human-readable model name, e.g. `YAMNet (int8 TFLite build)`. */
  readonly model: string;
  /** Top classes of the clip: mean of the patch scores. */
  readonly clip: { readonly top: readonly ClassScore[] };
  /** Top classes of each patch. */
  readonly patches: readonly { readonly index: number; readonly startSec: number; readonly top: readonly ClassScore[] }[];
}

/** Options of the log-mel front-end operators. */
export interface LogMelOptions {
  /**
   * Pad the end of a finite stream as DESIGN.md §1 says (to 15 600 samples, then to a whole number of
   * patch hops), so that streaming a file gives the same frames as processing it whole. Live streams set it false.
   * @default true
   */
  readonly padEnd?: boolean;
}

/** Options of the `classifyPatches` operator. */
export interface ClassifyPatchesOptions {
  /**
   * Patches run through the model together. Larger batches are faster per patch but hold back the first
   * result until the batch is full (or the source completes); live pipelines keep it at 1.
   * @default 1
   */
  readonly batchSize?: number;
}

/** Which attribution method produced a result. */
export type AttributionMethod =
  | 'blur-ig'
  | 'blur-ig-pair'
  | 'integrated-gradients'
  | 'gradient'
  | 'gradient-x-input'
  | `smoothgrad(${string})`;

/** The completeness check of a path method: Σ attribution should equal F(input) − F(baseline). */
export interface Completeness {
  /** F at the explained input. */
  readonly fInput: number;
  /** F at the path's end (the baseline); NaN for methods without a baseline. */
  readonly fBaseline: number;
  /** Sum of the attribution over every (frame, band). */
  readonly attributionSum: number;
  /** |attributionSum − (fInput − fBaseline)|. */
  readonly absError: number;
  /** absError / |fInput − fBaseline| (absError itself when that difference is 0). */
  readonly relError: number;
}

/** One integration step of Blur IG: where on the scale path it sits and how much it contributed. */
export interface ScaleStep {
  /** Path parameter in [0, 1] (0 = the input, 1 = the baseline). */
  readonly s: number;
  /** Blur standard deviation along time at this step, in frames. */
  readonly sigmaTime: number;
  /** Blur standard deviation along frequency at this step, in mel bands. */
  readonly sigmaFrequency: number;
  /** This step's share of Σ attribution: −w Σ ∇F ⊙ ∂L/∂s (the paper's attribution in scale). */
  readonly contribution: number;
}

/** The attribution of one explained output (one class) over a [frames × bands] input. */
export interface Attribution {
  /** Column of the explained function's output (0 when it returns one value per input). */
  readonly output: number;
  /** Row-major [frames × bands] attribution. */
  readonly attribution: Float32Array;
  /** Completeness figures for this output. */
  readonly completeness: Completeness;
  /** The scale curve, in path order (Blur IG; empty for other methods). */
  readonly scale: readonly ScaleStep[];
}

/** What every attribution method returns: output 0's result at the top level, every output in `outputs`. */
export interface AttributionResult extends Attribution {
  /** The method, e.g. `blur-ig` or `smoothgrad(integrated-gradients)`. */
  readonly method: AttributionMethod;
  /** Input rows (time frames). */
  readonly frames: number;
  /** Input columns (mel bands). */
  readonly bands: number;
  /** Integration steps used (1 for gradient methods); for adaptive runs, what the tolerance required. */
  readonly steps: number;
  /** Input-gradient evaluations of the model, counting each (step, output) pair once. */
  readonly evaluations: number;
  /** Calls of the explained function (each on a batch of at most `batchSize` inputs). */
  readonly modelCalls: number;
  /** One entry per explained output, in output order; `outputs[0]` repeats the top-level fields. */
  readonly outputs: readonly Attribution[];
}
