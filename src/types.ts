// Every record and option interface of blurig-audio, defined once and documented field by field.
import type * as tf from '@tensorflow/tfjs-core';

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

/** Quadrature rules on the path parameter (see `schedule` in {@link BlurIGOptions}). */
export type ScheduleName = 'gauss-legendre' | 'left-riemann' | 'midpoint' | 'trapezoid';

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

/**
 * A patch with the model's verdict on it and, optionally, the classes chosen for it upstream: what the scoring and
 * class-choice stages hand to attribution.
 */
export interface ScoredPatch extends Patch {
  /** Logits of every class, in class-index order. */
  readonly logits: Float32Array;
  /** Sigmoid scores of every class, in class-index order. */
  readonly scores: Float32Array;
  /**
   * Classes to explain in this patch, ascending. When present it overrides the attribution options' `classes`; an
   * empty list explains nothing (the patch still passes through, with no classes).
   */
  readonly explain?: readonly number[];
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
  /** What ran the network: `onnx` (onnxruntime-node) or `tfjs`. */
  readonly engine: EngineName;
  /** tfjs backend (`tensorflow`, `wasm` or `cpu`): it runs the model when `engine` is `tfjs`, else the blur paths only. */
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
  | 'guided-ig'
  | 'guided-ig-pair'
  | 'guided-ig+idgi'
  | 'idgi'
  | 'blur-ig+idgi'
  | 'occlusion'
  | 'expected-gradients'
  | 'grad-cam'
  | 'random'
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
  /** Gradient calls of the explained function, each on at most `batchSize` inputs; every method also makes one forward-only call (F at the input and baseline, or the output width), not counted here. */
  readonly modelCalls: number;
  /** One entry per explained output, in output order; `outputs[0]` repeats the top-level fields. */
  readonly outputs: readonly Attribution[];
}

/**
 * The function explained: a batch of inputs [B, T, F] to one value per input ([B], e.g. a class logit) or to
 * K values per input ([B, K], e.g. K class logits; every column is explained, sharing the path inputs).
 */
export type ExplainedFunction = (inputs: tf.Tensor3D) => tf.Tensor1D | tf.Tensor2D;

/**
 * An explained function computed outside tfjs (e.g. by onnxruntime), asynchronously, on row-major float32 batches:
 * what the gradient methods need, without tensors. Same meaning as an {@link ExplainedFunction} with K outputs.
 */
export interface AsyncExplainedFunction {
  /** K, the outputs per input (1 for a single class). */
  readonly outputs: number;
  /** F(x_n) for `count` inputs [count, frames, bands]: row-major [count × K]. */
  values(inputs: Float32Array, count: number, frames: number, bands: number): Promise<Float32Array>;
  /**
   * For each item b (input b of [items, frames, bands], output column `outputOf[b]`): `values` [items] holds
   * F_{k_b}(x_b) and `gradients` [items × frames × bands] holds ∇F_{k_b}(x_b).
   */
  gradients(inputs: Float32Array, outputOf: Int32Array, frames: number, bands: number): Promise<{ values: Float32Array; gradients: Float32Array }>;
}

/** Anything an attribution method can explain: a tfjs function or an {@link AsyncExplainedFunction}. */
export type Explainable = ExplainedFunction | AsyncExplainedFunction;

/** Where YAMNet runs: tfjs (the backend chosen by `backend`) or onnxruntime-node (`onnx`, optional package). */
export type EngineName = 'tfjs' | 'onnx';

/**
 * A YAMNet-compatible classifier the operators can classify with and explain: the tfjs rebuild
 * ({@link YamnetModel}) or the onnxruntime engine. Patches are row-major [count, 96, 64] float32.
 */
