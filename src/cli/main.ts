// The `blurig` command: dispatches to a subcommand, and turns errors, Ctrl-C and stdout failures into one line and an exit code.
import { isBlurigError } from '../errors/index.js';
import { packageVersion, UsageError } from './args.js';
import { didYouMean } from './nearNames.js';
import { flushStdout, stdoutFailureReport, watchStdout, writeStdout } from './stdout.js';
import { installInterruptHandler, INTERRUPTED_EXIT_CODE, InterruptedError, wasInterrupted } from './stopRun.js';

const HELP = `Usage: blurig <command> [options]

Explains what YAMNet (an AudioSet sound-event classifier) hears, and where.

Commands:
  classify <input>   top classes per 0.96 s patch and for the whole clip
  explain <input>    which frames, bands and scales carried a class (Blur IG): summary, JSON, PNG, .npy
  stream <input|->   the same as NDJSON on stdout, one line per frame as it becomes final
  serve <input|->    the same live, as a page in the browser that scrolls as frames arrive
  evaluate <input>   how faithful each attribution method is: deletion/insertion, localisation, sanity, cost
  batch <inputs>…    explain a whole corpus into --out: resumable manifest, summary; here or on a queue (--queue)
  worker             take batch jobs from a BullMQ queue (--queue redis://…), on any number of machines
  model pull|info    install YAMNet into the per-user cache, or say what is installed

Run 'blurig <command> --help' for a command's options, 'blurig -V' for the version.
Exit codes: 0 ok (also when a reader such as head stops reading stdout early), 1 error (one line on
stderr, e.g. "cannot write to stdout: no space left on device"), 2 usage mistake, 130 interrupted (Ctrl-C,
after writing what was complete).
`;

/** Each command's module, loaded only when it runs: a mistake on the command line is reported before tfjs loads. */
const COMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<void>>> = {
  classify: async () => (await import('./commands/classify.js')).classifyCommand,
  explain: async () => (await import('./commands/explain.js')).explainCommand,
  evaluate: async () => (await import('./commands/evaluate.js')).evaluateCommand,
  model: async () => (await import('./commands/model.js')).modelCommand,
  stream: async () => (await import('./commands/stream.js')).streamCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  batch: async () => (await import('./commands/batch.js')).batchCommand,
  worker: async () => (await import('./commands/worker.js')).workerCommand,
};

/** Runs the CLI on `argv` (without node and script) and returns the exit code; stdout has been flushed by then. */
export async function main(argv: string[]): Promise<number> {
  watchStdout();
  const removeInterruptHandler = installInterruptHandler();
  const [command, ...rest] = argv;
  const verbose = rest.includes('--verbose') || rest.includes('-v');
  let outcome: { code: number } | { error: unknown };
  try {
    outcome = { code: await dispatch(command, rest) };
  } catch (error) {
    outcome = { error };
  } finally {
    removeInterruptHandler();
  }
  const stdoutFailure = await flushStdout();
  // Ctrl-C first (the user asked), then a stdout that broke (the command's own error is most likely its consequence).
  if ('error' in outcome && outcome.error instanceof InterruptedError) return reportError(outcome.error, verbose);
  if (wasInterrupted()) {
    process.stderr.write('blurig: interrupted\n');
    return INTERRUPTED_EXIT_CODE;
  }
  if (stdoutFailure !== undefined) {
    const { line, exitCode } = stdoutFailureReport(stdoutFailure);
    if (line !== undefined) process.stderr.write(`blurig: ${line}\n`);
    if (verbose && line !== undefined) process.stderr.write(`${stdoutFailure.stack ?? ''}\n`);
    return exitCode;
  }
  return 'error' in outcome ? reportError(outcome.error, verbose) : outcome.code;
}

async function dispatch(command: string | undefined, rest: string[]): Promise<number> {
  if (command === '--help' || command === '-h' || command === 'help') {
    writeStdout(HELP);
    return 0;
  }
  if (command === '--version' || command === '-V') {
    writeStdout(packageVersion() + '\n');
    return 0;
  }
  if (command === undefined) throw new UsageError(`No command given: use classify, explain, evaluate, stream, serve, batch, worker or model. Run 'blurig --help' for the commands.`);
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (load === undefined) {
    const hint = command.startsWith('-') ? '' : didYouMean(command, Object.keys(COMMANDS));
    throw new UsageError(`Unknown command "${command}"${hint === '' ? '' : ` (${hint})`}. Run 'blurig --help' for the commands.`);
  }
  await (await load())(rest);
  return 0;
}

function reportError(error: unknown, verbose: boolean): number {
  if (isBlurigError(error)) {
    process.stderr.write(`blurig: ${error.message}\n`);
    if (verbose) process.stderr.write(`${detailsOf(error)}\n`);
    return error instanceof InterruptedError ? INTERRUPTED_EXIT_CODE : error instanceof UsageError ? 2 : 1;
  }
  // Not a user mistake: say so, and keep the stack for --verbose.
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  process.stderr.write(`blurig: internal error: ${message} (this is a bug; rerun with --verbose and report it)\n`);
  if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}

function detailsOf(error: Error): string {
  const fields = Object.entries(error).filter(([key]) => key !== 'name');
  const parts = fields.map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  if (error.cause instanceof Error) parts.push(`cause: ${error.cause.stack ?? error.cause.message}`);
  parts.push(error.stack ?? '');
  return parts.join('\n');
}
