// flowGate: counts items in and out, and says full / drained with hysteresis; values and notifications pass untouched.
import { delay, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors/index.js';
import { flowGate, type FlowGate } from '../../src/operators/flowGate.js';

/** Drives a gate by hand: `admit(n)` and `release(n)` push n items through its taps; `states` records `full`. */
function driven(gate: FlowGate) {
  const entering = new Subject<number>();
  const leaving = new Subject<number>();
  const errors: unknown[] = [];
  entering.pipe(gate.admit()).subscribe();
  leaving.pipe(gate.release()).subscribe({ error: (e: unknown) => errors.push(e) });
  const states: boolean[] = [];
  gate.full.subscribe((full) => states.push(full));
  const times = (n: number, push: (i: number) => void) => Array.from({ length: n }, (_, i) => push(i));
  return {
    admit: (n: number) => times(n, (i) => entering.next(i)),
    release: (n: number) => times(n, (i) => leaving.next(i)),
    states,
    errors,
  };
}

describe('flowGate', () => {
  it('counts items admitted and not yet released', () => {
    const gate = flowGate();
    const run = driven(gate);
    run.admit(3);
    expect(gate.waiting).toBe(3);
    run.release(1);
    expect(gate.waiting).toBe(2);
    run.release(2);
    expect(gate.waiting).toBe(0);
  });

  it('by default says full at 8 waiting and drained at 4 (floor(8 / 2)), once per change', () => {
    const gate = flowGate();
    const run = driven(gate);
    run.admit(7);
    expect(run.states).toEqual([false]);
    run.admit(1); // 8 waiting
    expect(run.states).toEqual([false, true]);
    run.admit(2); // 10: already full, no repeat
    run.release(5); // 5: above the low-water mark, still full
    expect(run.states).toEqual([false, true]);
    run.release(1); // 4
    expect(run.states).toEqual([false, true, false]);
    run.admit(3); // 7: below the high-water mark again
    expect(run.states).toEqual([false, true, false]);
    run.admit(1); // 8
    expect(run.states).toEqual([false, true, false, true]);
  });

  it('takes its own marks; maxWaiting 1 with resumeAt 0 switches at every item', () => {
    const gate = flowGate(1, 0);
    const run = driven(gate);
    run.admit(1);
    run.release(1);
    run.admit(1);
    expect(run.states).toEqual([false, true, false, true]);
    const wide = flowGate(5, 1);
    const wideRun = driven(wide);
    wideRun.admit(5);
    wideRun.release(3); // 2 waiting: not yet at 1
    expect(wideRun.states).toEqual([false, true]);
    wideRun.release(1);
    expect(wideRun.states).toEqual([false, true, false]);
  });

  it('gives a late subscriber the current state', () => {
    const gate = flowGate(2);
    driven(gate).admit(2);
    const seen: boolean[] = [];
    gate.full.subscribe((full) => seen.push(full)).unsubscribe();
    expect(seen).toEqual([true]);
  });

  it('keeps separate counts for separate gates', () => {
    const a = flowGate(2);
    const b = flowGate(2);
    driven(a).admit(2);
    expect([a.waiting, b.waiting]).toEqual([2, 0]);
  });

  it('errors when more items leave than entered (a stage emitting more than one result per item)', () => {
    const run = driven(flowGate());
    run.admit(1);
    run.release(2);
    expect(run.errors).toHaveLength(1);
    expect(String(run.errors[0])).toContain('release() saw more items than admit() counted in');
  });

  it('rejects marks outside their ranges when created', () => {
    expect(() => flowGate(0)).toThrow(OptionError);
    expect(() => flowGate(2.5)).toThrow('Expected the `maxWaiting` option to be a positive integer, got `2.5` (number)');
    expect(() => flowGate(4, 4)).toThrow('Expected the `resumeAt` option to be an integer from 0 to 3 (below maxWaiting), got `4` (number)');
    expect(() => flowGate(4, -1)).toThrow(OptionError);
  });

  it('passes values, completion and errors through admit() and release() unchanged (marbles)', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const gate = flowGate(2, 0);
      // Admitted at frames 0, 2, 4; a stage taking 3 frames releases them at 3, 5, 7. Waiting: 1, 2 (full), 1, 2, 1, 0 (drained).
      const out = cold('a-b-c---|').pipe(gate.admit(), delay(3), gate.release());
      expectObservable(out).toBe('---a-b-c|');
      expectObservable(gate.full).toBe('f-t----f', { f: false, t: true });
      const error = new Error('boom');
      const passing = flowGate();
      expectObservable(cold('a-#', undefined, error).pipe(passing.admit(), passing.release())).toBe('a-#', undefined, error);
    });
  });
});
