// `blurig explain <input>`: its options, checked before anything heavy loads; the run itself is in runExplain.ts.
import { checkDecodeInput } from '../../operators/decodeAudio.js';
import { answeredHelpOrVersion, expectPositionals, MODEL_OPTIONS, parseCommandArgs } from '../args.js';
import { modelArgs } from '../modelArgs.js';
import { stdoutTaken } from '../outputTargets.js';
import { ATTRIBUTION_OPTIONS, attributionArgs, attributionHelp } from './attributionArgs.js';
import { FIGURE_OPTIONS, figureArgs, figureHelp } from '../figureArgs.js';

export function explainHelp(): string {
  return `Usage: blurig explain <input> [options]

Detects what YAMNet hears in <input> and explains each detection: which frames, mel bands and blur scales
carried the class's score (Blur IG with IDGI by default), with the evidence located to 10 ms frames.

${attributionHelp()}${figureHelp()}Output (at most one of --json, --png, --svg, --pdf, --npy, --html may be -, and then no summary goes to stdout):
  --png FILE|-       heatmap: spectrogram, signed attribution per detected (or named) class, score over time
  --svg FILE|-, --pdf FILE|-  the same figure as vector graphics (text as outlines: no fonts needed)
  --json FILE|-      the full result as JSON
  --npy FILE|-       attribution array [classes, frames, 64] for NumPy (NaN where a class was not explained)
  --listen DIR       per explained class, the audio that carried it (INDEX-NAME.wav) and the rest (INDEX-NAME-rest.wav)
  --html FILE|-      one self-contained page (opens from disk): spectrogram, attribution, scores, detections, audio
  --model PATH, --engine NAME, --backend NAME, -v/--verbose, -h/--help, -V/--version as for classify
Ctrl-C stops and writes what was explained so far (exit 130). PNG, PDF and .npy go to stdout only when it is redirected.
`;
}

/** Runs `blurig explain`. */
export async function explainCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('explain', argv, {
    ...MODEL_OPTIONS,
    ...ATTRIBUTION_OPTIONS,
    ...FIGURE_OPTIONS,
    png: { type: 'string' },
    svg: { type: 'string' },
    pdf: { type: 'string' },
    json: { type: 'string' },
    npy: { type: 'string' },
    listen: { type: 'string' },
    html: { type: 'string' },
  });
  if (answeredHelpOrVersion(values, explainHelp())) return;
  const [input] = expectPositionals('explain', positionals, ['input']);
  const model = modelArgs(values);
  const outputs = { json: values.json, png: values.png, svg: values.svg, pdf: values.pdf, npy: values.npy, listen: values.listen, html: values.html };
  const stdoutIsOutput = stdoutTaken(
    [
      { flag: '--json', value: values.json, binary: false },
      { flag: '--png', value: values.png, binary: true },
      { flag: '--svg', value: values.svg, binary: false },
      { flag: '--pdf', value: values.pdf, binary: true },
      { flag: '--npy', value: values.npy, binary: true },
      { flag: '--html', value: values.html, binary: false },
    ],
    process.stdout.isTTY === true,
  );
  const { options, workers } = await attributionArgs(values);
  const figure = figureArgs(values);
  await checkDecodeInput(input);
  const { runExplain } = await import('./runExplain.js'); // tfjs, onnxruntime and the pipeline load only now
  await runExplain({ input, model: { ...model, workers }, options, outputs, figure, summary: !stdoutIsOutput });
}
