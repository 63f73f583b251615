// `blurig evaluate <input>`: its options, checked before anything heavy loads; the run itself is in runEvaluate.ts.
import { basename } from 'node:path';
import { readSpans, spansFor } from '../../evaluate/spans.js';
import { EVALUATED_METHODS } from '../../evaluate/methods.js';
import { checkDecodeInput } from '../../operators/decodeAudio.js';
import type { EvaluateOptions, LabelledSpan } from '../../types.js';
import { answeredHelpOrVersion, expectPositionals, MODEL_OPTIONS, parseCommandArgs } from '../args.js';
import { checkClassNames } from '../classNames.js';
import { modelArgs } from '../modelArgs.js';
import { choiceOption, integerOption, numberOption, optionError } from '../optionValues.js';
import { stdoutTaken } from '../outputTargets.js';
import { detectorOptionsFromArgs } from './attributionArgs.js';

const METHOD_LIST = EVALUATED_METHODS.map((m) => m.name);

export function evaluateHelp(): string {
  return `Usage: blurig evaluate <input> [options]

Says how faithful each attribution method is on <input>: for every evaluated class and patch, deletion and
insertion curves (cells removed or put back in attribution order, against silence and against the blurred
patch), localisation against labelled spans, the model randomisation test, completeness and cost.

Options:
  --spans FILE       labelled events, as samples/samples.json (entries matched by file name): localisation
  --class NAME       evaluate this class in every patch (repeatable); default: the detected classes
  --methods LIST     comma-separated, from: ${METHOD_LIST.join(', ')}
                     (default: all the model supports; grad-cam needs --engine tfjs)
  --curve-points N   points of each curve minus one (default 16, at most 256)
  --curve-spacing S  ends (default: points dense where the curves move, the first and last cells) or uniform
  --min-score X      a class counts as present from this score (default 0.2): absent pairs get no curves
  --randomize LIST   top layers randomised at each cascade level, e.g. 1,3,8 (default), or none
  --sanity-patches N patches per class that take the randomisation test (default 3; each repeats the attribution)
  --seed N           seed of the randomised layers and of the random control (default 0)
  --threshold ON[:OFF], --min-duration SEC, --max-gap SEC   the detector, as for explain
Output (at most one of --json, --png may be -, and then no table goes to stdout):
  --json FILE|-      the report: methods[] with each figure, per class, and the mean curves
  --png FILE|-       the mean deletion and insertion curves of each method, against both references
  --model PATH, --engine NAME, --backend NAME, -v/--verbose, -h/--help, -V/--version as for classify
Lower deletion and higher insertion areas are better; a faithful method's randomisation correlation is low.
Ctrl-C stops and reports the patches evaluated so far (exit 130).
`;
}

/** Runs `blurig evaluate`. */
export async function evaluateCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('evaluate', argv, {
    ...MODEL_OPTIONS,
    spans: { type: 'string' },
    class: { type: 'string', multiple: true },
    methods: { type: 'string' },
    'curve-points': { type: 'string' },
    'curve-spacing': { type: 'string' },
    'min-score': { type: 'string' },
    randomize: { type: 'string' },
    'sanity-patches': { type: 'string' },
    seed: { type: 'string' },
    threshold: { type: 'string' },
    'min-duration': { type: 'string' },
    'max-gap': { type: 'string' },
    json: { type: 'string' },
    png: { type: 'string' },
  });
  if (answeredHelpOrVersion(values, evaluateHelp())) return;
  const [input] = expectPositionals('evaluate', positionals, ['input']);
  const model = modelArgs(values);
  const stdoutIsOutput = stdoutTaken(
    [
      { flag: '--json', value: values.json, binary: false },
      { flag: '--png', value: values.png, binary: true },
    ],
    process.stdout.isTTY === true,
  );
  const options: EvaluateOptions = {
    methods: methodList(values.methods),
    classes: values.class === undefined ? 'detected' : await checkClassNames(values.class),
    detector: detectorOptionsFromArgs(values),
    minScore: minScoreOption(values['min-score']),
    curveSpacing: choiceOption('--curve-spacing', values['curve-spacing'], ['ends', 'uniform'] as const),
    curveIntervals: integerOption('--curve-points', values['curve-points'], 16, { max: 256, why: 'each point is two forward passes per class, patch and method' }),
    randomizationLevels: levels(values.randomize),
    sanityPatches: integerOption('--sanity-patches', values['sanity-patches'], 3, { max: 1000, why: 'each repeats the attribution once per cascade level' }),
    seed: seedOption(values.seed),
    spans: values.spans === undefined ? [] : await spansOf(values.spans, input),
  };
  await checkDecodeInput(input);
  const { runEvaluate } = await import('./runEvaluate.js'); // tfjs, onnxruntime and the pipeline load only now
  await runEvaluate({ input, model, options, outputs: { json: values.json, png: values.png }, table: !stdoutIsOutput, spansFile: values.spans });
}

function methodList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((n) => n.trim());
  for (const name of names) if (!METHOD_LIST.includes(name)) throw optionError('--methods', `a comma-separated list of ${METHOD_LIST.join(', ')}`, name);
  return [...new Set(names)];
}

function levels(text: string | undefined): number[] {
  if (text === undefined) return [1, 3, 8];
  if (text === 'none') return [];
  const parsed = text.split(',').map((part) => integerOption('--randomize', part, 1, { max: 64, why: 'the weighted layers a model has' }));
  return [...new Set(parsed)].sort((a, b) => a - b);
}

function minScoreOption(text: string | undefined): number | undefined {
  const value = numberOption('--min-score', text, { allowZero: true });
  if (value !== undefined && value >= 1) throw optionError('--min-score', 'a number in [0, 1)', text);
  return value;
}

function seedOption(text: string | undefined): number {
  if (text === undefined) return 0;
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value)) throw optionError('--seed', 'an integer', text);
  return value;
}

/** The spans of `input` in the spans file; a file with no entry for it is reported, not an error (no localisation). */
async function spansOf(path: string, input: string): Promise<readonly LabelledSpan[]> {
  const spans = spansFor(await readSpans(path), input);
  if (spans === undefined) process.stderr.write(`blurig: ${path} has no entry for ${basename(input)}: no localisation figures (entries are matched by file name)\n`);
  return spans ?? [];
}
