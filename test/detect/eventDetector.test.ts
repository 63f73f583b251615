// EventDetector and detectSpans: hand-computed tracks, the online guarantees, and agreement with an offline reference.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/attribution/random.js';
import { OptionError, ShapeError } from '../../src/errors/index.js';
import { DETECTOR_DEFAULTS, EventDetector, detectSpans, type DetectorDecision } from '../../src/detect/index.js';
import type { DetectedSpan, DetectorOptions } from '../../src/types.js';

/** Score rows (one Float32Array per patch) from per-class tracks: tracks[c][k] is class c's score at patch k. */
function rows(tracks: readonly (readonly number[])[]): Float32Array[] {
  const patches = tracks[0].length;
  return Array.from({ length: patches }, (_, k) => Float32Array.from(tracks, (track) => track[k]));
}

interface Logged {
  readonly decision: DetectorDecision;
  /** The push that returned it (its patch index), or the patch count for finish(). */
  readonly at: number;
}

interface DetectorRun {
  readonly lookahead: number;
  readonly log: readonly Logged[];
  /** Per push (then finish), the array it returned. */
  readonly outputs: readonly DetectorDecision[][];
  readonly spans: DetectedSpan[];
  readonly patchClasses: number[][];
}

/** Pushes every row, finishes, and checks the guarantees every run must meet (see `checkGuarantees`). */
function runDetector(scoreRows: readonly Float32Array[], classCount: number, options?: DetectorOptions): DetectorRun {
  const detector = new EventDetector(classCount, options);
  const outputs = scoreRows.map((row) => detector.push(row));
  outputs.push(detector.finish());
  const log = outputs.flatMap((out, at) => out.map((decision) => ({ decision, at })));
  const spans = log.flatMap(({ decision }) => (decision.kind === 'end' ? [decision.span] : []));
  const patchClasses = log.flatMap(({ decision }) => (decision.kind === 'patch' ? [decision.classes] : []));
  const result = { lookahead: detector.lookaheadPatches, log, outputs, spans, patchClasses };
  checkGuarantees(result, scoreRows);
  return result;
}

const RANK = { start: 0, patch: 1, end: 2 } as const;

function checkGuarantees({ lookahead, log, outputs, spans, patchClasses }: DetectorRun, scoreRows: readonly Float32Array[]): void {
  const patchCount = scoreRows.length;
  // Every patch decided exactly once, in order, no later than push k + lookahead (or at finish when that is past the end).
  const patchAt = new Map<number, number>(); // patch index → position in the log
  const late: number[] = [];
  log.forEach(({ decision, at }, position) => {
    if (decision.kind !== 'patch') return;
    patchAt.set(decision.index, position);
    if (at > Math.min(decision.index + lookahead, patchCount)) late.push(decision.index);
  });
  expect(log.flatMap(({ decision }) => (decision.kind === 'patch' ? [decision.index] : []))).toEqual([...Array(patchCount).keys()]);
  expect(late).toEqual([]);
  // Within one array: starts, patches, ends; starts and ends in class order (then start time).
  const misordered = outputs.filter((out) =>
    out.some((b, i) => {
      const a = out[i - 1];
      if (i === 0) return false;
      if (RANK[a.kind] !== RANK[b.kind]) return RANK[a.kind] > RANK[b.kind];
      if (a.kind === 'patch' || b.kind === 'patch') return false;
      return (a.span.classIndex - b.span.classIndex || a.span.firstPatch - b.span.firstPatch) >= 0;
    }),
  );
  expect(misordered).toEqual([]);
  // Patch decisions: ascending classes, exactly the classes whose final events cover the patch.
  const covering = Array.from({ length: patchCount }, (_, k) =>
    spans.filter((s) => s.firstPatch <= k && k <= s.lastPatch).map((s) => s.classIndex).sort((a, b) => a - b),
  );
  expect(patchClasses).toEqual(covering);
  // Each end has one start, no later than its first patch's decision; each end comes after its last patch's decision.
  const starts = new Map<string, { span: DetectedSpan; at: number; position: number }>();
  log.forEach(({ decision, at }, position) => {
    if (decision.kind === 'start') starts.set(`${decision.span.classIndex}:${decision.span.firstPatch}`, { span: decision.span, at, position });
  });
  expect(starts.size).toBe(spans.length);
  log.forEach(({ decision }, endPosition) => {
    if (decision.kind !== 'end') return;
    const end = decision.span;
    const start = starts.get(`${end.classIndex}:${end.firstPatch}`);
    expect(start).toBeDefined();
    if (!start) return;
    expect(start.position).toBeLessThan(patchAt.get(end.firstPatch) ?? -1);
    expect(endPosition).toBeGreaterThan(patchAt.get(end.lastPatch) ?? Infinity);
    // The start's span is the event as known at its push: through that patch, peak over the patches so far.
    expect(start.span.lastPatch).toBe(start.at);
    expect(start.span.lastPatch).toBeLessThanOrEqual(end.lastPatch);
    expect(start.span.peakScore).toBe(Math.max(...scoreRows.slice(end.firstPatch, start.at + 1).map((row) => row[end.classIndex])));
  });
}

