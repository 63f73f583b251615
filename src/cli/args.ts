// Command-line option parsing on node:util parseArgs, with user mistakes turned into one-line OptionErrors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BlurigError, OptionError } from '../errors/index.js';

/** Options every command that runs the model shares. */
export const MODEL_OPTIONS = {
  model: { type: 'string' },
  engine: { type: 'string' },
  backend: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** A usage mistake on the command line: message plus the help command that shows the right form. */
export class UsageError extends BlurigError {
  override readonly name = 'UsageError';
}

/** parseArgs in strict mode; an unknown option or a missing value becomes a UsageError naming `command --help`. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0].replace(/\. To specify a positional.*$/, '') : String(error);
    throw new UsageError(`${detail.replace(/\.$/, '')}. Run 'blurig ${command} --help' for the options.`, { cause: error });
  }
}

/** A positive integer option value (e.g. `--top-k 5`), or `fallback` when absent. */
export function positiveInteger(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new OptionError(`--${option}`, 'a positive integer', value);
  return parsed;
}

/** Exactly `count` positional arguments, named in `names` for the message. */
export function expectPositionals(command: string, positionals: string[], names: string[]): string[] {
  if (positionals.length !== names.length) {
    const wanted = names.map((n) => `<${n}>`).join(' ');
    throw new UsageError(
      `blurig ${command} takes ${wanted}, got ${positionals.length === 0 ? 'nothing' : positionals.map((p) => `"${p}"`).join(' ')}. Run 'blurig ${command} --help'.`,
    );
  }
  return positionals;
}
