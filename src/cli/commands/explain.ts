// `blurig explain <input>`: attribution of the detected (or chosen) classes over a whole file, as a summary, JSON, PNG, .npy and listenable WAVs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { explainFile } from '../../../pipelines/explainFile.js';
import { frameCount } from '../../audio/framing.js';
import { BlurigError } from '../../errors/index.js';
import { encodeWav } from '../../listen/wav.js';
import { listenToAttribution } from '../../listen/listenToAttribution.js';
import { checkDecodeInput } from '../../operators/decodeAudio.js';
import { renderHeatmap } from '../../render/heatmap.js';
import { encodeNpy, frameAttributionArray } from '../../render/npy.js';
import type { Detection, ExplainedClass, ExplainEvent, FrameAttribution, PatchAttribution } from '../../types.js';
import { YAMNET_FRONT_END } from '../../types.js';
import { explainedClasses, explainReport } from '../../render/explainJson.js';
import { expectPositionals, MODEL_OPTIONS, parseCommandArgs } from '../args.js';
import { attributorHeader, openAttributor } from '../openAttributor.js';
import { createProgressBar } from '../progressBar.js';
import { formatExplanation } from '../printExplanation.js';
import { writeOutput } from '../writeOutput.js';
import { ATTRIBUTION_HELP, ATTRIBUTION_OPTIONS, explainHeader, patchOptionsFromArgs } from './attributionArgs.js';

export const EXPLAIN_HELP = `Usage: blurig explain <input> [options]

Detects what YAMNet hears in <input> and explains each detection: which frames, mel bands and blur scales
carried the class's score (Blur IG by default), with the evidence located to 10 ms frames.

${ATTRIBUTION_HELP}Output:
  --png FILE         heatmap: spectrogram, signed attribution per detected (or named) class, score over time
  --json FILE|-      the full result as JSON (- for stdout: then no summary)
  --npy FILE         attribution array [classes, frames, 64] for NumPy (NaN where a class was not explained)
  --listen DIR       per explained class, the audio that carried it (INDEX-NAME.wav) and the rest (INDEX-NAME-rest.wav)
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
    listen: { type: 'string' },
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
  const detections: Detection[] = [];
  const samples: Float32Array[] = []; // kept only for --listen: 64 kB per second of audio
  const bar = process.stderr.isTTY ? createProgressBar('explaining', process.stderr, { formatAmount: (done) => `${done} patches` }) : undefined;
  let failure: unknown;
  try {
    await new Promise<void>((resolve, reject) => {
      const onSamples = values.listen === undefined ? undefined : (chunk: Float32Array) => samples.push(chunk);
      explainFile(input, model, options, { onSamples }).subscribe({
        next: (event: ExplainEvent) => {
          if (event.kind === 'patch') {
            patches.push(event.patch);
            bar?.update(patches.length);
          } else if (event.kind === 'frame') frames.push(event.frame);
          else if (event.kind === 'detection' && event.state === 'end') detections.push(event.detection);
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
  const header = explainHeader(attributorHeader(model), options);
  const classes = explainedClasses(patches, model.classNames);
  detections.sort((a, b) => a.startSec - b.startSec || a.classIndex - b.classIndex);
  if (patches.length > 0) {
    if (values.json !== undefined) writeOutput(values.json, JSON.stringify(explainReport(header, patches, frames, detections, model.classNames)) + '\n');
    if (values.png !== undefined && frames.length > 0) {
      const shown = heatmapClasses(classes, detections, header.classChoice === 'named');
      writeOutput(values.png, renderHeatmap({ frames, classes: shown, detections, title: { file: input, method: `${header.method} of the ${header.output}` } }));
    }
    if (values.npy !== undefined && frames.length > 0) {
      const { data, shape } = frameAttributionArray(frames, classes);
      writeOutput(values.npy, encodeNpy(data, shape));
    }
    if (values.listen !== undefined) writeListenFiles(values.listen, joinSamples(samples), frames, classes);
    if (values.json !== '-') process.stdout.write(formatExplanation(input, header, classes, patches, detections));
  }
  if (failure !== undefined) throw failure;
}

/** The heatmap's panels: the named classes, else the explained classes that were detected (all explained ones if none was). */
function heatmapClasses(classes: readonly ExplainedClass[], detections: readonly Detection[], named: boolean): ExplainedClass[] {
  if (named) return [...classes];
  const detected = classes.filter((cls) => detections.some((d) => d.classIndex === cls.index));
  return detected.length > 0 || detections.length > 0 ? detected : [...classes];
}

/** For each explained class, `INDEX-NAME.wav` (what carried it) and `INDEX-NAME-rest.wav` (everything else) in `dir`. */
function writeListenFiles(dir: string, waveform: Float32Array, frames: readonly FrameAttribution[], classes: readonly ExplainedClass[]): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new BlurigError(`Cannot create the --listen folder "${dir}" (${(error as NodeJS.ErrnoException).code ?? String(error)}): choose a writable path.`, { cause: error });
  }
  // The file's frames may run past the audio (the end is padded to whole patches): keep those the waveform has.
  const audioFrames = Math.min(frames.length, frameCount(waveform.length));
  for (const cls of classes) {
    const { data } = frameAttributionArray(frames.slice(0, audioFrames), [cls]);
    const { evidence, rest } = listenToAttribution(waveform, data, audioFrames);
    const base = join(dir, `${cls.index}-${fileSlug(cls.name)}`);
    writeOutput(`${base}.wav`, encodeWav(evidence, YAMNET_FRONT_END.sampleRateHz));
    writeOutput(`${base}-rest.wav`, encodeWav(rest, YAMNET_FRONT_END.sampleRateHz));
  }
}

/** A class name as a file name: `Police car (siren)` → `police-car-siren`. */
export function fileSlug(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'class';
}

function joinSamples(chunks: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