export interface ClassifierModel {
  /** Which build and engine, for reports. */
  readonly name: string;
  readonly engine: EngineName;
  /** The model file it was built from. */
  readonly path: string;
  /** Display names, by class index. */
  readonly classNames: readonly string[];
  /** [frames, bands] of one patch: [96, 64]. */
  readonly inputShape: readonly [number, number];
  /** Logits [count × classes] (before the sigmoid) of `count` patches. */
  logitsOf(patches: Float32Array, count: number): Promise<Float32Array>;
  /** The function explained for classes `indices`: their logits or sigmoid scores, [B] when `single`, else [B, K]. */
  target(indices: readonly number[], output: 'logit' | 'score', single: boolean): Explainable;
  /**
   * The model's weighted layers, output side first, as {@link ClassifierModel.randomised} counts them (e.g.
   * `logits`, `layer14/pointwise`, …); absent when the model cannot be randomised.
   */
  readonly weightLayers?: readonly string[];
  /**
   * A copy of this model whose `topLayers` weighted layers (output side first) are randomised, seeded (the model
   * randomisation test of Adebayo et al., 2018): each layer's weights are a seeded permutation of its own values (the
   * distribution-preserving variant of re-initialisation). The copy runs on the same engine; the caller disposes it.
   */
  randomised?(topLayers: number, seed: number): Promise<ClassifierModel>;
  /** Grad-CAM's inputs for classes `indices` at one patch [96 × 64]; absent where the engine cannot give them. */
  featureMaps?(patch: Float32Array, indices: readonly number[], output: 'logit' | 'score'): Promise<FeatureMapGradients>;
  /** Frees the weights (tensors or sessions); the model is unusable afterwards. */
  dispose(): void;
}

/** What scoring needs of a model: logits of a batch of patches (a {@link ClassifierModel} or an attribution pool). */
export type PatchClassifier = Pick<ClassifierModel, 'logitsOf' | 'inputShape'>;

/** An input patch: a [T, F] tensor, nested rows, row-major values with their dimensions, or a {@link Patch} record. */
export type PatchInput =
  | tf.Tensor2D
  | readonly (readonly number[])[]
  | { readonly values: Float32Array; readonly frames: number; readonly bands: number }
  | Pick<Patch, 'logMel' | 'frames' | 'bands'>;

/**
 * What lies beyond the patch edges while it blurs. `reflect` (Neumann): nothing leaks in, the patch mean is kept and
 * the infinite blur is the axis mean. `{ constant: c }`: the edges touch a constant c (e.g. silence, −6.9078), and the
 * infinite blur is c.
 */
export type Boundary = 'reflect' | { readonly constant: number };

/** Which axes blur along the path. */
export type BlurDirection = 'time-frequency' | 'time' | 'frequency';

/** Options of {@link blurIG}. */
export interface BlurIGOptions {
  /** Axes that blur: both (`time-frequency`), `time` only (ends at the average spectrum) or `frequency` only. @default 'time-frequency' */
  readonly path?: BlurDirection;
  /**
   * Largest blur σ, in frames (time) and mel bands (frequency); a number sets both. Defaults: the axis lengths
   * (96 and 64 for YAMNet), where the slowest surviving mode keeps exp(−π²/2) < 1% of its amplitude, so the baseline
   * has (almost) no structure left along the blurred axes (DESIGN.md §3).
   */
  readonly maxSigma?: number | { readonly time?: number; readonly frequency?: number };
  /** What lies beyond the patch edges while it blurs. @default 'reflect' */
  readonly boundary?: Boundary;
  /**
   * Integration rule in the path parameter s. `increments` (default): ½(∇F(a) + ∇F(b)) ⊙ (L(a) − L(b)) per cell
   * between uniform nodes, exact wherever YAMNet stays linear, with each cell's error known from F itself; or a
   * rule on the exact derivative ∂L/∂s: `gauss-legendre`, `left-riemann` (the reference's), `midpoint`, `trapezoid`.
   * @default 'increments'
   */
  readonly schedule?: ScheduleName | 'increments';
  /** σ(s) = σ_max · s^scalePower: 2 stretches the fine scales, where YAMNet's logit changes most. @default 2 */
  readonly scalePower?: number;
  /** Integration steps (model evaluations per output): the starting nodes when refining. @default 16 */
  readonly steps?: number;
  /**
   * Refine the path until every output's relative completeness error is ≤ tolerance (or `maxSteps` is reached),
   * reusing every evaluation already made; `steps` is the starting count. On real YAMNet patches 32 fixed steps
   * leave 17–125% error, while refinement reaches 1% in 42–104 steps on the samples (bench/RESULTS.md), hence
   * refinement by default.
   * Refinement applies to `increments` and `gauss-legendre` (panels); the other rules use `steps` as given.
   * Set `maxSteps` equal to `steps` for a fixed step count.
   * @default 0.01
   */
  readonly tolerance?: number;
  /**
   * An absolute floor beside `tolerance`, in the explained output's units: an output whose completeness error is ≤
   * this is done whatever its relative error. With scores (the default output) a patch where the class is absent
   * moves the score by thousandths along the whole path; without a floor it would refine to `maxSteps` for a
   * precision no one reads. 0.002 binds only where the score changes by less than 0.2; with logits (which change by
   * several units) it practically never binds. 0 turns it off.
   * @default 0.002
   */
  readonly absTolerance?: number;
  /** Cap on steps when refining. @default 256 */
  readonly maxSteps?: number;
  /** (step, output) pairs per call of `f`. @default 32 */
  readonly batchSize?: number;
  /**
   * Share each step's change of F among the features by IDGI (g²/Σg² · ΔF; Yang et al., CVPR 2023) instead of integrating
   * ∇F ⊙ ∂L/∂s: method `blur-ig+idgi`, on `steps` + 1 uniform points in s from L(1) to the input, complete by construction
   * (Σ attribution = F(x) − F(L(1)) to rounding), so `schedule`, `tolerance`, `absTolerance` and `maxSteps` do not apply.
   * @default false
   */
  readonly idgi?: boolean;
}

