// One output per stdout: which of a command's outputs go to stdout (`-`), refused when two would or when binary would go to a terminal.
import { OptionError } from '../errors/index.js';

/** Paths that name this process's own stdout. */
const STDOUT_PATHS = new Set(['-', '/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);

/** An output option as given: its flag, its value (absent when not given), and whether it is binary (PNG, .npy). */
export interface OutputTarget {
  readonly flag: string;
  readonly value: string | undefined;
  readonly binary: boolean;
}

/** True when `target` writes to this process's stdout. */
export function isStdoutTarget(target: string | undefined): boolean {
  return target !== undefined && STDOUT_PATHS.has(target);
}

/**
 * Checks that at most one output goes to stdout, and no binary one while stdout is a terminal; returns whether one
 * does (then no summary goes there: stdout holds that output alone).
 */
export function stdoutTaken(targets: readonly OutputTarget[], stdoutIsTerminal: boolean): boolean {
  const onStdout = targets.filter((t) => isStdoutTarget(t.value));
  if (onStdout.length > 1) {
    const [first, second] = onStdout;
    throw new OptionError(second.flag, `a file while ${first.flag} already writes to stdout (one output per stdout)`, second.value);
  }
  const binary = onStdout.find((t) => t.binary);
  if (binary !== undefined && stdoutIsTerminal) {
    throw new OptionError(binary.flag, 'a file, or - only with stdout redirected (binary output would garble the terminal)', binary.value);
  }
  return onStdout.length === 1;
}
