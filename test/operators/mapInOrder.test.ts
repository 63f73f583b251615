// mapInOrder: runs up to `concurrency` calls at once, emits in arrival order whatever finishes first, and loses nothing.
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors/index.js';
import { mapInOrder, type WaitingBound } from '../../src/operators/mapInOrder.js';

/** A call whose outcome the test decides: `resolve(value)` or `reject(error)` later, in any order. */
interface Call {
  readonly value: number;
  readonly signal: AbortSignal;
  resolve(result: string): void;
  reject(error: unknown): void;
}

/** A source Subject piped through mapInOrder over hand-settled calls, and everything the output did. */
function harness(concurrency: number, bound?: WaitingBound<number, string>) {
  const source = new Subject<number>();
  const calls: Call[] = [];
  const out: string[] = [];
  const ended: { error?: unknown; complete?: true } = {};
  const project = (value: number, signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => calls.push({ value, signal, resolve, reject }));
  const subscription = source.pipe(mapInOrder(project, concurrency, bound)).subscribe({
    next: (v) => out.push(v),
    error: (error: unknown) => (ended.error = error),
    complete: () => (ended.complete = true),
  });
  return { source, calls, out, ended, subscription };
}

/** Lets settled promises and mapInOrder's own then() chains run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('mapInOrder', () => {
  it('runs at most `concurrency` calls at once, starting the next as one finishes', async () => {
    const run = harness(2);
    [0, 1, 2, 3].forEach((v) => run.source.next(v));
    await settle();
    expect(run.calls.map((c) => c.value)).toEqual([0, 1]);
    run.calls[1].resolve('b');
    await settle();
    expect(run.calls.map((c) => c.value)).toEqual([0, 1, 2]);
    expect(run.out).toEqual([]); // 1 is done, but 0 is not
  });

  it('emits in arrival order when later calls finish first', async () => {
    const run = harness(3);
    [0, 1, 2].forEach((v) => run.source.next(v));
    run.source.complete();
    await settle();
    run.calls[2].resolve('c');
    run.calls[1].resolve('b');
    await settle();
    expect(run.out).toEqual([]);
    expect(run.ended).toEqual({});
    run.calls[0].resolve('a');
    await settle();
    expect(run.out).toEqual(['a', 'b', 'c']);
    expect(run.ended).toEqual({ complete: true });
  });

  it('a source error waits until every value that arrived is mapped and emitted', async () => {
    const run = harness(1);
    [0, 1].forEach((v) => run.source.next(v));
    run.source.error(new Error('source broke'));
    await settle();
    run.calls[0].resolve('a');
    await settle();
    expect(run.ended).toEqual({});
    run.calls[1].resolve('b');
    await settle();
    expect(run.out).toEqual(['a', 'b']);
    expect((run.ended.error as Error).message).toBe('source broke');
  });

  it('a failed call errors the output after the results before it, and starts nothing after it', async () => {
    const run = harness(2);
    [0, 1, 2].forEach((v) => run.source.next(v));
    await settle();
    run.calls[1].reject(new OptionError('steps', 'a positive integer', 0));
    await settle();
    expect(run.calls).toHaveLength(2); // 2 is not started once 1 has failed
    expect(run.ended).toEqual({});
    run.calls[0].resolve('a');
    await settle();
    expect(run.out).toEqual(['a']);
    expect(run.ended.error).toBeInstanceOf(OptionError);
  });

  it('a call that throws synchronously fails in its place too', async () => {
    const source = new Subject<number>();
    const out: number[] = [];
    let failure: unknown;
    source
      .pipe(mapInOrder((v: number) => (v === 1 ? (() => { throw new Error('sync'); })() : Promise.resolve(v)), 2))
      .subscribe({ next: (v) => out.push(v), error: (e: unknown) => (failure = e) });
    [0, 1, 2].forEach((v) => source.next(v));
    await settle();
    expect(out).toEqual([0]);
    expect((failure as Error).message).toBe('sync');
  });

  it('unsubscribing aborts the calls in flight, starts no more, and discards their results', async () => {
    const run = harness(2);
    [0, 1, 2].forEach((v) => run.source.next(v));
    await settle();
    run.subscription.unsubscribe();
    expect(run.calls.map((c) => c.signal.aborted)).toEqual([true, true]);
    expect(run.source.observed).toBe(false);
    run.calls[0].resolve('a');
    run.calls[1].reject(new Error('aborted'));
    await settle();
    expect(run.calls).toHaveLength(2);
    expect(run.out).toEqual([]);
    expect(run.ended).toEqual({});
  });

  it('with concurrency 1 behaves as concatMap: one call at a time, in order', async () => {
    const run = harness(1);
    [0, 1, 2].forEach((v) => run.source.next(v));
    run.source.complete();
    for (let i = 0; i < 3; i++) {
      await settle();
      expect(run.calls).toHaveLength(i + 1);
      run.calls[i].resolve(String(i));
    }
    await settle();
    expect(run.out).toEqual(['0', '1', '2']);
    expect(run.ended).toEqual({ complete: true });
  });

  it('checks `concurrency` when created', () => {
    expect(() => mapInOrder(async (v: number) => v, 0)).toThrow('Expected the `concurrency` option to be a positive integer, got `0` (number)');
  });

  it('with a waiting bound, drops the oldest value not yet started and reports it at once; the rest stay in order', async () => {
    const run = harness(2, { maxWaiting: 1, dropped: (v) => `drop ${v}` });
    [0, 1, 2, 3, 4].forEach((v) => run.source.next(v)); // 0 and 1 start; 2 waits, then 3 pushes it out, then 4 pushes 3
    run.source.complete();
    await settle();
    expect(run.out).toEqual(['drop 2', 'drop 3']);
    expect(run.calls.map((c) => c.value)).toEqual([0, 1]);
    run.calls[1].resolve('b');
    await settle();
    expect(run.calls.map((c) => c.value)).toEqual([0, 1, 4]);
    run.calls[0].resolve('a');
    run.calls[2].resolve('e');
    await settle();
    expect(run.out).toEqual(['drop 2', 'drop 3', 'a', 'b', 'e']);
    expect(run.ended).toEqual({ complete: true });
  });

  it('refuses a waiting bound below 1', () => {
    expect(() => mapInOrder(async (v: number) => v, 1, { maxWaiting: 0, dropped: (v) => v })).toThrow(OptionError);
  });
});