/** Options of {@link blurIGPair}, named and defaulted as the reference's `GetMask` arguments. */
export interface BlurIGPairOptions {
  /** Blur σ at the path's end (the baseline), in samples on both axes; > 0. @default 50 */
  readonly maxSigma?: number;
  /** Riemann steps along the path; a positive integer. @default 100 */
  readonly steps?: number;
  /** Space the steps as σ_i = √(i·maxSigma/steps) instead of i·maxSigma/steps. @default false */
  readonly sqrt?: boolean;
  /** Most (step, output) pairs per call of the explained function; a positive integer. @default 1 */
  readonly batchSize?: number;
  /** σ increment of the forward difference that estimates ∂L/∂σ; > 0. @default 0.01 */
  readonly gradStep?: number;
}

/**
 * Where the straight path of Integrated Gradients starts.
 *
 * - `'silence'` (the default): {@link SILENCE_LOG_MEL} (−6.9078 = log(0 + 0.001)) everywhere, the log-mel patch of
 *   digital silence. It is the natural "absence of sound": every band at its floor. Zero is not: in the log-mel
 *   domain 0 is a loud, mid-level value (DESIGN.md §3), so a zeros baseline explains the input against a constant
 *   hum. It also converged faster on YAMNet (DESIGN.md §3: 4.7% against 13% median completeness error at 32 steps).
 * - `'zeros'`: 0 everywhere (the usual image baseline; kept for comparison and for gradient × input's check).
 * - `{ noise: { seed, low, high } }`: uniform noise in [low, high] (default: the patch's own min and max) from a
 *   seeded mulberry32 generator (default seed 0), so results repeat.
 * - `{ blurred: { sigmaTime, sigmaFrequency, boundary } }`: the patch blurred in the discrete scale space with
 *   variance σ² per axis (defaults: σ = the axis length, the `maxSigma` defaults of Blur IG, where under 1% of the
 *   detail is left; boundary `reflect`). This is Blur IG's end point reached by a straight line instead.
 * - any {@link PatchInput} of the input's shape: used as given (a ShapeError otherwise).
 */
export type BaselineSpec =
  | 'silence'
  | 'zeros'
  | { readonly noise: { readonly seed?: number; readonly low?: number; readonly high?: number } }
  | { readonly blurred: { readonly sigmaTime?: number; readonly sigmaFrequency?: number; readonly boundary?: Boundary } }
  | PatchInput;

/** Options of {@link integratedGradients}. */
export interface IntegratedGradientsOptions {
  /** Where the path starts; see {@link BaselineSpec}. @default 'silence' */
  readonly baseline?: BaselineSpec;
  /**
   * Quadrature points on the path. 32 fills exactly one batch at the default `batchSize` (one gradient call per
   * explained output, ~0.5 s per patch and class on wasm). It is a cost choice, not an accuracy promise: YAMNet's
   * ReLU6 kinks hold every rule near first order (DESIGN.md §3). Measured from silence on six real patches (top-class
   * logit, Gauss–Legendre), the median relative completeness error was 7% at 32 steps (worst 20%), 4.8% at 64 and
   * 1.7% at 128 (worst 6%). Read `completeness.relError` and raise `steps` when it matters.
   * @default 32
   */
  readonly steps?: number;
  /** Quadrature rule on α ∈ [0, 1]. @default 'gauss-legendre' */
  readonly schedule?: ScheduleName;
  /** Inputs per call of `f`: each (point, output) pair is one input. @default 32 */
  readonly batchSize?: number;
}

