// How a running command is asked to stop early, by Ctrl-C or by stdout going away, and the error that ends an interrupted run with 130.
import { BlurigError } from '../errors/index.js';

/** Why a run is asked to stop: SIGINT, or a stdout write failed (its reader left, or the disk is full). */
export type StopReason = 'interrupt' | 'stdout';

/** Ends a command stopped by Ctrl-C; `message` says what was written before it stopped. The CLI exits with 130. */
export class InterruptedError extends BlurigError {
  override readonly name = 'InterruptedError';
}

/** Exit code of a run ended by SIGINT: 128 + 2, as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

let stopHandler: ((reason: StopReason) => void) | undefined;
let interrupted = false;
/** A stop asked for while no command listened (stdout failed during loading): the next `onStop` stops at once. */
let unanswered: StopReason | undefined;

/**
 * Registers how the running command stops (unsubscribe, then flush what is complete); returns the function that
 * withdraws it. While none is registered (loading, writing the results), Ctrl-C exits at once with 130.
 */
export function onStop(stop: (reason: StopReason) => void): () => void {
  if (unanswered !== undefined) {
    stop(unanswered);
    return () => undefined;
  }
  stopHandler = stop;
  return () => {
    if (stopHandler === stop) stopHandler = undefined;
  };
}

/** Asks the running command to stop; true when one was listening. */
export function requestStop(reason: StopReason): boolean {
  if (reason === 'interrupt') interrupted = true;
  const stop = stopHandler;
  stopHandler = undefined; // once is enough: a second request finds nobody and, for Ctrl-C, exits at once
  if (stop === undefined) unanswered = reason;
  stop?.(reason);
  return stop !== undefined;
}

/** True once Ctrl-C was pressed during this run. */
export function wasInterrupted(): boolean {
  return interrupted;
}

/**
 * Turns SIGINT into {@link requestStop}; with no command listening (or on a second Ctrl-C) it says so and exits
 * with 130 at once. Returns the function that removes the handler.
 */
export function installInterruptHandler(): () => void {
  interrupted = false;
  stopHandler = undefined;
  unanswered = undefined;
  const onSigint = (): void => {
    if (requestStop('interrupt')) return;
    process.stderr.write('blurig: interrupted; nothing more was written\n');
    process.exit(INTERRUPTED_EXIT_CODE);
  };
  process.on('SIGINT', onSigint);
  return () => {
    process.off('SIGINT', onSigint);
  };
}
