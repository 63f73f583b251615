// The run of `blurig classify`: loads the model, classifies every patch, and writes the table or JSON, also when stopped by Ctrl-C.
import { classifyFile } from '../../../pipelines/classifyFile.js';
import { frameTimeSec } from '../../audio/framing.js';
import { summarizeClassification } from '../../model/topClasses.js';
import { type ClipClassification, type PatchClassification, YAMNET_FRONT_END } from '../../types.js';
import type { ModelArgs } from '../modelArgs.js';
import { openModel, runHeader } from '../openModel.js';
import { formatClassification } from '../printClassification.js';
import { writeStdout } from '../stdout.js';
import { writeOutput } from '../writeOutput.js';
import { consumeUntilStopped } from '../consumeUntilStopped.js';
import { InterruptedError, type StopReason } from '../stopRun.js';

/** What `classify` was asked for, checked. */
export interface ClassifyRun {
  readonly input: string;
  readonly topK: number;
  readonly batchSize: number;
  readonly model: ModelArgs;
  readonly json: string | undefined;
  /** `--json -` (or /dev/stdout): stdout holds the JSON alone. */
  readonly jsonOnly: boolean;
}

/** Classifies `input`; on Ctrl-C, the patches classified so far are written all the same, then it ends with an InterruptedError. */
export async function runClassify(run: ClassifyRun): Promise<void> {
  const model = await openModel(run.model);
  const records: PatchClassification[] = [];
  let stopped: StopReason | undefined;
  try {
    stopped = await consumeUntilStopped(classifyFile(run.input, model, run.batchSize), (record) => records.push(record));
    if (stopped === 'stdout') return; // nothing can reach stdout any more: main reports why
    if (stopped === 'interrupt' && records.length === 0) throw new InterruptedError('interrupted before any patch was classified; nothing was written');
    const result: ClipClassification = { ...runHeader(model), ...summarizeClassification(records, model.classNames, run.topK) };
    if (run.json !== undefined) writeOutput(run.json, JSON.stringify(result, null, 2) + '\n');
    if (!run.jsonOnly) writeStdout(formatClassification(result, run.input));
    if (stopped === 'interrupt') {
      const where = [run.json !== undefined && !run.jsonOnly ? run.json : undefined, 'stdout'].filter((w) => w !== undefined).join(' and ');
      const lastSec = records[records.length - 1].startSec + frameTimeSec(YAMNET_FRONT_END.patchFrames);
      throw new InterruptedError(`interrupted: wrote the classification of the first ${records.length} patches (to ${lastSec.toFixed(2)} s) to ${where}`);
    }
  } finally {
    model.dispose();
  }
}
