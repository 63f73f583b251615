// Option checks shared by the attribution methods: each names the option and the values it allows.
import { OptionError } from '../errors/index.js';

/** A positive integer option, or `fallback` when absent. */
export function positiveIntegerOption(name: string, value: unknown, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new OptionError(name, max === Infinity ? 'a positive integer' : `a positive integer ≤ ${max}`, value);
  if (value > max) throw new OptionError(name, `at most ${max}`, value);
  return value;
}

/**
 * Most integration nodes (or samples) per patch and class a method accepts. The default refinement stops at 256;
 * 1024 leaves two more doublings. Each node is a forward and backward pass (about 4.4 ms on one onnxruntime
 * thread), so this caps one class of one patch near 4.5 s, and memory with it (1 000 000 grew 35 MB/s, measured).
 */
export const MAX_PATH_STEPS = 1024;

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
