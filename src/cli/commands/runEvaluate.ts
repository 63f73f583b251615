// The run of `blurig evaluate`: evaluates every method on the file, then writes the table, JSON and PNG from what was finished, also after Ctrl-C.
import { from, lastValueFrom } from 'rxjs';
import { evaluateFile } from '../../../pipelines/evaluateFile.js';
import { frameCount, paddedSampleCount, patchCount } from '../../audio/framing.js';
import { checkDetectorOptions } from '../../detect/detectorOptions.js';
import { chooseMethods, DEFAULT_METHOD_NAME } from '../../evaluate/methods.js';
import type { PatchEvaluation } from '../../operators/evaluatePatches.js';
import { evaluationSettings } from '../../operators/evaluatePatches.js';
import { summariseEvaluation } from '../../operators/summariseEvaluation.js';
import type { EvaluationReport } from '../../render/evaluationJson.js';
import { renderCurves } from '../../render/curvePlot.js';
import { type EvaluateOptions, YAMNET_FRONT_END } from '../../types.js';
import type { ModelArgs } from '../modelArgs.js';
import { openModel, runHeader } from '../openModel.js';
import { formatEvaluation } from '../printEvaluation.js';
import { createProgressBar } from '../progressBar.js';
import { writeStdout } from '../stdout.js';
import { consumeUntilStopped } from '../consumeUntilStopped.js';
import { InterruptedError, type StopReason } from '../stopRun.js';
import { writeOutput } from '../writeOutput.js';

/** What `evaluate` was asked for, checked. */
export interface EvaluateRun {
  readonly input: string;
  readonly model: ModelArgs;
  readonly options: EvaluateOptions;
  readonly outputs: { readonly json?: string; readonly png?: string };
  /** False when one output goes to stdout, which then holds it alone. */
  readonly table: boolean;
  readonly spansFile: string | undefined;
}

/** Evaluates `run.input`; on Ctrl-C the patches evaluated so far are reported, then it ends with an InterruptedError. */
export async function runEvaluate(run: EvaluateRun): Promise<void> {
  const model = await openModel(run.model);
  try {
    const { run: methods, unsupported } = chooseMethods(run.options.methods, model, run.options.seed);
    // The default cascade stops at the model's own depth (the student has three weighted layers).
    const layerCount = model.weightLayers?.length ?? 0;
    const asked = run.options.randomizationLevels ?? [1, 3, 8];
    const randomizationLevels = typeof model.randomised !== 'function' ? [] : [...new Set(asked.map((l) => Math.min(l, layerCount)))];
    if (asked.length > 0 && randomizationLevels.length === 0) unsupported.push({ name: 'randomisation test', reason: `${model.name} on the ${model.engine} engine cannot be randomised` });
    const options = { ...run.options, randomizationLevels };
    const settings = evaluationSettings(options);
    const bar = process.stderr.isTTY ? createProgressBar('evaluating', process.stderr, { formatAmount: (done, total) => `${done}${total === undefined ? '' : `/${total}`} patches`, showEta: true }) : undefined;
    const onDurationSec = (sec: number): void => bar?.update(0, patchCount(frameCount(paddedSampleCount(Math.round(sec * YAMNET_FRONT_END.sampleRateHz)))));
    const evaluated: PatchEvaluation[] = [];
    let failure: unknown;
    let stopped: StopReason | undefined;
    try {
      stopped = await consumeUntilStopped(evaluateFile(run.input, model, methods, options, { onDurationSec }), (patch) => {
        evaluated.push(patch);
        bar?.update(evaluated.length);
      });
    } catch (error) {
      failure = error; // what was evaluated is still reported below
    } finally {
      bar?.finish();
    }
    if (stopped === 'stdout') return;
    if (evaluated.length === 0) {
      if (failure !== undefined) throw failure;
      if (stopped === 'interrupt') throw new InterruptedError('interrupted before any patch was evaluated; nothing was written');
    }
    const summary = await lastValueFrom(from(evaluated).pipe(summariseEvaluation(model.classNames, methods, { spans: options.spans ?? [], defaultName: DEFAULT_METHOD_NAME, intervals: settings.intervals })));
    const report: EvaluationReport = {
      input: run.input,
      ...runHeader(model),
      settings: {
        classes: options.classes === undefined || options.classes === 'detected' ? 'detected' : options.classes.map((c) => (typeof c === 'number' ? model.classNames[c] : c)),
        curveIntervals: settings.intervals,
        curveSpacing: settings.spacing,
        randomizationLevels,
        sanityPatches: settings.sanityPatches,
        minScore: settings.minScore,
        seed: settings.seed,
        detector: checkDetectorOptions(options.detector),
        spansFile: run.spansFile ?? null,
        spans: options.spans ?? [],
      },
      patches: summary.patches,
      complete: failure === undefined && stopped === undefined,
      classes: summary.classes,
      methods: summary.methods,
      unsupported,
    };
    const written: string[] = [];
    if (run.outputs.json !== undefined) (writeOutput(run.outputs.json, JSON.stringify(report, null, 1) + '\n'), written.push(run.outputs.json === '-' ? 'stdout' : run.outputs.json));
    if (run.outputs.png !== undefined) (writeOutput(run.outputs.png, renderCurves(report)), written.push(run.outputs.png === '-' ? 'stdout' : run.outputs.png));
    if (run.table) (writeStdout(formatEvaluation(report)), written.push('stdout'));
    if (failure !== undefined) throw failure;
    if (stopped === 'interrupt') throw new InterruptedError(`interrupted: reported the first ${evaluated.length} patches to ${[...new Set(written)].join(' and ')}`);
  } finally {
    model.dispose();
  }
}
