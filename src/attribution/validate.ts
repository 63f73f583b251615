// Option checks shared by the attribution methods: each names the option and the values it allows.
import { OptionError } from '../errors/index.js';

/** A positive integer option, or `fallback` when absent. */
export function positiveIntegerOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new OptionError(name, 'a positive integer', value);
  return value;
}

/** A finite number > 0 (or ≥ 0 with `allowZero`), or `fallback` when absent. */
export function positiveNumberOption(name: string, value: unknown, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new OptionError(name, allowZero ? 'a finite number ≥ 0' : 'a finite number > 0', value);
  }
  return value;
}

/** One of `allowed`, or `fallback` when absent. */
export function choiceOption<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new OptionError(name, `one of ${allowed.map((a) => `\`${a}\``).join(', ')}`, value);
  }
  return value as T;
}