/** Spans by start, then class (detectSpans' order; the detector emits ends as events become final). */
const byStart = (spans: readonly DetectedSpan[]): DetectedSpan[] => [...spans].sort((a, b) => a.startSec - b.startSec || a.classIndex - b.classIndex);
const DECIDE = (index: number, classes: number[]): DetectorDecision => ({ kind: 'patch', index, classes });
const f32 = Math.fround;

describe('EventDetector', () => {
  it('finds a single clean event, decision by decision (defaults: 1 patch minimum, gaps of 1 patch merge, lookahead 1)', () => {
    const scoreRows = rows([[0.1, 0.8, 0.9, 0.7, 0.1, 0.1]]);
    const { lookahead, outputs, spans, patchClasses } = runDetector(scoreRows, 1);
    expect(lookahead).toBe(1); // n − 1 + g = 0 + 1
    // Run 1…3: startSec 1 × 0.48, endSec 3 × 0.48 + 0.96 = 2.40, peak 0.9 at patch 2, centre 2 × 0.48 + 0.48 = 1.44.
    const final = { classIndex: 0, firstPatch: 1, lastPatch: 3, startSec: 0.48, endSec: 2.4, peakScore: f32(0.9), peakSec: 1.44 };
    expect(spans).toEqual([final]);
    expect(patchClasses).toEqual([[], [0], [0], [0], [], []]);
    expect(outputs).toEqual([
      [],
      // Patch 1 opens the run; one patch is already long enough, so it starts at once (as known: 1…1, peak 0.8).
      [{ kind: 'start', span: { ...final, lastPatch: 1, endSec: 1.44, peakScore: f32(0.8), peakSec: 0.96 } }, DECIDE(0, [])],
      [DECIDE(1, [0])],
      [DECIDE(2, [0])],
      // Patch 4 is below off, but a run at patch 5 could still merge (gap 1).
      [DECIDE(3, [0])],
      // Patch 5 is the second patch outside a run: the event is final; its last patch (3) is decided.
      [DECIDE(4, []), { kind: 'end', span: final }],
      [DECIDE(5, [])],
    ]);
  });

  it('applies hysteresis: a dip between the thresholds does not split, a score at only the off threshold never opens', () => {
    // on 0.5, off 0.25 (both exact in float32), no gap merging, so only hysteresis can join patches.
    const options = { onThreshold: 0.5, offThreshold: 0.25, maxGapSec: 0 };
    const scoreRows = rows([
      [0.1, 0.6, 0.4, 0.25, 0.7, 0.2, 0.1], // 0.4 and 0.25 (= off) keep the run 1…4 going; 0.2 < off ends it
      [0.25, 0.25, 0.45, 0.3, 0.1, 0.1, 0.1], // never reaches on: no event
      [0.1, 0.5, 0.2, 0.5, 0.1, 0.1, 0.1], // 0.5 (= on) opens; the dip to 0.2 < off splits: patches 1 and 3
    ]);
    const { spans, patchClasses } = runDetector(scoreRows, 3, options);
    expect(byStart(spans).map((s) => [s.classIndex, s.firstPatch, s.lastPatch])).toEqual([
      [0, 1, 4],
      [2, 1, 1],
      [2, 3, 3],
    ]);
    expect(patchClasses).toEqual([[], [0, 2], [0], [0, 2], [0], [], []]);
  });

  it('drops a run shorter than the minimum duration and keeps one exactly at it', () => {
    // minDurationSec 1.44 = (2 − 1) × 0.48 + 0.96: two patches needed; no merging; lookahead 1 + 0.
    const scoreRows = rows([
      [0.9, 0.1, 0.1, 0.1], // one patch: 0.96 s < 1.44 s, dropped
      [0.1, 0.9, 0.9, 0.1], // two patches 1…2: 1.44 s, kept; endSec 2 × 0.48 + 0.96 = 1.92
    ]);
    const { lookahead, spans, patchClasses } = runDetector(scoreRows, 2, { minDurationSec: 1.44, maxGapSec: 0 });
    expect(lookahead).toBe(1);
    expect(spans).toEqual([{ classIndex: 1, firstPatch: 1, lastPatch: 2, startSec: 0.48, endSec: 1.92, peakScore: f32(0.9), peakSec: 0.96 }]);
    expect(patchClasses).toEqual([[], [1], [1], []]);
  });

  it('merges runs across a gap of exactly maxGapPatches, covering the gap, but not across one more', () => {
    // maxGapSec 0.96: gaps of up to 2 patches merge.
    const scoreRows = rows([
      [0.9, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1, 0.1], // runs 0 and 3, 2 patches between: one event 0…3
      [0.9, 0.1, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1], // runs 0 and 4, 3 patches between: two events
    ]);
    const { lookahead, spans, patchClasses } = runDetector(scoreRows, 2, { maxGapSec: 0.96 });
    expect(lookahead).toBe(2);
    expect(byStart(spans).map((s) => [s.classIndex, s.firstPatch, s.lastPatch, s.startSec, s.endSec])).toEqual([
      [0, 0, 3, 0, 2.4], // 3 × 0.48 + 0.96
      [1, 0, 0, 0, 0.96],
      [1, 4, 4, 1.92, 2.88], // 4 × 0.48, 4 × 0.48 + 0.96
    ]);
    expect(patchClasses).toEqual([[0, 1], [0], [0], [0], [1], [], [], []]);
  });

  it('keeps two runs each too short alone when their merge is long enough', () => {
    // minDurationSec 1.92 needs 3 patches; maxGapSec 0.48 merges across 1 patch; lookahead 3 − 1 + 1 = 3.
    const scoreRows = rows([
      [0.1, 0.9, 0.1, 0.9, 0.1, 0.1, 0.1], // runs 1 and 3 merge into 1…3: 2 × 0.48 + 0.96 = 1.92 s, kept
      [0.9, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1], // runs 0 and 3, 2 patches apart: no merge, both 0.96 s, dropped
    ]);
    const { lookahead, log, spans, patchClasses } = runDetector(scoreRows, 2, { minDurationSec: 1.92, maxGapSec: 0.48 });
    expect(lookahead).toBe(3);
    expect(spans).toEqual([{ classIndex: 0, firstPatch: 1, lastPatch: 3, startSec: 0.48, endSec: 2.4, peakScore: f32(0.9), peakSec: 0.96 }]);
    expect(patchClasses).toEqual([[], [0], [0], [0], [], [], []]);
    // Certain once patch 3 arrives (1…3 spans 3 patches): the start comes with push 3, before patch 1's decision (push 4).
    expect(log.find(({ decision }) => decision.kind === 'start')?.at).toBe(3);
  });

  it('closes an event still open at the end of the stream, its lastPatch the last run patch', () => {
    const scoreRows = rows([
      [0.1, 0.9, 0.8, 0.6], // open through the last patch: 1…3, endSec 3 × 0.48 + 0.96 = 2.40
      [0.9, 0.9, 0.1, 0.1], // the run 0…1 is final at push 3 (two patches outside a run), before the end
      [0.1, 0.9, 0.9, 0.1], // the run 1…2 could still merge at patch 4, but the stream ends: lastPatch 2, not the gap patch 3
    ]);
    const { outputs, spans, patchClasses } = runDetector(scoreRows, 3);
    expect(spans.map((s) => [s.classIndex, s.firstPatch, s.lastPatch, s.endSec])).toEqual([
      [1, 0, 1, 1.44], // 1 × 0.48 + 0.96
      [0, 1, 3, 2.4], // closed by finish
      [2, 1, 2, 1.92], // closed by finish
    ]);
    expect(outputs.at(-1)?.filter((d) => d.kind === 'end').map((d) => (d.kind === 'end' ? d.span.classIndex : -1))).toEqual([0, 2]);
    expect(patchClasses).toEqual([[1], [0, 1, 2], [0, 2], [0]]);
  });

  it('follows several classes at once, starts and ends in class order', () => {
    // Defaults. Classes 0 and 2 rise together at patch 1; class 1 spans 2…5 and dips to 0.4 (≥ off) at 4.
    const scoreRows = rows([
      [0.1, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1],
      [0.1, 0.1, 0.6, 0.7, 0.4, 0.8, 0.1, 0.1],
      [0.1, 0.7, 0.95, 0.1, 0.1, 0.1, 0.1, 0.1],
      [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2],
    ]);
    const { outputs, patchClasses } = runDetector(scoreRows, 4);
    expect(outputs[1].filter((d) => d.kind === 'start').map((d) => (d.kind === 'start' ? d.span.classIndex : -1))).toEqual([0, 2]);
    // Classes 0 and 2 end at patch 2 and become final at push 4 (patches 3 and 4 outside runs).
    expect(outputs[4].filter((d) => d.kind === 'end').map((d) => (d.kind === 'end' ? d.span.classIndex : -1))).toEqual([0, 2]);
    expect(patchClasses).toEqual([[], [0, 2], [0, 1, 2], [1], [1], [1], [], []]);
    expect(detectSpans(scoreRows)).toEqual([
      // Sorted by start then class. Class 2's peak 0.95 at patch 2: centre 2 × 0.48 + 0.48 = 1.44.
      { classIndex: 0, firstPatch: 1, lastPatch: 2, startSec: 0.48, endSec: 1.92, peakScore: f32(0.9), peakSec: 0.96 },
      { classIndex: 2, firstPatch: 1, lastPatch: 2, startSec: 0.48, endSec: 1.92, peakScore: f32(0.95), peakSec: 1.44 },
      { classIndex: 1, firstPatch: 2, lastPatch: 5, startSec: 0.96, endSec: 3.36, peakScore: f32(0.8), peakSec: 2.88 },
    ]);
  });

  it('reports the peak score and the centre of its patch, the earliest on ties', () => {
    // Peak 0.9 at patches 1 and 3: the earliest, patch 1, centre 1 × 0.48 + 0.48 = 0.96.
    const [span] = detectSpans(rows([[0.6, 0.9, 0.75, 0.9, 0.5]]));
    expect(span).toMatchObject({ firstPatch: 0, lastPatch: 4, peakScore: f32(0.9), peakSec: 0.96 });
  });

  it('uses times without float noise: patch 7 starts at 3.36 s', () => {
    const track = [...Array(7).fill(0), 0.9, 0, 0, 0];
    expect(detectSpans(rows([track]))[0]).toMatchObject({ startSec: 3.36, endSec: 4.32, peakSec: 3.84 });
  });

  it('needs its full lookahead: two streams equal through patch k + lookahead − 1 decide patch k differently', () => {
    // 3 patches needed, gaps of 1 merge (lookahead 3). Run 0…1, one patch out, then a run at 3 (merge: 0…3 kept) or not.
    const options = { minDurationSec: 1.92, maxGapSec: 0.48 };
    const kept = runDetector(rows([[0.9, 0.9, 0.1, 0.9]]), 1, options);
    const dropped = runDetector(rows([[0.9, 0.9, 0.1, 0.1]]), 1, options);
    expect(kept.lookahead).toBe(3);
    expect(kept.patchClasses[0]).toEqual([0]);
    expect(dropped.patchClasses[0]).toEqual([]);
  });

  it('has lookahead minDurationPatches − 1 + maxGapPatches', () => {
    expect(new EventDetector(1, { minDurationSec: 0, maxGapSec: 0 }).lookaheadPatches).toBe(0);
    expect(new EventDetector(1, { minDurationSec: 2.9, maxGapSec: 0.5 }).lookaheadPatches).toBe(5 + 1); // n = 6, g = 1
  });

  it('rejects wrong shapes, bad options and use after finish', () => {
    const detector = new EventDetector(3);
    expect(() => detector.push(new Float32Array(2))).toThrow(ShapeError);
    expect(() => detector.push(new Float32Array(2))).toThrow('Expected scores shape [3], got [2]');
    expect(() => new EventDetector(3, { offThreshold: 0.9 })).toThrow(OptionError);
    expect(() => new EventDetector(0)).toThrow(OptionError);
    detector.push(new Float32Array(3));
    expect(detector.finish()).toEqual([DECIDE(0, [])]);
    expect(() => detector.push(new Float32Array(3))).toThrow(Error);
    expect(() => detector.finish()).toThrow(Error);
  });

  it('detects nothing in an empty stream', () => {
    expect(new EventDetector(2).finish()).toEqual([]);
    expect(detectSpans([])).toEqual([]);
    expect(() => detectSpans([], { onThreshold: 2 })).toThrow(OptionError);
  });
});

