// The run of `blurig explain`: explains the file, then writes the summary, JSON, PNG, .npy and WAVs from what was finished, also after Ctrl-C or an error.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { explainFile } from '../../../pipelines/explainFile.js';
import { frameCount, frameTimeSec, paddedSampleCount, patchCount } from '../../audio/framing.js';
import { BlurigError } from '../../errors/index.js';
import { encodeWav } from '../../listen/wav.js';
import { heatmapFiles } from '../../render/heatmapFiles.js';
import type { HeatmapOptions } from '../../render/heatmapOptions.js';
import { encodeNpy, frameAttributionArray } from '../../render/npy.js';
import type { AttributePatchesOptions, Detection, ExplainedClass, FrameAttribution, PatchAttribution } from '../../types.js';
import { YAMNET_FRONT_END } from '../../types.js';
import { explainedClasses, explainReport } from '../../render/explainJson.js';
import type { ModelArgs } from '../modelArgs.js';
import { attributorHeader, openAttributor } from '../openAttributor.js';
import { createProgressBar } from '../progressBar.js';
import { formatExplanation } from '../printExplanation.js';
import { writeStdout } from '../stdout.js';
import { consumeUntilStopped } from '../consumeUntilStopped.js';
import { InterruptedError, type StopReason } from '../stopRun.js';
import { writeOutput } from '../writeOutput.js';
import { browserScript } from '../../report/browserBundle.js';
import { renderReportHtml } from '../../report/reportHtml.js';
import { type ClassSignals, classSignals } from '../../report/reportListen.js';
import { explanationCollector } from '../explanationCollector.js';
import { explainHeader } from './attributionArgs.js';

/** What `explain` was asked for, checked. */
export interface ExplainRun {
  readonly input: string;
  readonly model: ModelArgs & { readonly workers: number };
  readonly options: AttributePatchesOptions;
  readonly outputs: { readonly json?: string; readonly png?: string; readonly svg?: string; readonly pdf?: string; readonly npy?: string; readonly listen?: string; readonly html?: string };
  /** Size, DPI, fonts and colours of the --png, --svg and --pdf figure. */
  readonly figure?: HeatmapOptions;
  /** False when one output goes to stdout, which then holds it alone. */
  readonly summary: boolean;
}

/** Explains `run.input`; whatever was finished is written before a decode error, or before the InterruptedError of Ctrl-C. */
export async function runExplain(run: ExplainRun): Promise<void> {
  const { input, outputs } = run;
  const reportScript = outputs.html === undefined ? undefined : await browserScript('report'); // before the run: a missing build fails now
  const model = await openAttributor(run.model);
  const samples: Float32Array[] = []; // kept only for --listen and --html: 64 kB per second of audio
  const formatAmount = (done: number, total: number | undefined): string => (total === undefined ? `${done} patches` : `${done}/${total} patches`);
  const bar = process.stderr.isTTY ? createProgressBar('explaining', process.stderr, { formatAmount, showEta: true }) : undefined;
  // The patches a file of that duration makes (its end padded to whole patches), for the bar's total and its ETA.
  const onDurationSec = (sec: number): void => bar?.update(0, patchCount(frameCount(paddedSampleCount(Math.round(sec * YAMNET_FRONT_END.sampleRateHz)))));
  const { patches, frames, detections, open, onEvent } = explanationCollector((count) => bar?.update(count));
  let failure: unknown;
  let stopped: StopReason | undefined;
  try {
    const onSamples = outputs.listen === undefined && outputs.html === undefined ? undefined : (chunk: Float32Array) => samples.push(chunk);
    stopped = await consumeUntilStopped(explainFile(input, model, run.options, { onSamples, onDurationSec }), onEvent);
  } catch (error) {
    failure = error; // whatever was finished is still written below, then the error is reported
  } finally {
    bar?.finish();
    await model.dispose(); // a pool's worker threads end here, on success, error or a throw alike
  }
  if (stopped === 'stdout') return; // stdout is gone: main says why
  const written = patches.length > 0 ? writeResults(run, model, patches, frames, detections, samples, reportScript) : [];
  if (failure !== undefined) throw failure;
  if (stopped === 'interrupt') {
    if (written.length === 0) throw new InterruptedError('interrupted before any patch was explained; nothing was written');
    const toSec = patches[patches.length - 1].startSec + frameTimeSec(YAMNET_FRONT_END.patchFrames);
    const unclosed = [...open.values()].map((d) => `${d.name} from ${d.startSec.toFixed(2)} s`);
    const note = unclosed.length === 0 ? '' : `; still open at the stop, so not among the detections: ${unclosed.join(', ')}`;
    throw new InterruptedError(`interrupted: wrote the first ${patches.length} patches (to ${toSec.toFixed(2)} s) to ${joinWords(written)}${note}`);
  }
}

