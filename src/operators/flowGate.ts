// Bounds the items waiting in a slow stage: counts them in and out, and tells the producer when to pause and resume.
import { BehaviorSubject, type MonoTypeOperatorFunction, type Observable, tap } from 'rxjs';
import { OptionError } from '../errors/index.js';

/**
 * Counts the items between {@link FlowGate.admit} and {@link FlowGate.release}. RxJS has no backpressure, so a
 * producer far faster than the stage (ffmpeg vs attribution) would otherwise queue its whole output; with the gate
 * it pauses while {@link FlowGate.full} says so. Per-run state: create one gate per subscription (inside `defer`).
 */
export interface FlowGate {
  /** A `tap` that counts each item in. Place it where items start to wait (after `patches()`). */
  admit<T>(): MonoTypeOperatorFunction<T>;
  /**
   * A `tap` that counts each item out. Place it right after the stage's output, which must be one item per item
   * admitted (more would throw), and must come without the stage needing more than `maxWaiting` items first, or
   * the producer stays paused forever (e.g. `bufferCount(n)` inside needs `maxWaiting >= n`).
   */
  release<T>(): MonoTypeOperatorFunction<T>;
  /**
   * `true` once `maxWaiting` items wait, `false` again once they have drained to `resumeAt` (hysteresis, so the
   * producer is not switched on and off at every item). Replays the current state on subscribe; this is what
   * `decodeAudio`'s `pauseWhile` takes.
   */
  readonly full: Observable<boolean>;
  /** Items admitted and not yet released. */
  readonly waiting: number;
}

/**
 * A {@link FlowGate} that pauses at `maxWaiting` items and resumes at `resumeAt`.
 *
 * @param maxWaiting Items waiting when the producer is told to pause; a positive integer. @default 8. Eight
 *   patches (≈ 25 KB of log-mel each) cost nothing, and at attribution's 0.2–1 s per patch the 4 still waiting at
 *   resume are 1–4 s of work, while the decoder refills in milliseconds; an ordered pool of 2–4 workers still has
 *   one patch queued for each.
 * @param resumeAt Items waiting when the producer is told to resume; an integer in [0, maxWaiting). @default
 *   floor(maxWaiting / 2)
 */
export function flowGate(maxWaiting = 8, resumeAt = Math.floor(maxWaiting / 2)): FlowGate {
  if (!Number.isInteger(maxWaiting) || maxWaiting < 1) throw new OptionError('maxWaiting', 'a positive integer', maxWaiting);
  if (!Number.isInteger(resumeAt) || resumeAt < 0 || resumeAt >= maxWaiting) {
    throw new OptionError('resumeAt', `an integer from 0 to ${maxWaiting - 1} (below maxWaiting)`, resumeAt);
  }
  const full = new BehaviorSubject(false);
  let waiting = 0;
  return {
    admit: () =>
      tap(() => {
        waiting++;
        if (waiting >= maxWaiting && !full.value) full.next(true);
      }),
    release: () =>
      tap(() => {
        if (waiting === 0) throw new Error('flowGate: release() saw more items than admit() counted in');
        waiting--;
        if (waiting <= resumeAt && full.value) full.next(false);
      }),
    full: full.asObservable(),
    get waiting() {
      return waiting;
    },
  };
}
