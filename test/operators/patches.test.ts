// patches(): when patches appear, what they hold, and how completion, errors and gaps pass through.
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { patches } from '../../src/operators/patches.js';
import type { MelFrame, Patch } from '../../src/types.js';

const frame = (index: number): MelFrame => ({ index, timeSec: index / 100, logMel: new Float32Array(64).fill(index) });

describe('patches()', () => {
  it('emits patch k exactly when frame 48k + 95 arrives, holding frames 48k … 48k + 95 in order', () => {
    const source = new Subject<MelFrame>();
    const seen: Patch[] = [];
    const emittedAfter: number[] = [];
    source.pipe(patches()).subscribe((p) => seen.push(p));
    for (let i = 0; i < 200; i++) {
      const before = seen.length;
      source.next(frame(i));
      if (seen.length > before) emittedAfter.push(i);
    }
    expect(emittedAfter).toEqual([95, 143, 191]);
    expect(seen.map((p) => [p.index, p.startFrame, p.startSec])).toEqual([
      [0, 0, 0],
      [1, 48, 0.48],
      [2, 96, 0.96],
    ]);
    const rowStarts = Array.from({ length: 96 }, (_, row) => seen[1].logMel[row * 64]);
    expect(rowStarts).toEqual(Array.from({ length: 96 }, (_, row) => 48 + row));
  });

  const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const values = { a: frame(0), b: frame(1), c: frame(3) };

  it('completes with the source, flushing no partial patch', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a-b-|', values).pipe(patches())).toBe('----|');
    });
  });

  it('forwards a source error', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a-#', values, new Error('boom')).pipe(patches())).toBe('--#', undefined, new Error('boom'));
    });
  });

  it('fails on a gap in frame indices rather than building a wrong patch', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a-b-c-|', values).pipe(patches())).toBe(
        '----#',
        undefined,
        new Error('patches(): expected frame 2, got frame 3'),
      );
    });
  });

  it('unsubscribes from the source when the subscriber does', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-|', values);
      expectObservable(source.pipe(patches()), '^-!').toBe('---');
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });
});
