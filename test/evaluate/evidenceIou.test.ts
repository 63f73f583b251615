// Evidence IoU: intervalIou() by hand, and clipEvidence() / evidenceIou() on hand-made per-frame streams with known mass.
import { describe, expect, it } from 'vitest';
import { frameTimeSec } from '../../src/audio/framing.js';
import { OptionError } from '../../src/errors/index.js';
import { clipEvidence, detectionEvidence, evidenceIou, intervalIou } from '../../src/evaluate/evidenceIou.js';
import type { Detection, FrameAttribution } from '../../src/types.js';

/**
 * Frames `first` … `first + count − 1` (minus those `present` rejects); class 7's attribution at frame t is `value(t)`
 * in band 0 and −1 in band 1 (negatives never count).
 */
function frames(value: (t: number) => number, options: { first?: number; count?: number; present?: (t: number) => boolean } = {}): FrameAttribution[] {
  const { first = 0, count = 300, present = () => true } = options;
  return Array.from({ length: count }, (_, i) => first + i)
    .filter(present)
    .map((t) => ({
      index: t,
      timeSec: frameTimeSec(t),
      logMel: new Float32Array(64),
      classes: [{ classIndex: 7, attribution: Float32Array.from({ length: 64 }, (_, j) => (j === 0 ? value(t) : j === 1 ? -1 : 0)), patches: [], scores: [], relErrors: [] }],
    }));
}

/** Mass 1 in frames 100 … 199 (1.00–2.00 s), nothing elsewhere. */
const oneSecond = frames((t) => (t >= 100 && t < 200 ? 1 : 0));

describe('intervalIou', () => {
  it('is |P ∩ L| / |P ∪ L| over the unions of the intervals (by hand)', () => {
    // P = [0, 1] ∪ [2, 3], L = [0.5, 2.5]: |P| = 2, |L| = 2, ∩ = 0.5 + 0.5 = 1, ∪ = 3.
    const result = intervalIou([{ startSec: 2, endSec: 3 }, { startSec: 0, endSec: 1 }], [{ startSec: 0.5, endSec: 2.5 }]);
    expect(result).toMatchObject({ evidenceSec: 2, labelledSec: 2, intersectionSec: 1, unionSec: 3, skipped: null });
    expect(result.iou).toBeCloseTo(1 / 3, 14);
    expect(result.evidence).toEqual([{ startSec: 0, endSec: 1 }, { startSec: 2, endSec: 3 }]); // sorted
    // Overlapping or touching intervals count once: L = [1, 1.6] ∪ [1.4, 2] ∪ [2, 2] is [1, 2].
    const merged = intervalIou([{ startSec: 1, endSec: 2 }], [{ startSec: 1, endSec: 1.6 }, { startSec: 1.4, endSec: 2 }, { startSec: 2, endSec: 2 }]);
    expect(merged).toMatchObject({ labelledSec: 1, iou: 1 });
    expect(intervalIou([{ startSec: 0, endSec: 1 }, { startSec: 1, endSec: 2 }], []).evidence).toEqual([{ startSec: 0, endSec: 2 }]);
  });

  it('is 0 for evidence without labels or overlap, and null (with a reason) without evidence', () => {
    expect(intervalIou([{ startSec: 0, endSec: 1 }], []).iou).toBe(0);
    expect(intervalIou([{ startSec: 0, endSec: 1 }], [{ startSec: 1, endSec: 2 }]).iou).toBe(0);
    const none = intervalIou([], [{ startSec: 1, endSec: 2 }]);
    expect(none.iou).toBeNull();
    expect(none.skipped).toMatch(/no evidence/);
    expect(intervalIou([{ startSec: 1, endSec: 1 }], []).iou).toBeNull(); // zero length is no evidence
  });

  it('refuses intervals that are not finite or end before they start', () => {
    expect(() => intervalIou([{ startSec: 2, endSec: 1 }], [])).toThrow(/`evidence\[0\]` option to be an interval with finite startSec ≤ endSec, got `2–1 s`/);
    expect(() => intervalIou([], [{ startSec: 0, endSec: 1 }, { startSec: Number.NaN, endSec: 1 }])).toThrow(OptionError);
  });
});

