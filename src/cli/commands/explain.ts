// `blurig explain <input>`: its options, checked before anything heavy loads; the run itself is in runExplain.ts.
import { checkDecodeInput } from '../../operators/decodeAudio.js';
import { answeredHelpOrVersion, expectPositionals, MODEL_OPTIONS, parseCommandArgs } from '../args.js';
import { modelArgs } from '../modelArgs.js';
import { stdoutTaken } from '../outputTargets.js';
import { ATTRIBUTION_OPTIONS, attributionArgs, attributionHelp } from './attributionArgs.js';

export function explainHelp(): string {
  return `Usage: blurig explain <input> [options]

Detects what YAMNet hears in <input> and explains each detection: which frames, mel bands and blur scales
carried the class's score (Blur IG with IDGI by default), with the evidence located to 10 ms frames.

${attributionHelp()}Output (at most one of --json, --png, --npy may be -, and then no summary goes to stdout):
  --png FILE|-       heatmap: spectrogram, signed attribution per detected (or named) class, score over time
  --json FILE|-      the full result as JSON
  --npy FILE|-       attribution array [classes, frames, 64] for NumPy (NaN where a class was not explained)
  --listen DIR       per explained class, the audio that carried it (INDEX-NAME.wav) and the rest (INDEX-NAME-rest.wav)
  --model PATH, --engine NAME, --backend NAME, -v/--verbose, -h/--help, -V/--version as for classify
Ctrl-C stops and writes what was explained so far (exit 130). PNG and .npy go to stdout only when it is redirected.
`;
}

/** Runs `blurig explain`. */
export async function explainCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('explain', argv, {
    ...MODEL_OPTIONS,
    ...ATTRIBUTION_OPTIONS,
    png: { type: 'string' },
    json: { type: 'string' },
    npy: { type: 'string' },
    listen: { type: 'string' },
  });
  if (answeredHelpOrVersion(values, explainHelp())) return;
  const [input] = expectPositionals('explain', positionals, ['input']);
  const model = modelArgs(values);
  const outputs = { json: values.json, png: values.png, npy: values.npy, listen: values.listen };
  const stdoutIsOutput = stdoutTaken(
    [
      { flag: '--json', value: values.json, binary: false },
      { flag: '--png', value: values.png, binary: true },
      { flag: '--npy', value: values.npy, binary: true },
    ],
    process.stdout.isTTY === true,
  );
  const { options, workers } = await attributionArgs(values);
  await checkDecodeInput(input);
  const { runExplain } = await import('./runExplain.js'); // tfjs, onnxruntime and the pipeline load only now
  await runExplain({ input, model: { ...model, workers }, options, outputs, summary: !stdoutIsOutput });
}
