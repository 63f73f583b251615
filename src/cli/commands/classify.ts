// `blurig classify <input>`: top classes per patch and for the whole clip, as a table or JSON.
import { lastValueFrom, toArray } from 'rxjs';
import { classifyFile } from '../../../pipelines/classifyFile.js';
import { checkDecodeInput } from '../../operators/decodeAudio.js';
import { summarizeClassification } from '../../model/topClasses.js';
import type { ClipClassification } from '../../types.js';
import { expectPositionals, MODEL_OPTIONS, parseCommandArgs, positiveInteger } from '../args.js';
import { openModel, runHeader } from '../openModel.js';
import { formatClassification } from '../printClassification.js';
import { writeOutput } from '../writeOutput.js';

export const CLASSIFY_HELP = `Usage: blurig classify <input> [options]

Classifies every 0.96 s patch of <input> (any file ffmpeg reads, or - for stdin) with YAMNet
and prints the top classes per patch and for the whole clip (mean of the patch scores).

Options:
  --top-k N          classes to show per patch and for the clip (default 5)
  --json FILE|-      also write the result as JSON to FILE, or only JSON to stdout with -
  --batch-size N     patches per model call (default 8)
  --model PATH       YAMNet .tflite file (default: $BLURIG_MODEL, then the cache, then a one-time download)
  --engine NAME      auto, onnx or tfjs: what runs YAMNet (default: $BLURIG_ENGINE, then auto = onnx
                     when onnxruntime-node is installed, else tfjs)
  --backend NAME     tfjs backend: auto, tensorflow, wasm or cpu (default: $BLURIG_BACKEND, then auto)
  -v, --verbose      full error details
  -h, --help         this help
`;

/** Runs `blurig classify` with the arguments after the command name. */
export async function classifyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('classify', argv, {
    ...MODEL_OPTIONS,
    'top-k': { type: 'string' },
    'batch-size': { type: 'string' },
    json: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(CLASSIFY_HELP);
    return;
  }
  const [input] = expectPositionals('classify', positionals, ['input']);
  const topK = positiveInteger('top-k', values['top-k'], 5);
  const batchSize = positiveInteger('batch-size', values['batch-size'], 8);
  await checkDecodeInput(input);
  const model = await openModel(values);
  try {
    const records = await lastValueFrom(classifyFile(input, model, batchSize).pipe(toArray()));
    const result: ClipClassification = {
      ...runHeader(model),
      ...summarizeClassification(records, model.classNames, topK),
    };
    if (values.json !== undefined) writeOutput(values.json, JSON.stringify(result, null, 2) + '\n');
    if (values.json !== '-') process.stdout.write(formatClassification(result, input));
  } finally {
    model.dispose();
  }
}
