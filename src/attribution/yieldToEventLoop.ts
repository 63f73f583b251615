// Lets pending I/O and timers run between model calls: a long attribution must not starve a live decoder.
import { setImmediate } from 'node:timers/promises';

/**
 * Resolved tensor reads settle as microtasks, so a loop of model calls would otherwise never let the event loop
 * read ffmpeg's stdout: live audio would back up in the pipe, and a live pipeline could not see that it is behind.
 */
export function yieldToEventLoop(): Promise<void> {
  return setImmediate();
}
