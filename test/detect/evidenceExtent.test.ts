// evidenceExtent and positiveFrameMass: the shortest run of frames holding a share of the positive attribution.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/attribution/random.js';
import { OptionError, ShapeError } from '../../src/errors/index.js';
import { evidenceExtent, positiveFrameMass } from '../../src/detect/index.js';

/** Masses of `length` frames, `value` on frames [from, to) and 0 elsewhere, plus any further blocks. */
function blocks(length: number, ...parts: [from: number, to: number, value: number][]): Float64Array {
  const mass = new Float64Array(length);
  for (const [from, to, value] of parts) mass.fill(value, from, to);
  return mass;
}

describe('evidenceExtent', () => {
  it('puts a delta in its one frame', () => {
    // Frame 100 + 2 = 102: 1.02 s to 1.03 s.
    expect(evidenceExtent([0, 0, 5, 0, 0], 100)).toEqual({ startSec: 1.02, endSec: 1.03 });
  });

  it('takes 90 frames of a uniform 100-frame block, the earliest', () => {
    // Block on frames 20…119 of mass 1: 90 % is any 90 consecutive frames of it; the earliest is 20…109.
    expect(evidenceExtent(blocks(150, [20, 120, 1]), 0)).toEqual({ startSec: 0.2, endSec: 1.1 });
    // Offset by the event's first frame, 48 (patch 1): frames 68…157.
    expect(evidenceExtent(blocks(150, [20, 120, 1]), 48)).toEqual({ startSec: 0.68, endSec: 1.58 });
  });

  it('stays in one block when it holds enough, and spans both blocks when it must', () => {
    // 95 + 5: 90 % = 90, inside the first block: frames 0…89.
    expect(evidenceExtent(blocks(205, [0, 95, 1], [200, 205, 1]), 0)).toEqual({ startSec: 0, endSec: 0.9 });
    // 60 + 10 with 80 empty frames between: 90 % = 63 needs a frames of the first and b of the second with a + b = 63;
    // every such window is 143 frames long and holds 63; the earliest takes all 60 of the first (0…59) and 140…142.
    expect(evidenceExtent(blocks(150, [0, 60, 1], [140, 150, 1]), 0)).toEqual({ startSec: 0, endSec: 1.43 });
  });

  it('breaks ties by the larger mass, then the earliest', () => {
    // Total 7, 40 % = 2.8: frames 0 (3) and 3 (4) each suffice alone; frame 3 holds more.
    expect(evidenceExtent([3, 0, 0, 4], 0, 0.4)).toEqual({ startSec: 0.03, endSec: 0.04 });
    // Total 8, 50 % = 4: frames 0 and 2 hold 4 each; the earliest.
    expect(evidenceExtent([4, 0, 4], 0, 0.5)).toEqual({ startSec: 0, endSec: 0.01 });
  });

  it('returns null without positive mass', () => {
    expect(evidenceExtent(new Float64Array(10), 0)).toBeNull();
    expect(evidenceExtent([], 0)).toBeNull();
    expect(evidenceExtent([-1, Number.NaN, 0], 0)).toBeNull();
  });

  it('ignores negative and NaN entries', () => {
    // Positive mass only at frames 2 and 4 (2 each): share 1 spans 2…4; half of it is frame 2 alone (the earliest).
    const mass = [-5, Number.NaN, 2, -1, 2, Number.NaN];
    expect(evidenceExtent(mass, 0, 1)).toEqual({ startSec: 0.02, endSec: 0.05 });
    expect(evidenceExtent(mass, 0, 0.5)).toEqual({ startSec: 0.02, endSec: 0.03 });
  });

  it('with share 1 spans the first to the last frame with positive mass', () => {
    expect(evidenceExtent([0, 0.1, 0, 0, 0.3, 0], 10, 1)).toEqual({ startSec: 0.11, endSec: 0.15 });
  });

  it('does not let float noise add a frame: 90 % of ten frames of 0.1 is nine frames', () => {
    // Σ of ten 0.1 is 0.9999999999999999 and 0.9 × that is not a sum of nine 0.1 exactly.
    expect(evidenceExtent(new Float64Array(10).fill(0.1), 0)).toEqual({ startSec: 0, endSec: 0.09 });
  });

  it('agrees with a brute-force search on random integer masses', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 100; trial++) {
      const mass = Array.from({ length: 1 + Math.floor(random() * 30) }, () => (random() < 0.5 ? 0 : Math.floor(random() * 5)));
      const share = [0.5, 0.75, 0.9, 1][trial % 4];
      const total = mass.reduce((a, b) => a + b, 0);
      let best: [number, number, number] | null = null; // start, end, mass
      for (let i = 0; i < mass.length; i++) {
        for (let j = i, sum = 0; j < mass.length; j++) {
          sum += mass[j];
          if (sum < share * total || total === 0) continue;
          if (!best || j - i < best[1] - best[0] || (j - i === best[1] - best[0] && sum > best[2])) best = [i, j, sum];
          break;
        }
      }
      const expected = best && { startSec: best[0] / 100, endSec: (best[1] + 1) / 100 };
      expect(evidenceExtent(mass, 0, share)).toEqual(expected);
    }
  });

  it('rejects a share outside (0, 1] and a bad first frame', () => {
    for (const share of [0, -0.5, 1.5, Number.NaN]) expect(() => evidenceExtent([1], 0, share)).toThrow(OptionError);
    expect(() => evidenceExtent([1], 0, 0)).toThrow('Expected the `share` option to be a number in (0, 1], got `0` (number)');
    expect(() => evidenceExtent([1], -1)).toThrow(OptionError);
  });
});

describe('positiveFrameMass', () => {
  it('sums the positive attribution of each frame row, NaN as 0', () => {
    // [2 frames × 3 bands]: 1 + 3 = 4, then 0.5.
    expect(positiveFrameMass(Float32Array.from([1, -2, 3, Number.NaN, 0.5, -1]), 2, 3)).toEqual(Float64Array.from([4, 0.5]));
  });

  it('rejects an attribution of the wrong size', () => {
    expect(() => positiveFrameMass(new Float32Array(5), 2, 3)).toThrow(ShapeError);
  });
});