/** Options of {@link vanillaGradient} and {@link gradientTimesInput}. */
export interface GradientOptions {
  /**
   * Inputs per call of `f`. With K outputs the gradients take ceil(K / batchSize) calls (each output of each
   * point is one input of a batch).
   * @default 32
   */
  readonly batchSize?: number;
}

/** Options of {@link guidedIG} (Kapishnikov et al., CVPR 2021), named as PAIR saliency's `GuidedIG.GetMask` arguments. */
export interface GuidedIGOptions {
  /** Where the path starts; see {@link BaselineSpec}. @default 'silence' */
  readonly baseline?: BaselineSpec;
  /**
   * Steps along the path (PAIR's `x_steps`). Native: steps + 1 gradient calls (the trapezoid rule on each chord, the
   * input's gradient included), or steps with `idgi`. @default 64
   */
  readonly steps?: number;
  /** Share of the features moved at each step: those with the smallest |∇F| (PAIR's `fraction`), in (0, 1]. @default 0.25 */
  readonly fraction?: number;
  /** How far (in α, the share of the way) a feature may lag the straight line before it is snapped forward (PAIR's `max_dist`), in [0, 1]. @default 0.02 */
  readonly maxDist?: number;
  /** Distribute each step's change of F by IDGI (g²/Σg² · ΔF) instead of the Riemann sum g ⊙ Δx. @default false */
  readonly idgi?: boolean;
  /**
   * Reproduce PAIR saliency's `guided_ig_impl` exactly (float64, its selection and stopping rules). With it, the
   * defaults are PAIR's: baseline `'zeros'`, steps 200 (fraction 0.25, maxDist 0.02), and `idgi` must stay false.
   */
  readonly compat?: 'pair';
}

/** Options of {@link idgi} (Yang et al., CVPR 2023) on the straight line from the baseline to the input. */
export interface IdgiOptions {
  /** Where the path starts; see {@link BaselineSpec}. @default 'silence' */
  readonly baseline?: BaselineSpec;
  /** Points on the path, a_j = linspace(0, 1, steps), both ends included (the IDGI code's `x_steps`); ≥ 2. @default 32 */
  readonly steps?: number;
  /** (point, output) pairs per call of `f`. @default 32 */
  readonly batchSize?: number;
}

/** Options of {@link occlusion}: boxes of the patch replaced by a reference, slid over time and frequency. */
export interface OcclusionOptions {
  /** Box size in frames (time) and mel bands (frequency). @default { frames: 8, bands: 8 } */
  readonly box?: { readonly frames?: number; readonly bands?: number };
  /** Box stride in frames and bands (≤ the box size, so every cell is covered). @default half the box */
  readonly stride?: { readonly frames?: number; readonly bands?: number };
  /** What fills an occluded box; see {@link BaselineSpec}. @default 'silence' */
  readonly baseline?: BaselineSpec;
  /** Occluded patches per call of `f`. @default 32 */
  readonly batchSize?: number;
}

/** Options of {@link expectedGradients} (Erion et al., 2021): IG averaged over random baselines and random points. */
export interface ExpectedGradientsOptions {
  /**
   * Where the baselines come from: `noise` (silence plus Gaussian noise of `noiseLevel` × the input's range), or
   * row-major patches [n × T × F] (e.g. other patches of the corpus), drawn at random.
   * @default 'noise'
   */
  readonly baselines?: 'noise' | { readonly values: Float32Array; readonly count: number };
  /** Noise standard deviation as a share of the input's range (max − min), for `noise`. @default 0.15 */
  readonly noiseLevel?: number;
  /** (baseline, α) samples averaged. @default 32 */
  readonly samples?: number;
  /** Seed of the baselines and of α (mulberry32), so results repeat. @default 0 */
  readonly seed?: number;
  /** (sample, output) pairs per call of `f`. @default 32 */
  readonly batchSize?: number;
}

/** Options of {@link randomAttribution}: the control every method must beat. */
export interface RandomAttributionOptions {
  /** Seed of the values (mulberry32, uniform in [−1, 1)), so results repeat. @default 0 */
  readonly seed?: number;
}

/**
 * A convolutional layer's feature maps at one input and the gradient of each explained output with respect to them:
 * what Grad-CAM needs from a model.
 */
export interface FeatureMapGradients {
  /** The layer, as the model names it (e.g. YAMNet's last depthwise-separable block). */
  readonly layer: string;
  /** Feature map height (time), width (frequency) and channels. */
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Row-major [height × width × channels] activations. */
  readonly maps: Float32Array;
  /** Per explained output k, row-major [height × width × channels] ∂F_k/∂maps. */
  readonly gradients: readonly Float32Array[];
  /** Per explained output k, F_k at the input. */
  readonly values: Float32Array;
}

