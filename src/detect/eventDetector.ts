// Online, exact event detection over per-patch class scores: hysteresis runs, gap merging, a minimum duration.
import { frameTimeSec } from '../audio/framing.js';
import { ShapeError } from '../errors/index.js';
import { positiveIntegerOption } from '../attribution/validate.js';
import { YAMNET_FRONT_END, type DetectedSpan, type DetectorOptions } from '../types.js';
import { checkDetectorOptions, maxGapPatches, minDurationPatches } from './detectorOptions.js';

/**
 * What the detector has decided: the classes whose final events cover a patch (one per patch, in order), or an
 * event that is certain to be kept (`start`, its span as known then) or can no longer grow (`end`, its final span).
 */
export type DetectorDecision =
  | { readonly kind: 'patch'; readonly index: number; readonly classes: number[] }
  | { readonly kind: 'start'; readonly span: DetectedSpan }
  | { readonly kind: 'end'; readonly span: DetectedSpan };

const NONE = -1;
const { patchHopFrames, patchFrames } = YAMNET_FRONT_END;

/**
 * Detects events of every class in a stream of score vectors, patch by patch, giving exactly the answer of the
 * offline definition (DESIGN.md §6): a run opens at a score ≥ onThreshold and lasts while scores stay ≥
 * offThreshold; runs of a class at most maxGapPatches apart merge into one event (covering the gap); events
 * shorter than minDurationSec are dropped.
 *
 * Why `lookaheadPatches` = n − 1 + g (n = {@link minDurationPatches}, g = {@link maxGapPatches}) is exact: whether
 * patch k is in a run is known when k arrives. If k lies after a run ending at L₀ ≥ k − g, a run that merges across
 * k starts by L₀ + g + 1 ≤ k + g, so by patch k + g we know which event (if any) holds k, and that event starts at
 * F ≤ k. At patch t = k + n − 1 + g that event has either seen g + 1 patches outside runs since its last run patch
 * L (it is final, and its length is known), or L ≥ t − g = k + n − 1 ≥ F + n − 1, so it already spans n patches
 * and is kept whatever follows. It is the least that works: a run of n − 1 patches starting at k followed by g
 * patches outside runs leaves k undecided until the next patch says whether a merging run begins.
 */
export class EventDetector {
  /** Further pushes after which a patch's decision is certain: minDurationPatches − 1 + maxGapPatches. */
  readonly lookaheadPatches: number;
  private readonly classCount: number;
  private readonly onThreshold: number;
  private readonly offThreshold: number;
  private readonly minPatches: number;
  private readonly gapPatches: number;
  /** Patches pushed so far, and the first patch without its decision. */
  private pushed = 0;
  private undecided = 0;
  private finished = false;
  /** Per class: whether the latest patch is in a run. */
  private readonly inRun: Uint8Array;
  /** Per class, the event being built: first patch (NONE when none), last run patch, peak, whether `start` went out. */
  private readonly first: Int32Array;
  private readonly last: Int32Array;
  private readonly peakScore: Float64Array;
  private readonly peak: Int32Array;
  private readonly started: Uint8Array;
  /** Per class, a kept event that can no longer grow but whose last patch is undecided (first = NONE when none). */
  private readonly doneFirst: Int32Array;
  private readonly doneLast: Int32Array;
  private readonly donePeakScore: Float64Array;
  private readonly donePeak: Int32Array;
  private doneCount = 0;

  /** A detector for score vectors of `classCount` classes; throws `OptionError` on bad options. */
  constructor(classCount: number, options?: DetectorOptions) {
    this.classCount = positiveIntegerOption('classCount', classCount, 1);
    const checked = checkDetectorOptions(options);
    this.onThreshold = checked.onThreshold;
    this.offThreshold = checked.offThreshold;
    this.minPatches = minDurationPatches(checked.minDurationSec);
    this.gapPatches = maxGapPatches(checked.maxGapSec);
    this.lookaheadPatches = this.minPatches - 1 + this.gapPatches;
    this.inRun = new Uint8Array(classCount);
    this.first = new Int32Array(classCount).fill(NONE);
    this.last = new Int32Array(classCount);
    this.peakScore = new Float64Array(classCount);
    this.peak = new Int32Array(classCount);
    this.started = new Uint8Array(classCount);
    this.doneFirst = new Int32Array(classCount).fill(NONE);
    this.doneLast = new Int32Array(classCount);
    this.donePeakScore = new Float64Array(classCount);
    this.donePeak = new Int32Array(classCount);
  }

  /** Takes the next patch's scores (all classes) and returns what became certain: starts, patches, then ends. */
  push(scores: Float32Array): DetectorDecision[] {
    if (this.finished) throw new Error('EventDetector.push called after finish()');
    if (scores.length !== this.classCount) throw new ShapeError('scores', [this.classCount], [scores.length]);
    const t = this.pushed++;
    const out: DetectorDecision[] = [];
    for (let c = 0; c < this.classCount; c++) this.step(c, t, scores[c], out);
    if (t - this.undecided >= this.lookaheadPatches) this.decideNext(out);
    return out;
  }

