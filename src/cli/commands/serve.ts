// `blurig serve <input|->`: its options, checked before anything heavy loads; the run itself is in runServe.ts.
import { checkDecodeInput } from '../../operators/decodeAudio.js';
import { answeredHelpOrVersion, expectPositionals, MODEL_OPTIONS, parseCommandArgs } from '../args.js';
import { MAX_WAITING_LIMIT } from '../limits.js';
import { modelArgs } from '../modelArgs.js';
import { integerOption, optionError } from '../optionValues.js';
import { ATTRIBUTION_OPTIONS, attributionArgs, attributionHelp } from './attributionArgs.js';

/** The port `serve` listens on unless told. */
export const DEFAULT_PORT = 8080;

export function serveHelp(): string {
  return `Usage: blurig serve <input|-> [options]

Explains <input> live (as blurig stream --live does) and serves a page that scrolls the spectrogram, each
explained class's attribution and the detections as frames arrive (Server-Sent Events), with the lag and
every dropped patch shown. Prints its URL; any number of viewers may watch; a viewer that joins late first
gets the last 30 s. Ctrl-C stops ffmpeg, the workers and every socket, and exits with 130.
  --port N           port to listen on (default ${DEFAULT_PORT}; 0 picks a free one, printed in the URL)
  --host ADDR        address to bind (default 127.0.0.1: this machine only; 0.0.0.0 opens it to the network)
  --realtime         read a file at its real rate (ffmpeg -re); without it a file is read as fast as it decodes
                     and the drop policy decides which patches are explained
  --format FMT       ffmpeg input format, e.g. lavfi for --format lavfi "sine=frequency=440"
  --max-waiting N    patches allowed to wait (default 1, at most ${MAX_WAITING_LIMIT.max}); when another arrives the oldest
                     waiting one is dropped, and the page shows it

${attributionHelp()}  --model PATH, --engine NAME, --backend NAME, -v/--verbose, -h/--help, -V/--version as for classify
`;
}

/** Runs `blurig serve`. */
export async function serveCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('serve', argv, {
    ...MODEL_OPTIONS,
    ...ATTRIBUTION_OPTIONS,
    port: { type: 'string' },
    host: { type: 'string' },
    realtime: { type: 'boolean' },
    format: { type: 'string' },
    'max-waiting': { type: 'string' },
  });
  if (answeredHelpOrVersion(values, serveHelp())) return;
  const [input] = expectPositionals('serve', positionals, ['input|-']);
  const port = values.port === '0' ? 0 : integerOption('--port', values.port, DEFAULT_PORT, { max: 65_535, why: 'TCP ports end there' });
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '' || /[\s/]/.test(host)) throw optionError('--host', 'an address such as 127.0.0.1, ::1 or 0.0.0.0', values.host);
  const source = { path: input, realtime: values.realtime === true, inputOptions: values.format === undefined ? undefined : ['-f', values.format] };
  const maxWaitingPatches = integerOption('--max-waiting', values['max-waiting'], 1, MAX_WAITING_LIMIT);
  const model = modelArgs(values);
  const { options, workers } = await attributionArgs(values);
  await checkDecodeInput(source);
  const { runServe } = await import('./runServe.js'); // tfjs, onnxruntime, the pipeline and the server load only now
  await runServe({ source, host, port, maxWaitingPatches, model: { ...model, workers }, options });
}