/** Options of {@link gradCam}. */
export interface GradCamOptions {
  /** Explain the sigmoid score or the logit. @default 'score' */
  readonly output?: 'logit' | 'score';
}

/** Any method of this folder (Blur IG included): `(f, x, options) → Promise<AttributionResult>`. */
export type AttributionFunction<O extends object> = (f: Explainable, x: PatchInput, options: O) => Promise<AttributionResult>;

/** Options of {@link smoothGrad}. */
export interface SmoothGradOptions<O extends object> {
  /**
   * Noise standard deviation as a fraction of the input's range (max − min), as PAIR's `stdev_spread`. 0 gives the
   * inner method's result; a constant input (range 0) gets no noise.
   * @default 0.15
   */
  readonly noiseLevel?: number;
  /** Noisy copies averaged. @default 16 */
  readonly samples?: number;
  /** Seed of the noise (mulberry32, Box–Muller), so results repeat. @default 0 */
  readonly seed?: number;
  /** Options passed to the inner method for every copy. @default {} */
  readonly methodOptions?: O;
  /**
   * Inputs per call of `f`. For `vanillaGradient` and `gradientTimesInput` the copies go through the model together
   * (ceil(samples · K / batchSize) calls); for other methods it is passed to the inner method unless
   * `methodOptions.batchSize` is set. @default `methodOptions.batchSize`, else 32
   */
  readonly batchSize?: number;
}

/** Options of {@link classTarget}. */
export interface ClassTargetOptions {
  /**
   * Explain the class's sigmoid score (the detection itself, DESIGN.md §6) or its logit. The score is the default:
   * an absent class's logit still moves a lot between the patch and its baseline, which spreads "evidence" over
   * patches where nothing of the class is heard (on the mixtures of issue 9: 31 % of the positive attribution inside
   * the labelled span with logits, 82 % with scores). The logit does not saturate, which matters where a class is
   * certain everywhere.
   * @default 'score'
   */
  readonly output?: 'logit' | 'score';
}

/** A class an attribution explains. */
export interface ExplainedClass {
  /** Class index in the model's output. */
  readonly index: number;
  /** Display name from the class map. */
  readonly name: string;
}

/** One class's attribution over one patch. */
export interface ClassAttribution {
  /** The class explained. */
  readonly classIndex: number;
  /** Its sigmoid score on this patch. */
  readonly score: number;
  /** Its logit on this patch (before the sigmoid). */
  readonly logit: number;
  /** F at the patch: the explained output (the score or the logit, as the patch's `output` says). */
  readonly value: number;
  /** F at the method's baseline (NaN for methods without one). */
  readonly baselineValue: number;
  /** Σ attribution. */
  readonly attributionSum: number;
  /** Relative completeness error |Σ attribution − (value − baselineValue)| / |value − baselineValue|. */
  readonly relError: number;
  /** Row-major [frames × bands] attribution. */
  readonly attribution: Float32Array;
  /** The scale curve (Blur IG), in path order. */
  readonly scale: readonly ScaleStep[];
}

/** The attribution of one patch: the {@link Patch} it explains, with its results; emitted by `attributePatches`, one per patch, in order. */
export interface PatchAttribution extends Patch {
  /** Attribution method that produced it. */
  readonly method: AttributionMethod;
  /** What was explained: each class's sigmoid score or its logit. */
  readonly output: 'score' | 'logit';
  /** Sigmoid scores of every class on this patch (what detections are made from). */
  readonly scores: Float32Array;
  /** Model evaluations spent on this patch (all classes). */
  readonly evaluations: number;
  /** One entry per explained class, in the order the classes were chosen. */
  readonly classes: readonly ClassAttribution[];
}

/** One class's attribution at one frame: the mean over the patches that cover the frame and explained the class. */
export interface FrameClassAttribution {
  /** The class explained. */
  readonly classIndex: number;
  /** Mean attribution over the 64 bands, lowest band first. */
  readonly attribution: Float32Array;
  /** Patches that contributed, in order (one or two). */
  readonly patches: readonly number[];
  /** The class score in each of those patches. */
  readonly scores: readonly number[];
  /** The relative completeness error of each of those patches for this class. */
  readonly relErrors: readonly number[];
}

