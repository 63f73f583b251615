// Evidence IoU: how well a class's evidence extent overlaps its labelled spans in time, |P ∩ L| / |P ∪ L| in seconds.
import { evidenceExtent } from '../detect/evidenceExtent.js';
import { OptionError } from '../errors/index.js';
import type { Detection, FrameAttribution } from '../types.js';
import type { TimeSpan } from './localisation.js';

/** The overlap in time of evidence intervals P and labelled spans L (each taken as the union of its intervals). */
export interface IntervalOverlap {
  /** P: the evidence intervals, merged where they overlap or touch, in time order. */
  readonly evidence: readonly TimeSpan[];
  /** |P|, |L|, |P ∩ L| and |P ∪ L|, in seconds. */
  readonly evidenceSec: number;
  readonly labelledSec: number;
  readonly intersectionSec: number;
  readonly unionSec: number;
  /**
   * |P ∩ L| / |P ∪ L| in [0, 1]; 0 when there is evidence but no label (or no overlap). Null when there is no evidence
   * (the counterpart of localise()'s NaN inside-share: no positive attribution), with `skipped` saying so.
   */
  readonly iou: number | null;
  /** Why `iou` is null, or null when it is not. */
  readonly skipped: string | null;
}

/**
 * IoU in time between `evidence` and `labelled`. Overlapping intervals within either list count once. An empty
 * `evidence` gives `iou: null` (see {@link IntervalOverlap.iou}). Throws OptionError for an interval that is not finite or
 * ends before it starts.
 */
export function intervalIou(evidence: readonly TimeSpan[], labelled: readonly TimeSpan[]): IntervalOverlap {
  const [p, l] = [merge(evidence, 'evidence'), merge(labelled, 'labelled')];
  const [evidenceSec, labelledSec] = [length(p), length(l)];
  let intersectionSec = 0;
  // Both lists are sorted and disjoint: one sweep finds every overlap.
  for (let i = 0, j = 0; i < p.length && j < l.length; ) {
    intersectionSec += Math.max(0, Math.min(p[i].endSec, l[j].endSec) - Math.max(p[i].startSec, l[j].startSec));
    if (p[i].endSec < l[j].endSec) i++;
    else j++;
  }
  const unionSec = evidenceSec + labelledSec - intersectionSec;
  const none = evidenceSec === 0;
  return {
    evidence: p,
    evidenceSec,
    labelledSec,
    intersectionSec,
    unionSec,
    iou: none ? null : intersectionSec / unionSec,
    skipped: none ? 'no evidence: the class carries no positive attribution here' : null,
  };
}

/**
 * The evidence extent of class `classIndex` over a whole clip's per-frame stream: {@link evidenceExtent} (the
 * shortest run of 10 ms frames holding `share` of the class's positive mass, Σ over bands of max(0, a)) applied to
 * every frame from the first to the last of `frames`, frames missing from the stream or where the class was not
 * explained counting as zero. It is one interval, so a class heard twice in a clip gets one extent spanning both;
 * use {@link detectionEvidence} for one extent per detected event. Null when there is no positive mass.
 */
export function clipEvidence(frames: readonly FrameAttribution[], classIndex: number, share = 0.9): TimeSpan | null {
  if (frames.length === 0) return null;
  let [first, last] = [Infinity, -Infinity];
  for (const frame of frames) [first, last] = [Math.min(first, frame.index), Math.max(last, frame.index)];
  const mass = new Float64Array(last - first + 1);
  for (const frame of frames) {
    const entry = frame.classes.find((c) => c.classIndex === classIndex);
    if (entry === undefined) continue;
    let positive = 0;
    for (const a of entry.attribution) if (a > 0) positive += a;
    mass[frame.index - first] = positive;
  }
  return evidenceExtent(mass, first, share);
}

/** The evidence extents of the detections of class `classIndex` (those that have one), in the order given. */
export function detectionEvidence(detections: readonly Detection[], classIndex: number): TimeSpan[] {
  return detections.flatMap((d) => (d.classIndex === classIndex && d.evidence !== null ? [d.evidence] : []));
}

/**
 * The evidence IoU of class `classIndex` on one clip: {@link intervalIou} of its {@link clipEvidence} extent against
 * its labelled spans. Null when the class carries no positive attribution in `frames` (where localise() says NaN);
 * 0 when there is evidence but `labelled` is empty or does not overlap it. Use intervalIou for the details.
 */
export function evidenceIou(frames: readonly FrameAttribution[], classIndex: number, labelled: readonly TimeSpan[], share = 0.9): number | null {
  const extent = clipEvidence(frames, classIndex, share);
  return intervalIou(extent === null ? [] : [extent], labelled).iou;
}

/** Sorted, disjoint intervals covering the same time as `spans`. */
function merge(spans: readonly TimeSpan[], name: string): TimeSpan[] {
  spans.forEach((span, i) => {
    if (!Number.isFinite(span?.startSec) || !Number.isFinite(span.endSec) || span.endSec < span.startSec) {
      throw new OptionError(`${name}[${i}]`, 'an interval with finite startSec ≤ endSec', span?.endSec < span?.startSec ? `${span.startSec}–${span.endSec} s` : span);
    }
  });
  const sorted = spans.filter((s) => s.endSec > s.startSec).sort((a, b) => a.startSec - b.startSec);
  const out: TimeSpan[] = [];
  for (const span of sorted) {
    const lastSpan = out.at(-1);
    if (lastSpan !== undefined && span.startSec <= lastSpan.endSec) out[out.length - 1] = { startSec: lastSpan.startSec, endSec: Math.max(lastSpan.endSec, span.endSec) };
    else out.push({ startSec: span.startSec, endSec: span.endSec });
  }
  return out;
}

function length(spans: readonly TimeSpan[]): number {
  return spans.reduce((sum, s) => sum + (s.endSec - s.startSec), 0);
}
