// The run of `blurig stream`: NDJSON lines on stdout as the explanation goes, stopped cleanly by Ctrl-C or a reader that leaves.
import { once } from 'node:events';
import { explainFile } from '../../../pipelines/explainFile.js';
import { explainLive } from '../../../pipelines/explainLive.js';
import { isBlurigError } from '../../errors/index.js';
import type { DecodeSource } from '../../ffmpeg/decodeArgs.js';
import { eventLine, headerLine } from '../../render/ndjson.js';
import type { AttributePatchesOptions } from '../../types.js';
import type { ModelArgs } from '../modelArgs.js';
import { attributorHeader, openAttributor } from '../openAttributor.js';
import { writeStdout } from '../stdout.js';
import { consumeUntilStopped } from '../consumeUntilStopped.js';
import { InterruptedError, type StopReason } from '../stopRun.js';
import { explainHeader } from './attributionArgs.js';

/** What `stream` was asked for, checked. */
export interface StreamRun {
  readonly source: DecodeSource;
  readonly live: boolean;
  readonly maxWaitingPatches: number;
  readonly model: ModelArgs & { readonly workers: number };
  readonly options: AttributePatchesOptions;
}

/** Streams the explanation of `run.source` as NDJSON; Ctrl-C ends it with an InterruptedError saying how much was written. */
export async function runStream(run: StreamRun): Promise<void> {
  const model = await openAttributor(run.model);
  let lines = 0;
  let lastFrameSec: number | undefined;
  const write = (line: string) => {
    writeStdout(line + '\n');
    lines++;
  };
  let stopped: StopReason | undefined;
  try {
    write(headerLine({ ...explainHeader(attributorHeader(model), run.options), mode: run.live ? 'live' : 'file' }));
    // A reader slower than the stream (stdout not drained) holds patches back, so they are dropped and reported.
    const whenConsumerReady = () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : Promise.resolve());
    const events = run.live
      ? explainLive(run.source, model, run.options, { maxWaitingPatches: run.maxWaitingPatches, whenConsumerReady })
      : explainFile(run.source, model, run.options);
    // A stop (Ctrl-C, or stdout gone: `| head` or a full disk) kills ffmpeg and withdraws queued patches; the finally below frees the model.
    try {
      stopped = await consumeUntilStopped(events, (event) => {
        if (event.kind === 'frame') lastFrameSec = event.frame.timeSec;
        write(eventLine(event, model.classNames));
      });
    } catch (error) {
      write(JSON.stringify({ type: 'error', message: isBlurigError(error) ? error.message : String(error) }));
      throw error;
    }
    if (stopped === undefined) write(JSON.stringify({ type: 'end' }));
  } finally {
    await model.dispose(); // a pool's worker threads end here, whichever way the stream stopped
  }
  if (stopped === 'interrupt') {
    const upTo = lastFrameSec === undefined ? 'no frame yet' : `frames up to ${lastFrameSec.toFixed(2)} s`;
    throw new InterruptedError(`interrupted: wrote ${lines} NDJSON lines to stdout (${upTo}), each whole`);
  }
}