/** The per-frame attribution stream's record: one per 10 ms frame, in order, emitted once, when final. */
export interface FrameAttribution {
  /** Frame number from the start of the stream. */
  readonly index: number;
  /** Frame start in seconds (index × 0.01). */
  readonly timeSec: number;
  /** The frame's 64 log-mel values. */
  readonly logMel: Float32Array;
  /** Per explained class (union over the covering patches, in first-seen order). */
  readonly classes: readonly FrameClassAttribution[];
}

/**
 * The method `explain`, `stream` and the attribution operators run unless told: Blur IG's scale-space path with
 * IDGI's step rule. Chosen by `blurig evaluate` on the samples (bench/evaluate.ts, README): of the twelve methods
 * only it and `guided-ig+idgi` beat the random control on every sample on both curves against both references; it
 * depends most on the model of the two (randomisation |ρ| 0.14 against 0.31), costs 0.73× as much, and is complete by
 * construction. Before issue 12 the default was `blur-ig`, which loses to the control on some (see the README).
 */
export const DEFAULT_PATCH_METHOD = 'blur-ig+idgi';

/** Attribution methods `attributePatches` can run. */
export type PatchMethodName = 'blur-ig' | 'blur-ig+idgi' | 'guided-ig+idgi' | 'integrated-gradients' | 'gradient' | 'gradient-x-input' | 'guided-ig' | 'idgi' | 'occlusion' | 'expected-gradients' | 'grad-cam' | 'random';

/** Options of the `attributePatches` operator. */
export interface AttributePatchesOptions {
  /** The method. @default {@link DEFAULT_PATCH_METHOD} (`blur-ig+idgi`) */
  readonly method?: PatchMethodName;
  /** The method's own options (e.g. {@link BlurIGOptions}); `batchSize` there batches (step, class) pairs. */
  readonly methodOptions?: BlurIGOptions | IntegratedGradientsOptions | GradientOptions;
  /**
   * Which classes to explain in each patch: `'detected'`, the classes detected (see `detector`) in the patches their
   * events cover and nothing elsewhere; the patch's `topK` classes by score; or these classes (indices or display
   * names) everywhere. Several classes share the method's path inputs and batches. The pipelines (`explainFile`,
   * `explainLive`) choose classes per patch before attribution (`chooseClasses`), so they take all three; the
   * attribution operators alone take `topK` or names, or patches that carry their own `explain` list.
   * @default `'detected'` in the pipelines, `{ topK: 1 }` in the attribution operators
   */
  readonly classes?: 'detected' | { readonly topK: number } | readonly (number | string)[];
  /** How detections are made from the patch scores (for `classes: 'detected'` and for the reported detections). @default DETECTOR_DEFAULTS */
  readonly detector?: DetectorOptions;
  /** Explain the sigmoid score (default: the detection, see {@link ClassTargetOptions.output}) or the logit. @default 'score' */
  readonly output?: 'logit' | 'score';
}

/** A live pipeline fell behind and skipped a whole patch (its frames are not emitted). */
export interface DropEvent {
  readonly kind: 'drop';
  /** The dropped patch's index and start time. */
  readonly index: number;
  readonly startSec: number;
  /** Its class scores, when it was scored before it was dropped (so detections still see every patch). */
  readonly scores?: Float32Array;
}

/** How far a live pipeline is behind after finishing a patch. */
export interface LagEvent {
  readonly kind: 'lag';
  /** The patch just finished. */
  readonly index: number;
  /** Audio seconds between the newest patch that has arrived and the one just finished (0: keeping up). */
  readonly lagSec: number;
}

/** What attribution stages emit before frames are merged: patch attributions and, in live mode, drops and lag. */
export type PatchEvent = { readonly kind: 'patch'; readonly patch: PatchAttribution } | DropEvent | LagEvent;

/**
 * A detection as it opens (`start`: the event is certain; its end and peak are as known so far, `evidence` null) and
 * once it has closed and every frame it covers is final (`end`: the complete {@link Detection}).
 */
export interface DetectionEvent {
  readonly kind: 'detection';
  readonly state: 'start' | 'end';
  readonly detection: Detection;
}

/**
 * What an explain pipeline emits: each patch's event, then the frames it made final, and detections as they open and
 * close; live mode adds drops and lag.
 */
export type ExplainEvent = PatchEvent | { readonly kind: 'frame'; readonly frame: FrameAttribution } | DetectionEvent;