  /** Ends the stream: every open event closes, every remaining patch is decided; returns those decisions. */
  finish(): DetectorDecision[] {
    if (this.finished) throw new Error('EventDetector.finish called twice');
    this.finished = true;
    const out: DetectorDecision[] = [];
    // An event not yet started spans fewer than minPatches patches and can grow no more: dropped.
    for (let c = 0; c < this.classCount; c++) if (this.first[c] !== NONE && !this.started[c]) this.first[c] = NONE;
    while (this.undecided < this.pushed) this.decideNext(out);
    for (let c = 0; c < this.classCount; c++) {
      if (this.doneFirst[c] !== NONE) out.push({ kind: 'end', span: span(c, this.doneFirst[c], this.doneLast[c], this.donePeakScore[c], this.donePeak[c]) });
      if (this.first[c] !== NONE) out.push({ kind: 'end', span: span(c, this.first[c], this.last[c], this.peakScore[c], this.peak[c]) });
    }
    return out;
  }

  /** Class c's state after patch t: extend, merge, open or close its event; a `start` goes to `out` when it is certain. */
  private step(c: number, t: number, score: number, out: DetectorDecision[]): void {
    const inRun = this.inRun[c] ? score >= this.offThreshold : score >= this.onThreshold;
    this.inRun[c] = inRun ? 1 : 0;
    const first = this.first[c];
    if (!inRun) {
      // g + 1 patches outside runs since the last run patch: no run can merge any more.
      if (first !== NONE && t - this.last[c] > this.gapPatches) this.close(c);
      return;
    }
    if (first === NONE) {
      this.first[c] = t;
      this.peakScore[c] = score;
      this.peak[c] = t;
      this.started[c] = 0;
    } else if (score > this.peakScore[c]) {
      this.peakScore[c] = score;
      this.peak[c] = t;
    }
    // Continuing a run or merging across a gap of ≤ g patches (a longer gap closed the event above).
    this.last[c] = t;
    if (!this.started[c] && t - this.first[c] + 1 >= this.minPatches) {
      this.started[c] = 1;
      out.push({ kind: 'start', span: span(c, this.first[c], t, this.peakScore[c], this.peak[c]) });
    }
  }

  /** Class c's event can no longer grow: keep it (until its last patch is decided) if it started, else drop it. */
  private close(c: number): void {
    if (this.started[c]) {
      // At most one such event per class: the next kept one closes after this one's last patch is decided.
      this.doneFirst[c] = this.first[c];
      this.doneLast[c] = this.last[c];
      this.donePeakScore[c] = this.peakScore[c];
      this.donePeak[c] = this.peak[c];
      this.doneCount++;
    }
    this.first[c] = NONE;
  }

  /** Decides the first undecided patch, then ends every closed event whose last patch that was. */
  private decideNext(out: DetectorDecision[]): void {
    const k = this.undecided++;
    const classes: number[] = [];
    for (let c = 0; c < this.classCount; c++) {
      const inDone = this.doneFirst[c] !== NONE && this.doneFirst[c] <= k && k <= this.doneLast[c];
      const inOpen = this.first[c] !== NONE && this.started[c] === 1 && this.first[c] <= k && k <= this.last[c];
      if (inDone || inOpen) classes.push(c);
    }
    out.push({ kind: 'patch', index: k, classes });
    if (this.doneCount === 0 || this.finished) return;
    for (let c = 0; c < this.classCount; c++) {
      if (this.doneFirst[c] === NONE || this.doneLast[c] > k) continue;
      out.push({ kind: 'end', span: span(c, this.doneFirst[c], this.doneLast[c], this.donePeakScore[c], this.donePeak[c]) });
      this.doneFirst[c] = NONE;
      this.doneCount--;
    }
  }
}

/** The span of class c's event over patches first…last with its peak; times exact (frame index × 160 / 16 000). */
function span(classIndex: number, firstPatch: number, lastPatch: number, peakScore: number, peakPatch: number): DetectedSpan {
  return {
    classIndex,
    firstPatch,
    lastPatch,
    startSec: frameTimeSec(firstPatch * patchHopFrames),
    endSec: frameTimeSec(lastPatch * patchHopFrames + patchFrames),
    peakScore,
    peakSec: frameTimeSec(peakPatch * patchHopFrames + patchHopFrames),
  };
}

/** Offline detection: every kept event of `scoreRows` (one score vector per patch), by start time then class. */
export function detectSpans(scoreRows: readonly Float32Array[], options?: DetectorOptions): DetectedSpan[] {
  if (scoreRows.length === 0) {
    checkDetectorOptions(options);
    return [];
  }
  const detector = new EventDetector(scoreRows[0].length, options);
  const spans: DetectedSpan[] = [];
  const collect = (decisions: DetectorDecision[]): void => {
    for (const d of decisions) if (d.kind === 'end') spans.push(d.span);
  };
  for (const row of scoreRows) collect(detector.push(row));
  collect(detector.finish());
  return spans.sort((a, b) => a.startSec - b.startSec || a.classIndex - b.classIndex);
}
