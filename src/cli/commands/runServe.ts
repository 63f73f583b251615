// The run of `blurig serve`: listen, print the URL, explain the source live into every viewer's event stream, and close it all on Ctrl-C.
import { explainLive } from '../../../pipelines/explainLive.js';
import { isBlurigError } from '../../errors/index.js';
import type { DecodeSource } from '../../ffmpeg/decodeArgs.js';
import { eventLine, headerLine } from '../../render/ndjson.js';
import { browserScript } from '../../report/browserBundle.js';
import { renderLivePage } from '../../report/livePage.js';
import { startLiveServer } from '../../serve/liveServer.js';
import type { AttributePatchesOptions } from '../../types.js';
import type { ModelArgs } from '../modelArgs.js';
import { attributorHeader, openAttributor } from '../openAttributor.js';
import { consumeUntilStopped } from '../consumeUntilStopped.js';
import { writeStdout } from '../stdout.js';
import { InterruptedError, onStop, type StopReason } from '../stopRun.js';
import { explainHeader } from './attributionArgs.js';

/** What `serve` was asked for, checked. */
export interface ServeRun {
  readonly source: DecodeSource;
  readonly host: string;
  readonly port: number;
  readonly maxWaitingPatches: number;
  readonly model: ModelArgs & { readonly workers: number };
  readonly options: AttributePatchesOptions;
}

/** Serves the live explanation of `run.source` until Ctrl-C, which ends it with an InterruptedError saying what was served. */
export async function runServe(run: ServeRun): Promise<void> {
  const page = renderLivePage(await browserScript('live'), typeof run.source.path === 'string' ? run.source.path : 'stdin');
  const server = await startLiveServer({ host: run.host, port: run.port, page }); // a taken port is refused before the model loads
  writeStdout(`blurig serve: watching at ${server.url} (Ctrl-C to stop)\n`);
  let stopped: StopReason | undefined;
  try {
    const model = await openAttributor(run.model);
    try {
      server.hub.publish('start', headerLine({ ...explainHeader(attributorHeader(model), run.options), mode: 'live' }));
      const events = explainLive(run.source, model, run.options, { maxWaitingPatches: run.maxWaitingPatches });
      try {
        stopped = await consumeUntilStopped(events, (event) => server.hub.publish(event.kind === 'detection' ? 'detection' : event.kind, eventLine(event, model.classNames)));
      } catch (error) {
        server.hub.publish('error', JSON.stringify({ type: 'error', message: isBlurigError(error) ? error.message : String(error) }));
        throw error;
      }
    } finally {
      await model.dispose(); // ffmpeg is gone with the subscription; the pool's worker threads end here
    }
    if (stopped === undefined) {
      // The source ended (a file): the page keeps what it has until the user stops the server.
      server.hub.publish('end', JSON.stringify({ type: 'end' }));
      process.stderr.write(`blurig: the source ended after ${server.hub.framesSent} frames; still serving ${server.url} (Ctrl-C to stop)\n`);
      stopped = await new Promise<StopReason>((resolve) => onStop(resolve));
    }
  } finally {
    await server.close();
  }
  if (stopped === 'interrupt') {
    const { framesSent, drops, viewersEver } = server.hub;
    throw new InterruptedError(`interrupted: served ${framesSent} frames (${drops} patches dropped) to ${viewersEver} viewer${viewersEver === 1 ? '' : 's'}; ffmpeg, workers and sockets closed`);
  }
}