/** The offline definition, written plainly from seconds: runs, merges, the duration test, spans. */
function reference(scoreRows: readonly Float32Array[], classCount: number, options: DetectorOptions): { spans: DetectedSpan[]; patchClasses: number[][] } {
  // Defaults as the options document them (the off threshold follows a lower on threshold down).
  const on = options.onThreshold ?? DETECTOR_DEFAULTS.onThreshold;
  const off = options.offThreshold ?? Math.min(DETECTOR_DEFAULTS.offThreshold, on);
  const minDurationSec = options.minDurationSec ?? DETECTOR_DEFAULTS.minDurationSec;
  const maxGapSec = options.maxGapSec ?? DETECTOR_DEFAULTS.maxGapSec;
  const spans: DetectedSpan[] = [];
  for (let c = 0; c < classCount; c++) {
    const runs: [number, number][] = [];
    let open = false;
    for (let k = 0; k < scoreRows.length; k++) {
      const s = scoreRows[k][c];
      const inRun: boolean = open ? s >= off : s >= on;
      if (inRun && open) runs[runs.length - 1][1] = k;
      else if (inRun) runs.push([k, k]);
      open = inRun;
    }
    const events: [number, number][] = [];
    for (const run of runs) {
      const previous = events.at(-1);
      if (previous && (run[0] - previous[1] - 1) * 0.48 <= maxGapSec + 1e-9) previous[1] = run[1];
      else events.push([...run]);
    }
    for (const [first, last] of events) {
      if ((last - first) * 0.48 + 0.96 < minDurationSec - 1e-9) continue;
      let peak = first;
      for (let k = first; k <= last; k++) if (scoreRows[k][c] > scoreRows[peak][c]) peak = k;
      const sec = (hundredths: number): number => hundredths / 100;
      spans.push({
        classIndex: c,
        firstPatch: first,
        lastPatch: last,
        startSec: sec(first * 48),
        endSec: sec(last * 48 + 96),
        peakScore: scoreRows[peak][c],
        peakSec: sec(peak * 48 + 48),
      });
    }
  }
  spans.sort((a, b) => a.startSec - b.startSec || a.classIndex - b.classIndex);
  const patchClasses = scoreRows.map((_, k) => spans.filter((s) => s.firstPatch <= k && k <= s.lastPatch).map((s) => s.classIndex).sort((a, b) => a - b));
  return { spans, patchClasses };
}

