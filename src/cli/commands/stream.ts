// `blurig stream <input|->`: NDJSON on stdout, one line per frame as it becomes final, plus patch events.
import { explainFile } from '../../../pipelines/explainFile.js';
import { isBlurigError } from '../../errors/index.js';
import { checkDecodeInput } from '../../operators/decodeAudio.js';
import { eventLine } from '../../render/ndjson.js';
import type { PatchMethodName } from '../../types.js';
import { expectPositionals, MODEL_OPTIONS, parseCommandArgs, positiveInteger } from '../args.js';
import { openModel } from '../openModel.js';
import { blurIGOptionsFromArgs } from './attributionArgs.js';

export const STREAM_HELP = `Usage: blurig stream <input|-> [options]

Explains <input> (a file, a URL, or - for stdin) and writes NDJSON to stdout as it goes:
  {"type":"patch", …}  a patch's classes, scores, logits, completeness and scale curve
  {"type":"frame", …}  a 10 ms frame once final: log-mel and per-class attribution over the 64 bands
  {"type":"end"} on success, or {"type":"error","message":…} after every frame that was complete.
Options as for 'blurig explain' (--class, --top-k, --method, --path, --steps, --tolerance, --max-steps,
--batch-size, --model, --backend). Ctrl-C stops ffmpeg and frees everything.
`;

/** Runs `blurig stream`. */
export async function streamCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('stream', argv, {
    ...MODEL_OPTIONS,
    class: { type: 'string', multiple: true },
    'top-k': { type: 'string' },
    method: { type: 'string' },
    path: { type: 'string' },
    steps: { type: 'string' },
    tolerance: { type: 'string' },
    'max-steps': { type: 'string' },
    'batch-size': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(STREAM_HELP);
    return;
  }
  const [input] = expectPositionals('stream', positionals, ['input|-']);
  const classes = values.class !== undefined ? values.class : { topK: positiveInteger('top-k', values['top-k'], 1) };
  await checkDecodeInput(input);
  const model = await openModel(values);
  const write = (line: string) => process.stdout.write(line + '\n');
  try {
    await new Promise<void>((resolve, reject) => {
      const subscription = explainFile(input, model, { method: values.method as PatchMethodName | undefined, methodOptions: blurIGOptionsFromArgs(values), classes }).subscribe({
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
        subscription.unsubscribe(); // kills ffmpeg; the finally below frees the model's tensors
        process.exitCode = exitCode;
        resolve();
      };
      process.once('SIGINT', () => stop(130));
      // A consumer that stops reading (`| head`) is not an error: stop quietly, as Unix tools do.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? stop(0) : reject(error)));
    });
  } finally {
    model.dispose();
  }
}
