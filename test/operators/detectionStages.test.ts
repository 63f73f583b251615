// chooseClasses() and withDetections(): the classes each patch explains, and detections with frame-accurate evidence.
import { from, lastValueFrom, map, Subject, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { frameTimeSec } from '../../src/audio/framing.js';
import { OptionError } from '../../src/errors/index.js';
import { chooseClasses, classChoiceLookahead } from '../../src/operators/chooseClasses.js';
import { patchEvents } from '../../src/operators/patchEvents.js';
import { scorePatches } from '../../src/operators/scorePatches.js';
import { withDetections } from '../../src/operators/withDetections.js';
import { withFrames } from '../../src/operators/withFrames.js';
import type { DetectionEvent, ExplainEvent, PatchAttribution, ScoredPatch } from '../../src/types.js';

const NAMES = ['Speech', 'Siren', 'Dog'];
const FRAMES = 96;
const BANDS = 64;

/** Patch k with scores[c] = tracks[c][k] (logits to match), log-mel all zero. */
function scored(tracks: readonly (readonly number[])[], k: number): ScoredPatch {
  const scores = Float32Array.from(tracks, (track) => track[k]);
  return { index: k, startSec: frameTimeSec(48 * k), startFrame: 48 * k, frames: FRAMES, bands: BANDS, logMel: new Float32Array(FRAMES * BANDS), scores, logits: scores.map((s) => Math.log(s / (1 - s))) };
}

// Siren (class 1) scores 0.9 in patches 2–4 and 0.1 elsewhere; Dog (class 2) reaches only 0.35 (between off and on).
const TRACKS = [
  [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05],
  [0.1, 0.1, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1],
  [0.35, 0.35, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
];
const PATCHES = TRACKS[0].map((_, k) => scored(TRACKS, k));

describe('chooseClasses', () => {
  it('explains the detected classes in the patches their events cover, after the detector lookahead (defaults: 1 patch)', async () => {
    expect(classChoiceLookahead(NAMES.length)).toBe(1);
    const source = new Subject<ScoredPatch>();
    const seen: { index: number; explain: readonly number[] | undefined }[] = [];
    source.pipe(chooseClasses(NAMES)).subscribe((p) => seen.push({ index: p.index, explain: p.explain }));
    source.next(PATCHES[0]);
    expect(seen).toEqual([]); // held: patch 1 could still open a run that merges across it
    source.next(PATCHES[1]);
    expect(seen.map((s) => s.index)).toEqual([0]);
    for (const p of PATCHES.slice(2)) source.next(p);
    source.complete();
    expect(seen.map((s) => s.explain)).toEqual([[], [], [1], [1], [1], [], [], []]);
  });

  it('takes named classes and the top K by score, and checks the choice when it is made', async () => {
    const run = (choice: Parameters<typeof chooseClasses>[1]) => lastValueFrom(from(PATCHES.slice(0, 3)).pipe(chooseClasses(NAMES, choice), map((p) => p.explain), toArray()));
    expect(await run(['Dog', 0])).toEqual([[2, 0], [2, 0], [2, 0]]);
    expect(await run({ topK: 2 })).toEqual([[2, 1], [2, 1], [1, 2]]);
    expect(() => chooseClasses(NAMES, ['Sirne'])).toThrow(OptionError);
    expect(() => chooseClasses(NAMES, 'detected', { onThreshold: 2 })).toThrow(OptionError);
  });
});

/** The attribution record of scored patch `p` explaining class 1 wherever its `explain` says, with positive mass only in frames 120–179. */
function attributed(p: ScoredPatch): PatchAttribution {
  const classes = (p.explain ?? []).map((classIndex) => {
    const attribution = new Float32Array(FRAMES * BANDS);
    for (let row = 0; row < FRAMES; row++) {
      const frame = p.startFrame + row;
      attribution[row * BANDS + 10] = frame >= 120 && frame < 180 ? 1 : -0.5; // negatives never count as evidence
    }
    return { classIndex, score: p.scores[classIndex], logit: p.logits[classIndex], value: p.scores[classIndex], baselineValue: 0, attributionSum: 0, relError: 0, attribution, scale: [] };
  });
  return { ...p, method: 'blur-ig', output: 'score', evaluations: 0, classes };
}

describe('withDetections', () => {
  it('reports an event at its start and, once its frames are final, at its end with the frames that hold 90 % of its positive mass', async () => {
    const events = await lastValueFrom(
      from(PATCHES).pipe(chooseClasses(NAMES), map(attributed), patchEvents(), withFrames(), withDetections(NAMES), toArray()),
    );
    const detections = events.filter((e): e is DetectionEvent => e.kind === 'detection');
    expect(detections.map((d) => d.state)).toEqual(['start', 'end']);
    const end = detections[1].detection;
    // Patches 2–4 span 0.96 s to 2.88 s; the peak is the first 0.9, patch 2, centred at 1.44 s.
    expect(end).toMatchObject({ classIndex: 1, name: 'Siren', startSec: 0.96, endSec: 2.88, peakSec: 1.44 });
    expect(end.peakScore).toBeCloseTo(0.9, 6);
    // Mass 1 per frame in frames 120–179: the shortest run holding 90 % is 54 of those 60 frames, the earliest such.
    expect(end.evidence).toEqual({ startSec: 1.2, endSec: 1.74 });
    // The end comes after every frame of the event's last patch (frames up to 48·4 + 95 = 287).
    const endAt = events.indexOf(detections[1]);
    const lastFrameAt = events.findIndex((e) => e.kind === 'frame' && e.frame.index === 287);
    expect(endAt).toBeGreaterThan(lastFrameAt);
    // The start is certain once patch 2 arrives, before the frames patch 2 makes final (96 onwards).
    expect(events.indexOf(detections[0])).toBeLessThan(events.findIndex((e) => e.kind === 'frame' && e.frame.index === 96));
  });

  it('closes an event still open when the stream ends, and counts dropped patches by their scores', async () => {
    const open = TRACKS.map((track) => [...track.slice(0, 5)]); // siren still at 0.9 in the last patch
    const patches = open[0].map((_, k) => scored(open, k));
    const chosen = await lastValueFrom(from(patches).pipe(chooseClasses(NAMES), toArray()));
    const stream: ExplainEvent[] = chosen.map((p) => (p.index === 3 ? { kind: 'drop', index: 3, startSec: p.startSec, scores: p.scores } : { kind: 'patch', patch: attributed(p) }));
    const out = await lastValueFrom(from(stream).pipe(withDetections(NAMES), toArray()));
    const ends = out.filter((e): e is DetectionEvent => e.kind === 'detection' && e.state === 'end');
    expect(ends.map((e) => [e.detection.name, e.detection.startSec, e.detection.endSec])).toEqual([['Siren', 0.96, 2.88]]);
  });
});

describe('scorePatches', () => {
  const classifier = {
    inputShape: [FRAMES, BANDS] as const,
    calls: [] as number[],
    async logitsOf(_patches: Float32Array, count: number): Promise<Float32Array> {
      this.calls.push(count);
      return Float32Array.from({ length: count * 3 }, (_, i) => i % 3);
    },
  };
  it('scores in batches, the partial last one at the end, and lets a source error wait behind it', async () => {
    classifier.calls.length = 0;
    const source = new Subject<ScoredPatch>();
    const seen: number[] = [];
    const failure = new Promise((resolve) => source.pipe(scorePatches(classifier, { batchSize: 4 })).subscribe({ next: (p) => seen.push(p.index), error: resolve }));
    for (const p of PATCHES.slice(0, 6)) source.next(p);
    source.error(new Error('decode failed'));
    expect(((await failure) as Error).message).toBe('decode failed');
    expect(classifier.calls).toEqual([4, 2]);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('attaches logits and their sigmoid to each patch', async () => {
    const [first] = await lastValueFrom(from(PATCHES.slice(0, 1)).pipe(scorePatches(classifier), toArray()));
    expect(Array.from(first.logits)).toEqual([0, 1, 2]);
    expect(first.scores[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(first.logMel).toBe(PATCHES[0].logMel);
  });
});