describe('EventDetector against the offline reference', () => {
  const optionSets: DetectorOptions[] = [
    {},
    { onThreshold: 0.6, offThreshold: 0.6, minDurationSec: 0, maxGapSec: 0 },
    { onThreshold: 0.5, offThreshold: 0.25, minDurationSec: 1.44, maxGapSec: 0.96 },
    { onThreshold: 0.7, offThreshold: 0.2, minDurationSec: 2.9, maxGapSec: 0.5 },
    { onThreshold: 0.5, offThreshold: 0.3, minDurationSec: 1.0, maxGapSec: 1.44 },
  ];
  // Scores drawn from values at and around the thresholds, so ties with them occur often, and some uniform ones.
  const pool = [0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9, 1];

  it('gives the same spans and per-patch classes on 200 random tracks under every option set', () => {
    const random = mulberry32(20_260_101);
    for (let track = 0; track < 200; track++) {
      const classCount = 1 + Math.floor(random() * 4);
      const patchCount = Math.floor(random() * 60);
      const stickiness = random(); // how often a class keeps its previous score, to make runs and gaps
      const tracks = Array.from({ length: classCount }, () => {
        const values: number[] = [];
        for (let k = 0; k < patchCount; k++) {
          if (k > 0 && random() < stickiness) values.push(values[k - 1]);
          else values.push(random() < 0.7 ? pool[Math.floor(random() * pool.length)] : random());
        }
        return values;
      });
      const scoreRows = patchCount === 0 ? [] : rows(tracks);
      for (const options of optionSets) {
        const expected = reference(scoreRows, classCount, options);
        const got = runDetector(scoreRows, classCount, options);
        expect(got.patchClasses).toEqual(expected.patchClasses);
        expect(detectSpans(scoreRows, options)).toEqual(patchCount === 0 ? [] : expected.spans);
      }
    }
  });
});