/** Optional taps on a pipeline's intermediate data, for exporters that need more than its events. */
export interface PipelineHooks {
  /** Called with every decoded chunk (16 kHz mono float32), in order: e.g. to keep the waveform for listening. */
  readonly onSamples?: (samples: Float32Array) => void;
  /** Called once with the input's declared duration in seconds, when its container states one: e.g. for an ETA. */
  readonly onDurationSec?: (durationSec: number) => void;
}

/** Options of the live attribution operator. */
export interface LiveOptions {
  /**
   * Patches that may wait while one is being explained. When a new patch arrives and the queue is full, the
   * oldest waiting patch is dropped (and reported), so the output stays as recent as the engine allows and memory
   * stays bounded.
   * @default 1
   */
  readonly maxWaitingPatches?: number;
  /**
   * Resolves when the consumer can take more (e.g. stdout has drained). Called before each patch is explained;
   * while it waits, new patches queue under the same drop policy, so a slow consumer also causes reported drops
   * instead of unbounded buffering.
   */
  readonly whenConsumerReady?: () => Promise<void>;
}

/**
 * How per-patch class scores become detected events (src/detect): hysteresis thresholds, a minimum duration and
 * gap merging, all in score units and seconds.
 */
export interface DetectorOptions {
  /** An event opens at a patch whose score is ≥ this. @default DETECTOR_DEFAULTS.onThreshold */
  readonly onThreshold?: number;
  /** An open event continues while the score stays ≥ this (≤ onThreshold). @default DETECTOR_DEFAULTS.offThreshold */
  readonly offThreshold?: number;
  /** Events shorter than this (from the first patch's start to the last patch's end) are discarded. @default DETECTOR_DEFAULTS.minDurationSec */
  readonly minDurationSec?: number;
  /** Two events of one class separated by at most this much (in patch hops × 0.48 s) merge into one. @default DETECTOR_DEFAULTS.maxGapSec */
  readonly maxGapSec?: number;
}

/** An event as the detector decides it from patch scores alone (before its evidence is known). */
export interface DetectedSpan {
  /** The class detected. */
  readonly classIndex: number;
  /** First and last patch of the event (inclusive). */
  readonly firstPatch: number;
  readonly lastPatch: number;
  /** Start of the first patch, in seconds (firstPatch × 0.48). */
  readonly startSec: number;
  /** End of the last patch, in seconds (lastPatch × 0.48 + 0.96). */
  readonly endSec: number;
  /** Highest score of the class in the event's patches. */
  readonly peakScore: number;
  /** Centre of the patch with that score, in seconds (its start + 0.48). */
  readonly peakSec: number;
}

/** A detected event with its evidence: what `blurig explain` reports in `detections[]`. */
export interface Detection {
  /** The class detected. */
  readonly classIndex: number;
  /** Its display name. */
  readonly name: string;
  /** Start of the event's first patch, in seconds. */
  readonly startSec: number;
  /** End of the event's last patch, in seconds. */
  readonly endSec: number;
  /** Highest score of the class in the event. */
  readonly peakScore: number;
  /** Centre of the patch with that score, in seconds. */
  readonly peakSec: number;
  /**
   * The frame-accurate extent of the class's positive attribution within the event's frames: the shortest run of
   * 10 ms frames that holds 90 % of it (start of its first frame to the end of its last frame's hop, in seconds);
   * null when the class was not explained there or carries no positive attribution.
   */
  readonly evidence: { readonly startSec: number; readonly endSec: number } | null;
}

/** A class's labelled span in a clip, as samples/samples.json lists them (`--spans`). */
export interface LabelledSpan {
  /** The class's display name. */
  readonly class: string;
  readonly startSec: number;
  readonly endSec: number;
}

/** One method as `evaluate` runs it: its report name, the patch method and its settings. */
export interface EvaluatedMethod {
  /** Name in reports: `blur-ig`, `guided-ig`, `idgi`, `random`, … */
  readonly name: string;
  /** The patch method that computes it. */
  readonly method: PatchMethodName;
  /** That method's options, as run. */
  readonly methodOptions: object;
}

