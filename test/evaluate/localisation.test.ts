// localise() and localisePatch(): inside-share and the pointing game on hand-made attributions with known answers.
import { describe, expect, it } from 'vitest';
import { frameTimeSec } from '../../src/audio/framing.js';
import { OptionError, ShapeError } from '../../src/errors/index.js';
import { localise, localisePatch } from '../../src/evaluate/localisation.js';
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

/** A 96-frame × 4-band patch attribution: `value(t)` in band 0 of frame t, −1 in band 1, 0 elsewhere. */
function patchAttribution(value: (t: number) => number): Float32Array {
  return Float32Array.from({ length: 96 * 4 }, (_, i) => (i % 4 === 0 ? value(Math.floor(i / 4)) : i % 4 === 1 ? -1 : 0));
}

describe('localisePatch', () => {
  const patch = { startSec: 0.48, frames: 96, bands: 4 }; // frames 48 … 143 of the clip: 0.48 … 1.43 s

  it('counts positive mass by frame start from the patch start: frames 100 … 143 of 48 … 143 lie in 1–2 s', () => {
    const result = localisePatch(patchAttribution(() => 1), patch, [{ startSec: 1, endSec: 2 }]);
    expect(result.insideShare).toBeCloseTo(44 / 96, 12);
    expect(localisePatch(patchAttribution(() => 1), patch, []).insideShare).toBe(0);
  });

  it('points at the frame with the most positive mass, at its clip time', () => {
    const peakAt = (peak: number) => patchAttribution((t) => (t === peak ? 5 : 1));
    expect(localisePatch(peakAt(60), patch, [{ startSec: 1, endSec: 2 }])).toMatchObject({ pointingGame: true, peakFrameSec: frameTimeSec(108) });
    expect(localisePatch(peakAt(10), patch, [{ startSec: 1, endSec: 2 }])).toMatchObject({ pointingGame: false, peakFrameSec: frameTimeSec(58) });
    // startSec = 11 × 0.48 is 5.279999999999999 in floating point; it still starts at frame 528 exactly.
    expect(localisePatch(peakAt(0), { ...patch, startSec: 11 * 0.48 }, []).peakFrameSec).toBe(frameTimeSec(528));
  });

  it('agrees with localise() on the same attribution laid out as a per-frame stream', () => {
    const attribution = patchAttribution((t) => Math.sin(0.3 * t) + 0.5);
    const stream: FrameAttribution[] = Array.from({ length: 96 }, (_, t) => ({
      index: 48 + t,
      timeSec: frameTimeSec(48 + t),
      logMel: new Float32Array(4),
      classes: [{ classIndex: 7, attribution: attribution.subarray(t * 4, (t + 1) * 4), patches: [1], scores: [0.9], relErrors: [0] }],
    }));
    const spans = [{ startSec: 0.6, endSec: 0.9 }, { startSec: 1.2, endSec: 1.3 }];
    const fromPatch = localisePatch(attribution, patch, spans);
    const fromStream = localise(stream, 7, spans);
    expect(fromPatch.insideShare).toBeCloseTo(fromStream.insideShare, 12);
    expect(fromPatch.pointingGame).toBe(fromStream.pointingGame);
    expect(fromPatch.peakFrameSec).toBe(fromStream.peakFrameSec);
  });

  it('says NaN / false without positive mass, as localise() does, and refuses malformed input', () => {
    const none = localisePatch(patchAttribution(() => -2), patch, [{ startSec: 1, endSec: 2 }]);
    expect(Number.isNaN(none.insideShare)).toBe(true);
    expect(none.pointingGame).toBe(false);
    expect(() => localisePatch(new Float32Array(10), patch, [])).toThrow(ShapeError);
    expect(() => localisePatch(patchAttribution((t) => (t === 3 ? Number.NaN : 1)), patch, [])).toThrow(OptionError);
    expect(() => localisePatch(patchAttribution(() => 1), { ...patch, startSec: -0.48 }, [])).toThrow(/`startSec` option/);
  });
});
