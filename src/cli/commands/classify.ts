// `blurig classify <input>`: its options, checked before anything heavy loads; the run itself is in runClassify.ts.
import { checkDecodeInput } from '../../operators/decodeAudio.js';
import { answeredHelpOrVersion, expectPositionals, MODEL_OPTIONS, parseCommandArgs } from '../args.js';
import { CLASS_COUNT, CLASSIFY_BATCH_LIMIT } from '../limits.js';
import { modelArgs } from '../modelArgs.js';
import { integerOption } from '../optionValues.js';
import { stdoutTaken } from '../outputTargets.js';

export const CLASSIFY_HELP = `Usage: blurig classify <input> [options]

Classifies every 0.96 s patch of <input> (any file ffmpeg reads, or - for stdin) with YAMNet
and prints the top classes per patch and for the whole clip (mean of the patch scores).

Options:
  --top-k N          classes to show per patch and for the clip (default 5, at most ${CLASS_COUNT})
  --json FILE|-      also write the result as JSON to FILE, or only JSON to stdout with -
  --batch-size N     patches per model call (default 8, at most ${CLASSIFY_BATCH_LIMIT.max})
  --model PATH       YAMNet .tflite file (default: $BLURIG_MODEL, then the cache, then a one-time download)
  --engine NAME      auto, onnx or tfjs: what runs YAMNet (default: $BLURIG_ENGINE, then auto = onnx
                     when onnxruntime-node is installed, else tfjs)
  --backend NAME     tfjs backend: auto, tensorflow, wasm or cpu (default: $BLURIG_BACKEND, then auto)
  -v, --verbose      full error details
  -h, --help         this help
  -V, --version      the version
Ctrl-C stops and prints the patches classified so far (exit 130).
`;

/** Runs `blurig classify` with the arguments after the command name. */
export async function classifyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('classify', argv, {
    ...MODEL_OPTIONS,
    'top-k': { type: 'string' },
    'batch-size': { type: 'string' },
    json: { type: 'string' },
  });
  if (answeredHelpOrVersion(values, CLASSIFY_HELP)) return;
  const [input] = expectPositionals('classify', positionals, ['input']);
  const topK = integerOption('--top-k', values['top-k'], 5, { max: CLASS_COUNT, why: 'the classes YAMNet has' });
  const batchSize = integerOption('--batch-size', values['batch-size'], 8, CLASSIFY_BATCH_LIMIT);
  const model = modelArgs(values);
  const jsonOnly = stdoutTaken([{ flag: '--json', value: values.json, binary: false }], process.stdout.isTTY === true);
  await checkDecodeInput(input);
  const { runClassify } = await import('./runClassify.js'); // tfjs, onnxruntime and the pipeline load only now
  await runClassify({ input, topK, batchSize, model, json: values.json, jsonOnly });
}
