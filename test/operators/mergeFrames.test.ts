// mergeFrames(): which frames appear and when, what they hold (means over covering patches), and completion, errors and gaps.
import { bufferCount, from, lastValueFrom, map, type Observable, Subject, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { frameTimeSec } from '../../src/audio/framing.js';
import { mergeFrames } from '../../src/operators/mergeFrames.js';
import type { FrameAttribution, PatchAttribution } from '../../src/types.js';

const FRAMES = 96;
const BANDS = 64;

// Hand-made values, exact in float32: class c's attribution at row r, band b of patch k is c·10 000 + k·1000 + r + b/64;
// the log-mel value at row r, band b is the frame index (48k + r) + b/64, so both covering patches agree.
const attributionValue = (c: number, k: number, row: number, band: number) => c * 10_000 + k * 1000 + row + band / 64;
const score = (c: number, k: number) => k / 10 + c / 100;
const relError = (c: number, k: number) => k / 100 + c / 1000;

function patch(k: number, classIndices: readonly number[] = [5]): PatchAttribution {
  const grid = (value: (row: number, band: number) => number) =>
    Float32Array.from({ length: FRAMES * BANDS }, (_, i) => value(Math.floor(i / BANDS), i % BANDS));
  return {
    index: k,
    startSec: frameTimeSec(48 * k),
    startFrame: 48 * k,
    frames: FRAMES,
    bands: BANDS,
    logMel: grid((row, band) => 48 * k + row + band / 64),
    method: 'blur-ig',
    output: 'score',
    scores: new Float32Array(521),
    evaluations: 16,
    classes: classIndices.map((c) => ({
      classIndex: c,
      score: score(c, k),
      logit: 0,
      value: 0,
      baselineValue: 0,
      attributionSum: 0,
      relError: relError(c, k),
      attribution: grid((row, band) => attributionValue(c, k, row, band)),
      scale: [],
    })),
  };
}

const merge = (patches: readonly PatchAttribution[]) => lastValueFrom(from(patches).pipe(mergeFrames(), toArray()));
const bands = (value: (band: number) => number) => Array.from({ length: BANDS }, (_, band) => value(band));

describe('mergeFrames()', () => {
  it.each([
    [1, 96],
    [2, 144],
    [3, 192],
  ])('turns %i patch(es) into %i frames, each once and in order, with their times and log-mel rows', async (n, count) => {
    const frames = await merge(Array.from({ length: n }, (_, k) => patch(k)));
    expect(frames.map((f) => f.index)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(frames.map((f) => f.timeSec)).toEqual(frames.map((f) => frameTimeSec(f.index)));
    for (const f of frames) expect(Array.from(f.logMel)).toEqual(bands((band) => f.index + band / 64));
  });

  it('averages the two covering patches on overlap frames and keeps single-patch frames as they are', async () => {
    const frames = await merge([patch(0), patch(1), patch(2)]);
    // Frame 60: row 60 of patch 0 and row 12 of patch 1.
    const [overlap] = frames[60].classes;
    expect(overlap.classIndex).toBe(5);
    expect(overlap.patches).toEqual([0, 1]);
    expect(overlap.scores).toEqual([score(5, 0), score(5, 1)]);
    expect(overlap.relErrors).toEqual([relError(5, 0), relError(5, 1)]);
    expect(Array.from(overlap.attribution)).toEqual(
      bands((b) => (attributionValue(5, 0, 60, b) + attributionValue(5, 1, 12, b)) / 2),
    );
    // Frame 10 (patch 0 only) and frame 150 (row 54 of patch 2 only, flushed on completion).
    expect(frames[10].classes.map((c) => c.patches)).toEqual([[0]]);
    expect(Array.from(frames[10].classes[0].attribution)).toEqual(bands((b) => attributionValue(5, 0, 10, b)));
    expect(frames[150].classes.map((c) => c.patches)).toEqual([[2]]);
    expect(Array.from(frames[150].classes[0].attribution)).toEqual(bands((b) => attributionValue(5, 2, 54, b)));
    // Every frame in [48, 144) has both covering patches.
    expect(frames.slice(48, 144).every((f) => f.classes[0].patches.length === 2)).toBe(true);
  });

  it('takes the union of the explained classes, in first-seen order, each averaged over the patches that explained it', async () => {
    const frames = await merge([patch(0, [5]), patch(1, [5, 7])]);
    const summary = (f: FrameAttribution) => f.classes.map((c) => [c.classIndex, c.patches, c.scores, c.relErrors]);
    expect(summary(frames[60])).toEqual([
      [5, [0, 1], [score(5, 0), score(5, 1)], [relError(5, 0), relError(5, 1)]],
      [7, [1], [score(7, 1)], [relError(7, 1)]],
    ]);
    expect(Array.from(frames[60].classes[1].attribution)).toEqual(bands((b) => attributionValue(7, 1, 12, b)));
    expect(summary(frames[130]).map(([c, patches]) => [c, patches])).toEqual([
      [5, [1]],
      [7, [1]],
    ]);
    // The earlier patch's classes come first.
    const reordered = await merge([patch(0, [7]), patch(1, [5, 7])]);
    expect(reordered[60].classes.map((c) => [c.classIndex, c.patches])).toEqual([
      [7, [0, 1]],
      [5, [1]],
    ]);
  });

  it('emits frames as soon as they are final: 0 … 47 after patch 0, 48 … 95 after patch 1, the rest on completion', () => {
    const source = new Subject<PatchAttribution>();
    const seen: number[] = [];
    let completed = false;
    source.pipe(mergeFrames()).subscribe({ next: (f) => seen.push(f.index), complete: () => (completed = true) });
    source.next(patch(0));
    expect(seen).toEqual(Array.from({ length: 48 }, (_, i) => i));
    source.next(patch(1));
    expect(seen).toEqual(Array.from({ length: 96 }, (_, i) => i));
    source.complete();
    expect(seen).toEqual(Array.from({ length: 144 }, (_, i) => i));
    expect(completed).toBe(true);
  });

  // Marble lens: frames always come in whole halves of 48, so each half reads as one value, e.g. '48-95'.
  const halves = map((f: FrameAttribution[]) => `${f[0].index}-${f[f.length - 1].index}`);
  const lens = (source: Observable<PatchAttribution>) => source.pipe(mergeFrames(), bufferCount(48), halves);
  const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const values = { a: patch(0), b: patch(1), c: patch(2), d: patch(3) };
  const out = { x: '0-47', y: '48-95', z: '96-143' };

  it('flushes the last patch’s second half when the source completes', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(lens(cold('a-b-|', values))).toBe('x-y-(z|)', out);
    });
  });

  it('forwards a source error after the final frames, without flushing the waiting half', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(lens(cold('a-b-#', values, new Error('boom')))).toBe('x-y-#', out, new Error('boom'));
    });
  });

  it('unsubscribes from the source when the subscriber does', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-|', values);
      expectObservable(lens(source), '^--!').toBe('x-y-', out);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('stops mid-half when the subscriber does, and unsubscribes from the source', () => {
    const source = new Subject<PatchAttribution>();
    const seen: number[] = [];
    const subscription = source.pipe(mergeFrames()).subscribe((f) => {
      seen.push(f.index);
      if (f.index === 9) subscription.unsubscribe();
    });
    source.next(patch(0));
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(source.observed).toBe(false);
  });

  it('skips the frames of dropped patches: a gap flushes the held half, and frames stay in order', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Patches 0 and 2 (1 dropped): 0-47, then 48-95 (patch 0 alone), then 96-143 (patch 2 alone), then 144-191.
      expectObservable(lens(cold('a-c------|', values))).toBe('x-(yz)---(w|)', { ...out, w: '144-191' });
    });
  });

  it('fails on a patch index that goes back rather than merging the wrong patches', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(lens(cold('b-a-|', values))).toBe('x-#', { x: '48-95' }, new Error('mergeFrames(): expected patch 2 or later, got patch 0'));
    });
  });
});
