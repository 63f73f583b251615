// `blurig stream <input|->`: its options, checked before anything heavy loads; the run itself is in runStream.ts.
import { neverEndingSourceWarning } from '../../ffmpeg/neverEndingSourceWarning.js';
import { checkDecodeInput } from '../../operators/decodeAudio.js';
import { answeredHelpOrVersion, expectPositionals, MODEL_OPTIONS, parseCommandArgs } from '../args.js';
import { MAX_WAITING_LIMIT } from '../limits.js';
import { modelArgs } from '../modelArgs.js';
import { integerOption } from '../optionValues.js';
import { ATTRIBUTION_OPTIONS, attributionArgs, attributionHelp } from './attributionArgs.js';

export function streamHelp(): string {
  return `Usage: blurig stream <input|-> [options]

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
  --max-waiting N    patches allowed to wait in live mode (default 1, at most ${MAX_WAITING_LIMIT.max})
Ctrl-C stops ffmpeg, frees everything and exits with 130; every line already written is whole. A reader that
stops early (| head) ends the run quietly (exit 0). With --workers N (default: the cores) N patches are
explained at once, in N worker threads, still in order.

${attributionHelp()}  --model PATH, --engine NAME, --backend NAME, -v/--verbose, -h/--help, -V/--version as for classify
`;
}

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
  if (answeredHelpOrVersion(values, streamHelp())) return;
  const [input] = expectPositionals('stream', positionals, ['input|-']);
  const live = values.live === true || values.realtime === true;
  const source = { path: input, realtime: values.realtime === true, inputOptions: values.format === undefined ? undefined : ['-f', values.format] };
  const maxWaitingPatches = integerOption('--max-waiting', values['max-waiting'], 1, MAX_WAITING_LIMIT);
  const model = modelArgs(values);
  const { options, workers } = await attributionArgs(values);
  await checkDecodeInput(source);
  const endless = live ? null : neverEndingSourceWarning(source);
  if (endless !== null) process.stderr.write(`blurig: warning: ${endless}\n`);
  const { runStream } = await import('./runStream.js'); // tfjs, onnxruntime and the pipeline load only now
  await runStream({ source, live, maxWaitingPatches, model: { ...model, workers }, options });
}