describe('clipEvidence and evidenceIou on per-frame streams', () => {
  it('finds the shortest run holding 90 % of the mass: frames 100–189, IoU 0.9 with the 1–2 s span', () => {
    const extent = clipEvidence(oneSecond, 7)!;
    // Every 90-frame window inside 100–199 holds exactly 90 %; the earliest wins.
    expect(extent.startSec).toBeCloseTo(1.0, 12);
    expect(extent.endSec).toBeCloseTo(1.9, 12);
    expect(evidenceIou(oneSecond, 7, [{ startSec: 1, endSec: 2 }])).toBeCloseTo(0.9, 12);
  });

  it('with share 1 the extent is the positive mass itself: IoU 1 with its span, 1/3 with a span shifted by half', () => {
    expect(evidenceIou(oneSecond, 7, [{ startSec: 1, endSec: 2 }], 1)).toBeCloseTo(1, 12);
    // [1, 2] against [1.5, 2.5]: ∩ 0.5, ∪ 1.5.
    expect(evidenceIou(oneSecond, 7, [{ startSec: 1.5, endSec: 2.5 }], 1)).toBeCloseTo(1 / 3, 12);
    expect(evidenceIou(oneSecond, 7, [], 1)).toBe(0);
  });

  it('counts frames missing from the stream as zero and keeps absolute frame times', () => {
    // Frames 50 … 349, frames 200–209 missing; mass 2 in frames 150 … 249 except the missing ones.
    const stream = frames((t) => (t >= 150 && t < 250 ? 2 : 0), { first: 50, present: (t) => t < 200 || t >= 210 });
    const extent = clipEvidence(stream, 7, 1)!;
    expect(extent.startSec).toBeCloseTo(1.5, 12);
    expect(extent.endSec).toBeCloseTo(2.5, 12);
    // 90 frames carry mass (150–199, 210–249); 90 % is 81 of them. 150 … 240 and 159 … 249 both span 91 frames (the
    // 10 missing ones included) and hold 81 frames' mass; the earliest wins: 1.50–2.41 s.
    const ninety = clipEvidence(stream, 7)!;
    expect(ninety.startSec).toBeCloseTo(1.5, 12);
    expect(ninety.endSec).toBeCloseTo(2.41, 12);
  });

  it('is null without positive mass: negative attribution only, another class, or no frames (no NaN)', () => {
    const negative = frames(() => -2);
    expect(clipEvidence(negative, 7)).toBeNull();
    expect(evidenceIou(negative, 7, [{ startSec: 1, endSec: 2 }])).toBeNull();
    expect(evidenceIou(oneSecond, 8, [{ startSec: 1, endSec: 2 }])).toBeNull();
    expect(evidenceIou([], 7, [{ startSec: 1, endSec: 2 }])).toBeNull();
  });
});

describe('detectionEvidence', () => {
  it("takes the class's detections that have evidence, in order, for one interval per event", () => {
    const detection = (classIndex: number, evidence: Detection['evidence']): Detection => ({ classIndex, name: `c${classIndex}`, startSec: 0, endSec: 10, peakScore: 0.9, peakSec: 1, evidence });
    const evidence = detectionEvidence(
      [detection(7, { startSec: 1, endSec: 2 }), detection(8, { startSec: 3, endSec: 4 }), detection(7, null), detection(7, { startSec: 5, endSec: 6 })],
      7,
    );
    expect(evidence).toEqual([{ startSec: 1, endSec: 2 }, { startSec: 5, endSec: 6 }]);
    // Two events against spans [1, 2] and [5, 7]: ∩ = 2, ∪ = 3.
    expect(intervalIou(evidence, [{ startSec: 1, endSec: 2 }, { startSec: 5, endSec: 7 }]).iou).toBeCloseTo(2 / 3, 14);
  });
});
