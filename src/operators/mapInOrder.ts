// RxJS operator: each value through an async function, several at once, results emitted in source order.
import { Observable, type OperatorFunction } from 'rxjs';
import { positiveIntegerOption } from '../attribution/validate.js';

/** At most `maxWaiting` values wait to start; the oldest beyond that is dropped and emitted as `dropped(value)`. */
export interface WaitingBound<T, R> {
  readonly maxWaiting: number;
  readonly dropped: (value: T) => R;
}

/**
 * Runs `project` on up to `concurrency` values at once and emits the results in the order the values arrived,
 * holding back any that finish early (with 1 it is `concatMap`). Like `concatMap`, it never drops a value: a source
 * error or completion waits until everything that arrived has been mapped and emitted, and a failed `project`
 * errors the output once the results before it are out. Unsubscribing aborts the `signal` passed to each call still
 * running, and discards whatever they return. With a {@link WaitingBound} it does drop: at most `maxWaiting` values
 * wait to start, and a newer one pushes out the oldest, which is emitted at once as `dropped(value)`.
 */
export function mapInOrder<T, R>(
  project: (value: T, signal: AbortSignal) => Promise<R>,
  concurrency = 1,
  bound?: WaitingBound<T, R>,
): OperatorFunction<T, R> {
  const limit = positiveIntegerOption('concurrency', concurrency, 1);
  const maxWaiting = bound === undefined ? Infinity : positiveIntegerOption('maxWaiting', bound.maxWaiting, 1);
  return (source) =>
    new Observable<R>((subscriber) => {
      const waiting: T[] = [];
      // Finished results by arrival number, until every earlier one is out.
      const finished = new Map<number, { value: R } | { error: unknown }>();
      const abort = new AbortController();
      let started = 0;
      let running = 0;
      let emitted = 0;
      let failed = false;
      let end: { error: unknown } | 'complete' | undefined;
      const flush = (): void => {
        for (let outcome = finished.get(emitted); outcome !== undefined && !subscriber.closed; outcome = finished.get(emitted)) {
          finished.delete(emitted++);
          if ('error' in outcome) subscriber.error(outcome.error);
          else subscriber.next(outcome.value);
        }
        if (subscriber.closed) return;
        startMore();
        if (end !== undefined && emitted === started && waiting.length === 0) {
          if (end === 'complete') subscriber.complete();
          else subscriber.error(end.error);
        }
      };
      const startMore = (): void => {
        // Once a call has failed, the output ends with its error: starting later ones would be wasted work.
        while (running < limit && waiting.length > 0 && !failed && !subscriber.closed) {
          const order = started++;
          running++;
          const settle = (outcome: { value: R } | { error: unknown }) => {
            running--;
            if (subscriber.closed) return;
            if ('error' in outcome) failed = true;
            finished.set(order, outcome);
            flush();
          };
          const value = waiting.shift()!;
          // Inside then(): a project that throws synchronously fails in order too.
          Promise.resolve()
            .then(() => project(value, abort.signal))
            .then((result) => settle({ value: result }), (error: unknown) => settle({ error }));
        }
      };
      const subscription = source.subscribe({
        next: (value) => {
          waiting.push(value);
          // Only values not yet started can be dropped; what is dropped is reported at once, not in order.
          if (waiting.length > maxWaiting) subscriber.next(bound!.dropped(waiting.shift()!));
          startMore();
        },
        error: (error: unknown) => {
          end = { error };
          flush();
        },
        complete: () => {
          end = 'complete';
          flush();
        },
      });
      return () => {
        subscription.unsubscribe();
        waiting.length = 0;
        finished.clear();
        abort.abort();
      };
    });
}
