// Command-line option parsing on node:util parseArgs: user mistakes become one-line UsageErrors with near names, negative numbers reach the value checks.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BlurigError } from '../errors/index.js';
import { packagePath } from '../packageFiles.js';
import { didYouMean } from './nearNames.js';
import { writeStdout } from './stdout.js';

/** Options every command has. */
export const COMMON_OPTIONS = {
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const satisfies ParseArgsConfig['options'];

/** Options every command that runs the model shares. */
export const MODEL_OPTIONS = {
  model: { type: 'string' },
  engine: { type: 'string' },
  backend: { type: 'string' },
  ...COMMON_OPTIONS,
} as const satisfies ParseArgsConfig['options'];

/** A usage mistake on the command line: message plus the help command that shows the right form. */
export class UsageError extends BlurigError {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * parseArgs in strict mode. Before it runs: an unknown `--option` is a UsageError with the near names, a string
 * option with no value says so, and a negative number after a string option (`--steps -1`) is taken as its value
 * (parseArgs alone calls it "ambiguous") so that the value check can say what is wrong with it.
 */
export function parseCommandArgs<T extends Options>(
  command: string,
  argv: string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  const args = prepareArgs(command, argv, options);
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0].replace(/\. To specify a positional.*$/, '') : String(error);
    throw new UsageError(`${detail.replace(/\.$/, '')}. Run 'blurig ${command} --help' for the options.`, { cause: error });
  }
}

/** A number-looking argument: `-1`, `-0.5`, `-.5`, `-1e3`, `-Infinity`. */
const NEGATIVE_NUMBER = /^-(\d|\.\d|Infinity$)/;

function prepareArgs(command: string, argv: string[], options: Options): string[] {
  const names = Object.keys(options);
  const help = `Run 'blurig ${command} --help' for the options.`;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (!arg.startsWith('--')) {
      out.push(arg);
      continue;
    }
    const [name, inlineValue] = splitOption(arg);
    const option = options[name];
    if (option === undefined) {
      const hint = didYouMean(name, names, (n) => `--${n}`);
      throw new UsageError(`Unknown option '--${name}'${hint === '' ? '' : ` (${hint})`}. ${help}`);
    }
    if (option.type !== 'string' || inlineValue !== undefined) {
      out.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new UsageError(`Option '--${name}' needs a value. ${help}`);
    if (value.length > 1 && value.startsWith('-') && !NEGATIVE_NUMBER.test(value)) {
      throw new UsageError(`Option '--${name}' needs a value, but the next argument is the option '${value}' (a value starting with - goes as --${name}=VALUE). ${help}`);
    }
    out.push(`--${name}=${value}`);
    i++;
  }
  return out;
}

function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg.slice(2), undefined] : [arg.slice(2, eq), arg.slice(eq + 1)];
}

/** Handles `--help` and `--version` for a command: writes the help or the version to stdout and returns true. */
export function answeredHelpOrVersion(values: { help?: boolean; version?: boolean }, help: string): boolean {
  if (values.version === true) {
    writeStdout(packageVersion() + '\n');
    return true;
  }
  if (values.help === true) {
    writeStdout(help);
    return true;
  }
  return false;
}

/** The package's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
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
