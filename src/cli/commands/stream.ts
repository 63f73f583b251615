// `blurig stream <input|->`: NDJSON on stdout, one line per frame as it becomes final, plus patch events.
import { once } from 'node:events';
import { explainFile } from '../../../pipelines/explainFile.js';
import { explainLive } from '../../../pipelines/explainLive.js';
import { isBlurigError } from '../../errors/index.js';
import { checkDecodeInput } from '../../operators/decodeAudio.js';
import { eventLine, headerLine } from '../../render/ndjson.js';
import { expectPositionals, MODEL_OPTIONS, parseCommandArgs, positiveInteger } from '../args.js';
import { attributorHeader, openAttributor } from '../openAttributor.js';
import { ATTRIBUTION_HELP, ATTRIBUTION_OPTIONS, explainHeader, patchOptionsFromArgs } from './attributionArgs.js';

export const STREAM_HELP = `Usage: blurig stream <input|-> [options]

Explains <input> (a file, a URL, or - for stdin) and writes NDJSON to stdout as it goes:
  {"type":"start", …}  the run: engine, model, method, output, class choice, detector settings, mode
  {"type":"patch", …}  a patch's explained classes: score, logit, completeness and scale curve
  {"type":"frame", …}  a 10 ms frame once final: log-mel and per-class attribution over the 64 bands
  {"type":"detection","state":"start"|"end", …}  an event as it opens, and once closed with its evidence
  {"type":"end"} on success, or {"type":"error","message":…} after every frame that was complete.
By default the detected classes are explained, in the patches their events cover (one patch of lookahead).
Live sources (--live, implied by --realtime): patches are explained as soon as they exist (no end padding);
when attribution is slower than the audio, at most --max-waiting patches wait (default 1) and the oldest
waiting one is dropped, reported as {"type":"drop",…}; {"type":"lag",…} follows every patch. File mode
never drops.
  --live             treat <input> as unbounded: a device, a URL, stdin, or an ffmpeg source with --format
  --realtime         read a file at its real rate (ffmpeg -re), as if it were live
  --format FMT       ffmpeg input format, e.g. lavfi for --format lavfi "sine=frequency=440"
  --max-waiting N    patches allowed to wait in live mode (default 1)
Ctrl-C stops ffmpeg and frees everything. With --workers N (default: the cores) N patches are explained
at once, in N worker threads, still in order.

${ATTRIBUTION_HELP}  --model PATH, --engine NAME, --backend NAME, -v/--verbose, -h/--help as for classify
`;

/** Runs `blurig stream`. */
export async function streamCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('stream', argv, {
    ...MODEL_OPTIONS,
    ...ATTRIBUTION_OPTIONS,
    live: { type: 'boolean' },
    realtime: { type: 'boolean' },
    format: { type: 'string' },
    'max-waiting': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(STREAM_HELP);
    return;
  }
  const [input] = expectPositionals('stream', positionals, ['input|-']);
  const live = values.live === true || values.realtime === true;
  const source = { path: input, realtime: values.realtime === true, inputOptions: values.format === undefined ? undefined : ['-f', values.format] };
  const maxWaitingPatches = positiveInteger('max-waiting', values['max-waiting'], 1);
  const options = patchOptionsFromArgs(values);
  await checkDecodeInput(source);
  const model = await openAttributor(values);
  const write = (line: string) => process.stdout.write(line + '\n');
  write(headerLine({ ...explainHeader(attributorHeader(model), options), mode: live ? 'live' : 'file' }));
  try {
    await new Promise<void>((resolve, reject) => {
      // A reader slower than the stream (stdout not drained) holds patches back, so they are dropped and reported.
      const whenConsumerReady = () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : Promise.resolve());
      const events = live
        ? explainLive(source, model, options, { maxWaitingPatches, whenConsumerReady })
        : explainFile(source, model, options);
      const subscription = events.subscribe({
        next: (event) => write(eventLine(event, model.classNames)),
        error: (error: unknown) => {
          write(JSON.stringify({ type: 'error', message: isBlurigError(error) ? error.message : String(error) }));
          reject(error);
        },
        complete: () => {
          write(JSON.stringify({ type: 'end' }));
          resolve();
        },
      });
      const stop = (exitCode: number) => {
        subscription.unsubscribe(); // kills ffmpeg and withdraws queued patches; the finally below frees the model
        process.exitCode = exitCode;
        resolve();
      };
      process.once('SIGINT', () => stop(130));
      // A consumer that stops reading (`| head`) is not an error: stop quietly, as Unix tools do.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? stop(0) : reject(error)));
    });
  } finally {
    await model.dispose(); // a pool's worker threads end here, whichever way the stream stopped
  }
}
