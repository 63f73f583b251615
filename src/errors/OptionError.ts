// An option or argument outside its allowed values.
import { BlurigError } from './BlurigError.js';

/** A bad option value; `option` names it, `allowed` says what would be accepted. */
export class OptionError extends BlurigError {
  override readonly name = 'OptionError';
  constructor(
    readonly option: string,
    readonly allowed: string,
    readonly got: unknown,
  ) {
    super(`Expected the \`${option}\` option to be ${allowed}, got ${describe(got)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `\`${value}\` (string)`;
  if (typeof value === 'number' || typeof value === 'boolean') return `\`${String(value)}\` (${typeof value})`;
  if (value === undefined || value === null) return `\`${String(value)}\``;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `a value of type ${typeof value}`;
}
