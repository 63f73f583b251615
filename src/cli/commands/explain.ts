// `blurig explain <input>`: attribution of the chosen classes over a whole file, as a summary, JSON, PNG and .npy.
import { explainFile } from '../../../pipelines/explainFile.js';
import { checkDecodeInput } from '../../operators/decodeAudio.js';
import { renderHeatmap } from '../../render/heatmap.js';
import { encodeNpy, frameAttributionArray } from '../../render/npy.js';
import type { ExplainEvent, FrameAttribution, PatchAttribution } from '../../types.js';
import { explainedClasses, explainReport } from '../../render/explainJson.js';
import { expectPositionals, MODEL_OPTIONS, parseCommandArgs } from '../args.js';
import { attributorHeader, openAttributor } from '../openAttributor.js';
import { createProgressBar } from '../progressBar.js';
import { formatExplanation } from '../printExplanation.js';
import { writeOutput } from '../writeOutput.js';
import { ATTRIBUTION_OPTIONS, patchOptionsFromArgs } from './attributionArgs.js';

export const EXPLAIN_HELP = `Usage: blurig explain <input> [options]

Explains which frames and mel bands of <input> carried YAMNet's evidence for a class (Blur IG by default).

Classes:
  --class NAME       explain this class in every patch (repeatable); default: each patch's top class
  --top-k N          explain each patch's N top classes (default 1)
Method:
  --method NAME      blur-ig (default), integrated-gradients, gradient, gradient-x-input
  --path NAME        time-frequency (default), time, frequency (Blur IG)
  --steps N          integration steps to start from (default 16)
  --tolerance X      refine until the completeness error is ≤ X (default 0.01)
  --max-steps N      cap on refinement (default 256; = --steps for a fixed count)
  --batch-size N     (step, class) pairs per model call (default 32)
  --workers N        patches explained at once, each on a worker thread with its own model
                     (default: the number of cores; 1 = one patch at a time on the main thread)
Output:
  --png FILE         heatmap: spectrogram, signed attribution per class, score over time
  --json FILE|-      the full result as JSON (- for stdout: then no summary)
  --npy FILE         attribution array [classes, frames, 64] for NumPy (NaN where a class was not explained)
  --model PATH, --engine NAME, --backend NAME, -v/--verbose, -h/--help as for classify
`;

/** Runs `blurig explain`. */
export async function explainCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('explain', argv, {
    ...MODEL_OPTIONS,
    ...ATTRIBUTION_OPTIONS,
    png: { type: 'string' },
    json: { type: 'string' },
    npy: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(EXPLAIN_HELP);
    return;
  }
  const [input] = expectPositionals('explain', positionals, ['input']);
  const options = patchOptionsFromArgs(values);
  await checkDecodeInput(input);
  const model = await openAttributor(values);
  const patches: PatchAttribution[] = [];
  const frames: FrameAttribution[] = [];
  const bar = process.stderr.isTTY ? createProgressBar('explaining', process.stderr, { formatAmount: (done) => `${done} patches` }) : undefined;
  let failure: unknown;
  try {
    await new Promise<void>((resolve, reject) => {
      explainFile(input, model, options).subscribe({
        next: (event: ExplainEvent) => {
          if (event.kind === 'patch') {
            patches.push(event.patch);
            bar?.update(patches.length);
          } else if (event.kind === 'frame') frames.push(event.frame);
        },
        error: reject,
        complete: resolve,
      });
    });
  } catch (error) {
    failure = error; // whatever was finished is still written below, then the error is reported
  } finally {
    bar?.finish();
    await model.dispose(); // a pool's worker threads end here, on success, error or a throw alike
  }
  const header = { ...attributorHeader(model), method: patches[0]?.method ?? options.method ?? 'blur-ig' };
  const classes = explainedClasses(patches, model.classNames);
  if (patches.length > 0) {
    if (values.json !== undefined) writeOutput(values.json, JSON.stringify(explainReport(header, patches, frames, model.classNames)) + '\n');
    if (values.png !== undefined) {
      writeOutput(values.png, renderHeatmap({ frames, classes, title: { file: input, method: header.method } })); // errors summarised from the frames
    }
    if (values.npy !== undefined) {
      const { data, shape } = frameAttributionArray(frames, classes);
      writeOutput(values.npy, encodeNpy(data, shape));
    }
    if (values.json !== '-') process.stdout.write(formatExplanation(input, header, classes, patches));
  }
  if (failure !== undefined) throw failure;
}
