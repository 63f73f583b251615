// The `blurig` command: dispatches to a subcommand and turns errors into one line and an exit code.
import { readFileSync } from 'node:fs';
import { isBlurigError } from '../errors/index.js';
import { packagePath } from '../packageFiles.js';
import { UsageError } from './args.js';
import { classifyCommand } from './commands/classify.js';
import { explainCommand } from './commands/explain.js';
import { modelCommand } from './commands/model.js';
import { streamCommand } from './commands/stream.js';

const HELP = `Usage: blurig <command> [options]

Explains what YAMNet (an AudioSet sound-event classifier) hears, and where.

Commands:
  classify <input>   top classes per 0.96 s patch and for the whole clip
  explain <input>    which frames, bands and scales carried a class (Blur IG): summary, JSON, PNG, .npy
  stream <input|->   the same as NDJSON on stdout, one line per frame as it becomes final
  model pull|info    install YAMNet into the per-user cache, or say what is installed

Run 'blurig <command> --help' for a command's options. Exit codes: 0 ok, 1 error, 2 usage mistake.
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = { classify: classifyCommand, explain: explainCommand, model: modelCommand, stream: streamCommand };

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const verbose = rest.includes('--verbose') || rest.includes('-v');
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version') {
      process.stdout.write(JSON.parse(readFileSync(packagePath('package.json'), 'utf8')).version + '\n');
      return 0;
    }
    const run = COMMANDS[command];
    if (run === undefined) throw new UsageError(`Unknown command "${command}". Run 'blurig --help' for the commands.`);
    await run(rest);
    return 0;
  } catch (error) {
    return reportError(error, verbose);
  }
}

function reportError(error: unknown, verbose: boolean): number {
  if (isBlurigError(error)) {
    process.stderr.write(`blurig: ${error.message}\n`);
    if (verbose) process.stderr.write(`${detailsOf(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
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