/** Writes every asked-for output from what was finished; returns where it wrote, in words (`out.json`, `stdout`). */
export function writeResults(run: ExplainRun, model: Awaited<ReturnType<typeof openAttributor>>, patches: PatchAttribution[], frames: FrameAttribution[], detections: Detection[], samples: Float32Array[], reportScript?: string): string[] {
  const { input, outputs } = run;
  const written: string[] = [];
  const write = (target: string, data: string | Uint8Array) => {
    writeOutput(target, data);
    written.push(target === '-' ? 'stdout' : target);
  };
  const header = explainHeader(attributorHeader(model), run.options);
  const classes = explainedClasses(patches, model.classNames);
  detections.sort((a, b) => a.startSec - b.startSec || a.classIndex - b.classIndex);
  if (outputs.json !== undefined) write(outputs.json, JSON.stringify(explainReport(header, patches, frames, detections, model.classNames)) + '\n');
  if ((outputs.png ?? outputs.svg ?? outputs.pdf) !== undefined && frames.length > 0) {
    const shown = heatmapClasses(classes, detections, header.classChoice === 'named');
    const title = { file: input, model: header.model, method: `${header.method} of the ${header.output}`, output: header.output };
    for (const { target, data } of heatmapFiles({ frames, classes: shown, detections, title }, run.figure ?? {}, outputs)) write(target, data);
  }
  if (outputs.npy !== undefined && frames.length > 0) {
    const { data, shape } = frameAttributionArray(frames, classes);
    write(outputs.npy, encodeNpy(data, shape));
  }
  // --html and --listen share the waveform and each class's listening signals: made once, when first asked for.
  const waveform = joinSamples(samples);
  const signals = new Map<number, ClassSignals>();
  const signalsOf = (cls: ExplainedClass): ClassSignals => signals.get(cls.index) ?? signals.set(cls.index, classSignals(waveform, frames, cls)).get(cls.index)!;
  if (outputs.html !== undefined && reportScript !== undefined && frames.length > 0) {
    const shown = heatmapClasses(classes, detections, header.classChoice === 'named');
    write(outputs.html, renderReportHtml({ file: input, header, patches, frames, detections, classes: shown, waveform, signalsOf }, reportScript));
  }
  if (outputs.listen !== undefined) {
    writeListenFiles(outputs.listen, classes, signalsOf);
    written.push(`${outputs.listen}/`);
  }
  if (run.summary) {
    writeStdout(formatExplanation(input, header, classes, patches, detections));
    written.push('stdout');
  }
  return [...new Set(written)];
}

function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** The heatmap's panels: the named classes, else the explained classes that were detected (all explained ones if none was). */
function heatmapClasses(classes: readonly ExplainedClass[], detections: readonly Detection[], named: boolean): ExplainedClass[] {
  if (named) return [...classes];
  const detected = classes.filter((cls) => detections.some((d) => d.classIndex === cls.index));
  return detected.length > 0 || detections.length > 0 ? detected : [...classes];
}

/** For each explained class, `INDEX-NAME.wav` (what carried it) and `INDEX-NAME-rest.wav` (everything else) in `dir`. */
function writeListenFiles(dir: string, classes: readonly ExplainedClass[], signalsOf: (cls: ExplainedClass) => ClassSignals): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new BlurigError(`Cannot create the --listen folder "${dir}" (${(error as NodeJS.ErrnoException).code ?? String(error)}): choose a writable path.`, { cause: error });
  }
  for (const cls of classes) {
    const { evidence, rest } = signalsOf(cls);
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
