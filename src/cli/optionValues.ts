// Checks of option values as the user typed them (`--steps`, not `steps`), with their limits and near names, all before anything is loaded.
import { OptionError } from '../errors/index.js';
import type { Limit } from './limits.js';
import { didYouMean } from './nearNames.js';

/** An OptionError for `flag` whose message ends with `hint` (e.g. "did you mean …?") when there is one. */
export function optionError(flag: string, allowed: string, got: unknown, hint = ''): OptionError {
  const error = new OptionError(flag, allowed, got);
  if (hint !== '') error.message += `: ${hint}`;
  return error;
}

/** `--flag N`: an integer from 1 to `limit.max` (the refusal names the limit and why), or `fallback` when absent. */
export function integerOption(flag: string, text: string | undefined, fallback: number, limit?: Limit): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 1) throw optionError(flag, 'a positive integer', text);
  if (limit !== undefined && value > limit.max) throw optionError(flag, `at most ${limit.max} (${limit.why})`, text);
  return value;
}

/** `--flag X`: a finite number, > 0 (or ≥ 0 with `allowZero`) unless `anySign`; undefined when absent. */
export function numberOption(flag: string, text: string | undefined, { allowZero = false, anySign = false } = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw optionError(flag, 'a number', text);
  if (!anySign && (value < 0 || (!allowZero && value === 0))) throw optionError(flag, allowZero ? 'a number ≥ 0' : 'a number > 0', text);
  return value;
}

/** `--flag NAME`: one of `allowed` (with the near ones named when it is not), or undefined when absent. */
export function choiceOption<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  const listed = allowed.map((a) => `\`${a}\``).join(', ');
  throw optionError(flag, `one of ${listed}`, text, didYouMean(text, allowed, (a) => `\`${a}\``));
}

/** `true` when `Listed` covers every member of `All`: lets a CLI list of names be checked against the library's type. */
export type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;
