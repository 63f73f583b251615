// The attribution flags shared by `explain` and `stream`, checked as typed and within their limits, and their translation into options.
import type { ParseArgsConfig } from 'node:util';
import { checkDetectorOptions } from '../../detect/detectorOptions.js';
import { OptionError } from '../../errors/index.js';
import { type AttributePatchesOptions, type BlurDirection, type BlurIGOptions, DEFAULT_PATCH_METHOD, type DetectorOptions, type PatchMethodName } from '../../types.js';
import type { ExplainHeader } from '../../render/explainJson.js';
import { checkClassNames } from '../classNames.js';
import { ATTRIBUTION_BATCH_LIMIT, CLASSES_LIMIT, STEPS_LIMIT, workersLimit } from '../limits.js';
import { choiceOption, type Exhaustive, integerOption, numberOption, optionError } from '../optionValues.js';

/** Class choice, output, method, Blur IG, detector and worker-thread flags. */
export const ATTRIBUTION_OPTIONS = {
  class: { type: 'string', multiple: true },
  'top-k': { type: 'string' },
  output: { type: 'string' },
  method: { type: 'string' },
  path: { type: 'string' },
  steps: { type: 'string' },
  tolerance: { type: 'string' },
  'abs-tolerance': { type: 'string' },
  'max-steps': { type: 'string' },
  'batch-size': { type: 'string' },
  threshold: { type: 'string' },
  'min-duration': { type: 'string' },
  'max-gap': { type: 'string' },
  workers: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** Every method and path name; `satisfies` plus the `Exhaustive` checks keep them equal to the library's types. */
export const METHOD_NAMES = ['blur-ig', 'blur-ig+idgi', 'integrated-gradients', 'gradient', 'gradient-x-input', 'guided-ig', 'guided-ig+idgi', 'idgi', 'occlusion', 'expected-gradients', 'grad-cam', 'random'] as const satisfies readonly PatchMethodName[];
export const PATH_NAMES = ['time-frequency', 'time', 'frequency'] as const satisfies readonly BlurDirection[];
const listsAreComplete: [Exhaustive<PatchMethodName, (typeof METHOD_NAMES)[number]>, Exhaustive<BlurDirection, (typeof PATH_NAMES)[number]>] = [true, true];
void listsAreComplete;

/**
 * Blur IG's starting step count, as `BLUR_IG_DEFAULTS.steps` in src/attribution/blurIG.ts (not imported here: that
 * module loads tfjs, and these checks run before anything heavy; test/cli/optionChecks.test.ts keeps them equal).
 */
export const BLUR_IG_DEFAULT_STEPS = 16;

/** The help lines of {@link ATTRIBUTION_OPTIONS}, shared by both commands' help. */
export function attributionHelp(): string {
  return `Classes:
  (default)          explain the detected classes, in the patches their events cover
  --class NAME       explain this class in every patch (repeatable, at most ${CLASSES_LIMIT.max} classes)
  --top-k N          explain each patch's N top classes (at most ${CLASSES_LIMIT.max})
  --output WHAT      score (default: the sigmoid score, the detection itself) or logit
Detections (from the patch scores; reported whatever the classes explained):
  --threshold ON[:OFF]  an event opens at a score ≥ ON and lasts while it is ≥ OFF (default 0.4:0.2)
  --min-duration SEC shortest event kept, from its first patch's start to its last's end (default 0.96)
  --max-gap SEC      events of one class this close merge (default 0.48: one patch hop)
Method:
  --method NAME      blur-ig+idgi (default: Blur IG's path, IDGI's step rule; chosen by blurig evaluate), blur-ig,
                     guided-ig, guided-ig+idgi, integrated-gradients, idgi, expected-gradients, occlusion,
                     grad-cam (--engine tfjs), gradient, gradient-x-input, random
  --path NAME        time-frequency (default), time, frequency (Blur IG)
  --steps N          integration steps, at most ${STEPS_LIMIT.max} (default 32 for blur-ig+idgi; blur-ig starts from
                     ${BLUR_IG_DEFAULT_STEPS} and refines)
  --tolerance X      blur-ig: refine until the relative completeness error is ≤ X (default 0.01)
  --abs-tolerance X  ... or the absolute error is ≤ X, in score (or logit) units (default 0.002)
  --max-steps N      blur-ig: cap on refinement (default 256, at most ${STEPS_LIMIT.max}; = --steps for a fixed count)
  --batch-size N     (step, class) pairs per model call (default 32, at most ${ATTRIBUTION_BATCH_LIMIT.max})
  --workers N        patches explained at once, each on a worker thread with its own model
                     (default and at most: the number of cores, ${workersLimit().max} here; 1 = on the main thread)
`;
}

type AttributionValues = {
  class?: string[];
  'top-k'?: string;
  output?: string;
  method?: string;
  path?: string;
  steps?: string;
  tolerance?: string;
  'abs-tolerance'?: string;
  'max-steps'?: string;
  'batch-size'?: string;
  threshold?: string;
  'min-duration'?: string;
  'max-gap'?: string;
  workers?: string;
  engine?: string;
};

/** The checked flags: `explainFile` / `explainLive` options and the worker count. */
export interface AttributionArgs {
  readonly options: AttributePatchesOptions;
  /** Patches explained at once, each on a worker thread with its own model; 1 runs on this thread, with no pool. */
  readonly workers: number;
}

/**
 * Checks every flag as typed (`--steps`, within its limit) and, for `--class`, against the class map, so that a
 * mistake is reported before any model loads; named classes come back as their exact display names.
 */
export async function attributionArgs(values: AttributionValues): Promise<AttributionArgs> {
  if (values.class !== undefined && values['top-k'] !== undefined) throw new OptionError('--top-k', 'absent when --class names the classes', values['top-k']);
  const output = choiceOption('--output', values.output, ['score', 'logit'] as const);
  const method = choiceOption('--method', values.method, METHOD_NAMES);
  // Only the tfjs engine exposes YAMNet's feature maps: say so now rather than at the first patch.
  if (method === 'grad-cam' && values.engine !== 'tfjs') throw optionError('--method', 'grad-cam together with --engine tfjs (the onnx engine gives no feature maps)', values.method);
  const methodOptions = blurIGOptionsFromArgs(values, method);
  const detector = detectorOptionsFromArgs(values);
  const workers = integerOption('--workers', values.workers, workersLimit().max, workersLimit());
  const classes =
    values.class !== undefined ? await checkClassNames(values.class) : values['top-k'] !== undefined ? { topK: integerOption('--top-k', values['top-k'], 1, CLASSES_LIMIT) } : 'detected';
  return { options: { method, methodOptions, classes, output, detector }, workers };
}

/** `--path`, `--steps`, `--tolerance`, `--abs-tolerance`, `--max-steps`, `--batch-size` as method options; absent flags keep the defaults. */
function blurIGOptionsFromArgs(values: AttributionValues, method: PatchMethodName | undefined): BlurIGOptions {
  const steps = values.steps === undefined ? undefined : integerOption('--steps', values.steps, 1, STEPS_LIMIT);
  const maxSteps = values['max-steps'] === undefined ? undefined : integerOption('--max-steps', values['max-steps'], 1, STEPS_LIMIT);
  // Blur IG refines from --steps up to --max-steps; the other methods take --steps as a fixed count.
  const startSteps = steps ?? BLUR_IG_DEFAULT_STEPS;
  if (method === 'blur-ig' && maxSteps !== undefined && maxSteps < startSteps) {
    throw optionError('--max-steps', `≥ --steps (${startSteps}${steps === undefined ? ', its default' : ''})`, values['max-steps']);
  }
  return {
    path: choiceOption('--path', values.path, PATH_NAMES),
    steps,
    tolerance: numberOption('--tolerance', values.tolerance),
    absTolerance: numberOption('--abs-tolerance', values['abs-tolerance'], { allowZero: true }),
    maxSteps,
    batchSize: values['batch-size'] === undefined ? undefined : integerOption('--batch-size', values['batch-size'], 1, ATTRIBUTION_BATCH_LIMIT),
  };
}

/** The detector's own names, as the flags that set them. */
const DETECTOR_FLAGS: Record<string, string> = { onThreshold: '--threshold', offThreshold: '--threshold', minDurationSec: '--min-duration', maxGapSec: '--max-gap' };

/** `--threshold ON[:OFF]`, `--min-duration`, `--max-gap` as detector options, checked as the detector will. */
export function detectorOptionsFromArgs(values: Pick<AttributionValues, 'threshold' | 'min-duration' | 'max-gap'>): DetectorOptions {
  const thresholdForm = 'ON or ON:OFF with 0 < OFF ≤ ON < 1 (e.g. 0.4:0.2)';
  const parts = values.threshold === undefined ? [] : values.threshold.split(':');
  const [on, off] = parts.map((part) => Number(part));
  if (values.threshold !== undefined) {
    const inRange = (x: number | undefined) => x === undefined || (Number.isFinite(x) && x > 0 && x < 1);
    if (parts.length > 2 || parts.some((part) => part.trim() === '') || !inRange(on) || !inRange(off) || (off !== undefined && off > on)) {
      throw optionError('--threshold', thresholdForm, values.threshold);
    }
  }
  const detector: DetectorOptions = {
    onThreshold: on,
    offThreshold: off,
    minDurationSec: numberOption('--min-duration', values['min-duration'], { allowZero: true }),
    maxGapSec: numberOption('--max-gap', values['max-gap'], { allowZero: true }),
  };
  try {
    checkDetectorOptions(detector); // the detector's own checks, so nothing it would refuse gets past here
  } catch (error) {
    if (!(error instanceof OptionError)) throw error;
    const flag = DETECTOR_FLAGS[error.option] ?? error.option;
    throw optionError(flag, error.allowed, flag === '--threshold' ? values.threshold : values[flag.slice(2) as 'min-duration' | 'max-gap']);
  }
  return detector;
}

/** The report header of a run: what ran it, what was explained and how the classes were chosen. */
export function explainHeader(run: { engine: ExplainHeader['engine']; backend: string; model: string }, options: AttributePatchesOptions): ExplainHeader {
  const classes = options.classes ?? 'detected';
  return {
    ...run,
    method: options.method ?? DEFAULT_PATCH_METHOD,
    output: options.output ?? 'score',
    classChoice: classes === 'detected' ? 'detected' : Array.isArray(classes) ? 'named' : 'top-k',
    detector: checkDetectorOptions(options.detector),
  };
}