/** Options of `evaluateFile` (and `blurig evaluate`). */
export interface EvaluateOptions {
  /** Methods by report name (see `EVALUATED_METHODS`). @default every method the model supports, `random` included */
  readonly methods?: readonly string[];
  /** Which classes to evaluate in each patch: the detected ones, or these names/indices in every patch. @default 'detected' */
  readonly classes?: 'detected' | readonly (number | string)[];
  /** How detections are made from the patch scores. @default DETECTOR_DEFAULTS */
  readonly detector?: DetectorOptions;
  /** The file's labelled spans, for localisation; classes without spans get no localisation figures. @default [] */
  readonly spans?: readonly LabelledSpan[];
  /** Intervals n of the deletion and insertion curves (n + 1 points, each one forward pass per reference). @default 16 */
  readonly curveIntervals?: number;
  /**
   * Where the curve points lie: `ends` (q_k = (1 − cos(πk/n)) / 2, dense where YAMNet's score moves: the first cells
   * deleted and the last inserted) or `uniform` (q_k = k / n). The same area either way, estimated better by `ends`.
   * @default 'ends'
   */
  readonly curveSpacing?: 'uniform' | 'ends';
  /** Top weighted layers randomised, one cascade level each (the model randomisation test). @default [1, 3, 8] */
  readonly randomizationLevels?: readonly number[];
  /** Patches per class the randomisation test runs on (the first where the class is present), since it repeats the attribution per level. @default 3 */
  readonly sanityPatches?: number;
  /**
   * A class counts as present in a patch at this score (the detector's default lasting threshold): below it the pair
   * gets no deletion/insertion curves (they divide by the score, so an absent class's would be noise) and no
   * randomisation test, but its attribution still counts for localisation. @default 0.2
   */
  readonly minScore?: number;
  /** Seed of the randomised layers and of the `random` method. @default 0 */
  readonly seed?: number;
}

/** Deletion or insertion areas under f(x_q)/f(x), against each reference (DESIGN.md §8). */
export interface ReferenceAreas {
  /** Removed cells set to silence (−6.9078). */
  readonly silence: number | null;
  /** Removed cells set to the patch blurred at the largest σ. */
  readonly blur: number | null;
}

/** One method's figures on one class and patch. */
export interface PatchMethodEvaluation {
  readonly patchIndex: number;
  readonly startSec: number;
  readonly classIndex: number;
  /** The class's score at the patch. */
  readonly score: number;
  /** Area under the deletion curve (lower is better); null where the class is absent (score below `minScore`). */
  readonly deletionAuc: ReferenceAreas;
  /** Area under the insertion curve (higher is better). */
  readonly insertionAuc: ReferenceAreas;
  /** The curves themselves, f(x_q)/f(x) at each fraction q (`fractions`); empty where the score was too small. */
  readonly curves: { readonly fractions: readonly number[]; readonly deletion: { readonly silence: readonly number[]; readonly blur: readonly number[] }; readonly insertion: { readonly silence: readonly number[]; readonly blur: readonly number[] } };
  /**
   * Spearman rank correlation between the attribution of the class's logit on the model and on the randomised model,
   * per cascade level; empty outside the sanity patches. Logits, because a randomised network's scores saturate
   * (every score gradient 0). Where the randomised attribution is still constant it shares no ranking with the
   * original: 0. Null only where the original itself is constant.
   */
  readonly randomization: readonly { readonly layers: number; readonly rankCorrelation: number | null }[];
  /** The method's relative completeness error (NaN for methods without a baseline: see `completeness`). */
  readonly completenessError: number;
  readonly evaluations: number;
  /** Wall time of the attribution of the patch (all its classes), in milliseconds. */
  readonly ms: number;
}

/** A method's figures, as means over patches (and classes), as `blurig evaluate --json` writes them. */
export interface MethodFigures {
  readonly deletionAuc: ReferenceAreas;
  readonly insertionAuc: ReferenceAreas;
  /** Share of positive attribution mass inside the class's spans; null without spans. */
  readonly insideShare: number | null;
  /** Share of (class, file) pairs whose peak frame lies in a span; null without spans. */
  readonly pointingGame: number | null;
  /** IoU in time of the evidence extent with the spans; null without spans. */
  readonly evidenceIou: number | null;
  /**
   * Mean |Spearman ρ| between the logit attribution on the model and on the most randomised copy (lower: the method
   * depends on the model). Absolute, since a randomised readout may flip the logit's sign, which reverses the
   * ranking without changing what it singles out; the per-pair signed values are in the patch figures.
   */
  readonly randomizationRankCorrelation: number | null;
  /** The same at every cascade level, fewest layers first. */
  readonly randomization: readonly { readonly layers: number; readonly rankCorrelation: number | null }[];
  /** Mean relative completeness error; null for methods without a baseline. */
  readonly completenessError: number | null;
  readonly evaluationsPerPatch: number;
  readonly msPerPatch: number;
  /** (patch, class) pairs the means are over, and those whose score was too small for the curves. */
  readonly pairs: number;
  readonly skippedPairs: number;
}
