// `blurig batch <dir|list.txt|glob>… --out DIR [--queue redis://…]`: its options, checked before any model loads; the run is in runBatch.ts.
import { mkdirSync, statSync } from 'node:fs';
import { answeredHelpOrVersion, MODEL_OPTIONS, parseCommandArgs, UsageError } from '../args.js';
import { FIGURE_OPTIONS, figureArgs, figureHelp } from '../figureArgs.js';
import { modelArgs } from '../modelArgs.js';
import { BlurigError } from '../../errors/index.js';
import { redisConnection } from '../../batch/bullmq/redisUrl.js';
import { ATTRIBUTION_OPTIONS, attributionArgs, attributionHelp } from './attributionArgs.js';

export function batchHelp(): string {
  return `Usage: blurig batch <folder|list.txt|glob>… --out DIR [options]

Explains every audio file (folders are walked for audio files; a .txt lists one path a line; a quoted glob such as
"data/**/*.flac" is expanded) with explain's options, one output folder per file under DIR/files/, each written
whole (a temporary folder renamed into place). DIR/manifest.ndjson gets a line as each file finishes; a rerun skips
the files done with the same settings and unchanged, and retries those that failed. A bad file is reported and
skipped. At the end DIR/summary.json (and with --html DIR/summary.html): per class, the detections, the bands and
scales that carry it across the corpus, completeness and cost.

Where the work runs:
  (default)          in this process, one file after another (--workers threads explain each file's patches)
  --queue URL        as jobs on BullMQ at redis://HOST:PORT: any number of 'blurig worker --queue URL' (on machines
                     that see the inputs and DIR at the same paths) run them; this command follows them and writes
                     the manifest and summary. Needs the optional packages: npm install bullmq ioredis
  --out DIR          the output folder (created if missing; required)

${attributionHelp()}${figureHelp()}Outputs in each file's folder (explain.json is always written: the summary is built from it):
  --png, --svg, --pdf  heatmap.png / .svg / .pdf, as explain draws it
  --npy              attribution.npy [classes, frames, 64]
  --listen           listen/INDEX-NAME.wav and INDEX-NAME-rest.wav per explained class
  --html             report.html per file, and summary.html for the corpus
  --model PATH, --engine NAME, --backend NAME, -v/--verbose, -h/--help, -V/--version as for classify
Exit: 0 when every file is done, 1 when some failed (see the manifest; a rerun retries them), 130 on Ctrl-C
(the manifest holds every finished file; with --queue, jobs not yet started are withdrawn).
`;
}

/** Runs `blurig batch`. */
export async function batchCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('batch', argv, {
    ...MODEL_OPTIONS,
    ...ATTRIBUTION_OPTIONS,
    ...FIGURE_OPTIONS,
    out: { type: 'string' },
    queue: { type: 'string' },
    png: { type: 'boolean' },
    svg: { type: 'boolean' },
    pdf: { type: 'boolean' },
    npy: { type: 'boolean' },
    listen: { type: 'boolean' },
    html: { type: 'boolean' },
  });
  if (answeredHelpOrVersion(values, batchHelp())) return;
  if (positionals.length === 0) throw new UsageError(`blurig batch takes <folder|list.txt|glob>… --out DIR, got no input. Run 'blurig batch --help'.`);
  if (values.out === undefined) throw new UsageError(`blurig batch needs --out DIR, the folder the results go to. Run 'blurig batch --help'.`);
  if (values.queue !== undefined) redisConnection(values.queue); // the URL's form; whether Redis answers is checked when it is used
  const model = modelArgs(values);
  const { options, workers } = await attributionArgs(values);
  const figure = figureArgs(values);
  const outputs = { png: values.png === true, svg: values.svg === true, pdf: values.pdf === true, npy: values.npy === true, listen: values.listen === true, html: values.html === true };
  makeOutFolder(values.out);
  const { runBatch } = await import('./runBatch.js');
  const args = Object.fromEntries([...Object.keys(ATTRIBUTION_OPTIONS), ...Object.keys(FIGURE_OPTIONS), 'engine'].filter((k) => k !== 'workers').map((k) => [k, values[k as keyof typeof values] as string | string[] | undefined]));
  await runBatch({ inputs: positionals, out: values.out, queue: values.queue, workers, settings: { model, options, outputs, figure, args } });
}

/** Creates `--out` (or checks it is a folder) now, so a typo fails before any file is hashed or any model loads. */
function makeOutFolder(out: string): void {
  try {
    mkdirSync(out, { recursive: true });
    if (!statSync(out).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new BlurigError(`Cannot use --out "${out}" (${code}): give a folder you may write to (it is created if missing).`, { cause: error });
  }
}
