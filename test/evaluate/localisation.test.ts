// localise(): inside-share and the pointing game on hand-made attribution streams with known answers.
import { describe, expect, it } from 'vitest';
import { frameTimeSec } from '../../src/audio/framing.js';
import { localise } from '../../src/evaluate/localisation.js';
import type { FrameAttribution } from '../../src/types.js';

/** 300 frames (3 s); class 7's attribution at frame t is `value(t)` in band 0 and −1 in band 1 (negatives never count). */
function frames(value: (t: number) => number, explained: (t: number) => boolean = () => true): FrameAttribution[] {
  return Array.from({ length: 300 }, (_, t) => ({
    index: t,
    timeSec: frameTimeSec(t),
    logMel: new Float32Array(64),
    classes: explained(t) ? [{ classIndex: 7, attribution: Float32Array.from({ length: 64 }, (_, j) => (j === 0 ? value(t) : j === 1 ? -1 : 0)), patches: [], scores: [], relErrors: [] }] : [],
  }));
}

describe('localise', () => {
  it('counts positive mass by frame start: 1 in every frame, span 1.0–2.0 s holds 100 of 300 frames', () => {
    const result = localise(frames(() => 1), 7, [{ startSec: 1, endSec: 2 }]);
    expect(result.insideShare).toBeCloseTo(1 / 3, 12);
  });

  it('points at the frame with the most positive mass, inside or outside the spans', () => {
    const peakAt = (peak: number) => frames((t) => (t === peak ? 5 : 1));
    expect(localise(peakAt(150), 7, [{ startSec: 1, endSec: 2 }])).toMatchObject({ pointingGame: true, peakFrameSec: 1.5 });
    expect(localise(peakAt(250), 7, [{ startSec: 1, endSec: 2 }])).toMatchObject({ pointingGame: false, peakFrameSec: 2.5 });
    // The end of a span is outside it: frame 200 starts at 2.00 s.
    expect(localise(peakAt(200), 7, [{ startSec: 1, endSec: 2 }]).pointingGame).toBe(false);
    // Several spans: any of them.
    expect(localise(peakAt(250), 7, [{ startSec: 0, endSec: 0.5 }, { startSec: 2.4, endSec: 2.6 }]).pointingGame).toBe(true);
  });

  it('treats frames where the class was not explained as zero, and says NaN / false when there is no positive mass', () => {
    const half = localise(frames(() => 1, (t) => t >= 100), 7, [{ startSec: 1, endSec: 2 }]);
    expect(half.insideShare).toBeCloseTo(0.5, 12);
    const none = localise(frames(() => -2), 7, [{ startSec: 1, endSec: 2 }]);
    expect(Number.isNaN(none.insideShare)).toBe(true);
    expect(none.pointingGame).toBe(false);
    expect(Number.isNaN(localise(frames(() => 1), 8, []).insideShare)).toBe(true); // another class: nothing explained
  });
});
