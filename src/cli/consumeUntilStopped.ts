// Runs a command's pipeline until it ends or the run is asked to stop (Ctrl-C, stdout gone): the subscription loop every command shares.
import { type Observable, Subscription } from 'rxjs';
import { onStop, type StopReason } from './stopRun.js';

/**
 * Subscribes to `source`, handing each value to `next`, until it completes (resolves undefined), fails (rejects with
 * its error) or the run is asked to stop: then it unsubscribes, which kills ffmpeg and withdraws queued patches, and
 * resolves with the reason. What `next` was given is the caller's to write.
 */
export function consumeUntilStopped<T>(source: Observable<T>, next: (value: T) => void): Promise<StopReason | undefined> {
  return new Promise((resolve, reject) => {
    let stopped: StopReason | undefined;
    let subscription = new Subscription();
    const release = onStop((reason) => {
      stopped = reason;
      subscription.unsubscribe();
      resolve(reason);
    });
    subscription = source.subscribe({
      next,
      error: (error: unknown) => (release(), reject(error)),
      complete: () => (release(), resolve(undefined)),
    });
    if (stopped !== undefined) subscription.unsubscribe(); // stopped while subscribing (stdout failed during the first value)
  });
}
