// The attribution flags shared by `explain` and `stream`, and their translation into options (checked downstream).
import { availableParallelism } from 'node:os';
import type { ParseArgsConfig } from 'node:util';
import { checkDetectorOptions } from '../../detect/detectorOptions.js';
import { OptionError } from '../../errors/index.js';
import type { AttributePatchesOptions, BlurDirection, BlurIGOptions, DetectorOptions, PatchMethodName } from '../../types.js';
import { positiveInteger } from '../args.js';
import type { ExplainHeader } from '../../render/explainJson.js';

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

/** The help lines of {@link ATTRIBUTION_OPTIONS}, shared by both commands' help. */
export const ATTRIBUTION_HELP = `Classes:
  (default)          explain the detected classes, in the patches their events cover
  --class NAME       explain this class in every patch (repeatable)
  --top-k N          explain each patch's N top classes
  --output WHAT      score (default: the sigmoid score, the detection itself) or logit
Detections (from the patch scores; reported whatever the classes explained):
  --threshold ON[:OFF]  an event opens at a score ≥ ON and lasts while it is ≥ OFF (default 0.4:0.2)
  --min-duration SEC shortest event kept, from its first patch's start to its last's end (default 0.96)
  --max-gap SEC      events of one class this close merge (default 0.48: one patch hop)
Method:
  --method NAME      blur-ig (default), integrated-gradients, gradient, gradient-x-input
  --path NAME        time-frequency (default), time, frequency (Blur IG)
  --steps N          integration steps to start from (default 16)
  --tolerance X      refine until the relative completeness error is ≤ X (default 0.01)
  --abs-tolerance X  ... or the absolute error is ≤ X, in score (or logit) units (default 0.002)
  --max-steps N      cap on refinement (default 256; = --steps for a fixed count)
  --batch-size N     (step, class) pairs per model call (default 32)
  --workers N        patches explained at once, each on a worker thread with its own model
                     (default: the number of cores; 1 = one patch at a time on the main thread)
`;

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
};

/** The flags as `explainFile` / `explainLive` options: named classes, `--top-k`, or the detected classes by default. */
export function patchOptionsFromArgs(values: AttributionValues): AttributePatchesOptions {
  if (values.class !== undefined && values['top-k'] !== undefined) throw new OptionError('--top-k', 'absent when --class names the classes', values['top-k']);
  if (values.output !== undefined && values.output !== 'score' && values.output !== 'logit') throw new OptionError('--output', '`score` or `logit`', values.output);
  const detector = detectorOptionsFromArgs(values);
  checkDetectorOptions(detector); // a bad threshold is reported before the model loads
  return {
    method: values.method as PatchMethodName | undefined,
    methodOptions: blurIGOptionsFromArgs(values),
    classes: values.class !== undefined ? values.class : values['top-k'] !== undefined ? { topK: positiveInteger('top-k', values['top-k'], 1) } : 'detected',
    output: values.output as 'score' | 'logit' | undefined,
    detector,
  };
}

/** `--path`, `--steps`, `--tolerance`, `--abs-tolerance`, `--max-steps`, `--batch-size` as method options; absent flags keep the defaults. */
export function blurIGOptionsFromArgs(values: AttributionValues): BlurIGOptions {
  return {
    path: values.path as BlurDirection | undefined,
    steps: numberFlag('steps', values.steps),
    tolerance: numberFlag('tolerance', values.tolerance),
    absTolerance: numberFlag('abs-tolerance', values['abs-tolerance']),
    maxSteps: numberFlag('max-steps', values['max-steps']),
    batchSize: numberFlag('batch-size', values['batch-size']),
  };
}

/** `--threshold ON[:OFF]`, `--min-duration`, `--max-gap` as detector options. */
function detectorOptionsFromArgs(values: AttributionValues): DetectorOptions {
  const [on, off, extra] = values.threshold === undefined ? [] : values.threshold.split(':');
  if (extra !== undefined) throw new OptionError('--threshold', 'ON or ON:OFF (e.g. 0.4:0.2)', values.threshold);
  return {
    onThreshold: numberFlag('threshold', on),
    offThreshold: numberFlag('threshold', off),
    minDurationSec: numberFlag('min-duration', values['min-duration']),
    maxGapSec: numberFlag('max-gap', values['max-gap']),
  };
}

function numberFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new OptionError(`--${flag}`, 'a number', text);
  return value;
}

/** The report header of a run: what ran it, what was explained and how the classes were chosen. */
export function explainHeader(run: { engine: ExplainHeader['engine']; backend: string; model: string }, options: AttributePatchesOptions): ExplainHeader {
  const classes = options.classes ?? 'detected';
  return {
    ...run,
    method: options.method ?? 'blur-ig',
    output: options.output ?? 'score',
    classChoice: classes === 'detected' ? 'detected' : Array.isArray(classes) ? 'named' : 'top-k',
    detector: checkDetectorOptions(options.detector),
  };
}

/** `--workers N`: patches explained at once, each worker thread with its own model; 1 runs on this thread, with no pool. */
export function workersFromArgs(values: { workers?: string }): number {
  return positiveInteger('workers', values.workers, availableParallelism());
}
