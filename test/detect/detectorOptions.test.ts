// checkDetectorOptions, minDurationPatches and maxGapPatches: defaults, rejected values, and seconds → patches.
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors/index.js';
import { DETECTOR_DEFAULTS, checkDetectorOptions, maxGapPatches, minDurationPatches } from '../../src/detect/index.js';

describe('checkDetectorOptions', () => {
  it('fills in the defaults', () => {
    expect(checkDetectorOptions()).toEqual(DETECTOR_DEFAULTS);
    expect(checkDetectorOptions({ onThreshold: 0.7 })).toEqual({ ...DETECTOR_DEFAULTS, onThreshold: 0.7 });
  });

  it('accepts equal thresholds and zero durations', () => {
    expect(checkDetectorOptions({ onThreshold: 0.4, offThreshold: 0.4, minDurationSec: 0, maxGapSec: 0 })).toEqual({
      onThreshold: 0.4,
      offThreshold: 0.4,
      minDurationSec: 0,
      maxGapSec: 0,
    });
  });

  it.each([
    ['onThreshold', 0],
    ['onThreshold', 1],
    ['onThreshold', Number.NaN],
    ['onThreshold', '0.5'],
    ['offThreshold', -0.1],
    ['offThreshold', Infinity],
    ['minDurationSec', -1],
    ['minDurationSec', Infinity],
    ['maxGapSec', -0.48],
    ['maxGapSec', Number.NaN],
  ])('rejects %s = %s', (option, value) => {
    const error = (() => {
      try {
        checkDetectorOptions({ [option]: value });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(OptionError);
    expect((error as OptionError).option).toBe(option);
  });

  it('lets the off threshold follow an on threshold set below its default', () => {
    expect(checkDetectorOptions({ onThreshold: 0.1 })).toEqual({ ...DETECTOR_DEFAULTS, onThreshold: 0.1, offThreshold: 0.1 });
  });

  it('says offThreshold must be ≤ onThreshold', () => {
    expect(() => checkDetectorOptions({ onThreshold: 0.5, offThreshold: 0.6 })).toThrow(
      'Expected the `offThreshold` option to be ≤ `onThreshold` (0.5), got `0.6` (number)',
    );
    expect(() => checkDetectorOptions({ onThreshold: 0 })).toThrow('Expected the `onThreshold` option to be a number in (0, 1), got `0` (number)');
  });
});

describe('minDurationPatches', () => {
  // Smallest n ≥ 1 with (n − 1) × 0.48 + 0.96 ≥ minDurationSec.
  it.each([
    [0, 1],
    [0.5, 1],
    [0.96, 1],
    [0.97, 2],
    [1.44, 2], // 1 × 0.48 + 0.96 = 1.44 exactly, despite 1.44 − 0.96 = 0.47999…
    [1.45, 3],
    [1.92, 3],
    [0.96 + 0.48 * 7, 8], // float sum, still 8
    [4.8, 9], // 8 × 0.48 + 0.96 = 4.80
  ])('%s s → %s patches', (sec, patches) => {
    expect(minDurationPatches(sec)).toBe(patches);
  });
});

describe('maxGapPatches', () => {
  // Largest g with g × 0.48 ≤ maxGapSec.
  it.each([
    [0, 0],
    [0.47, 0],
    [0.48, 1],
    [0.95, 1],
    [0.96, 2],
    [1.44, 3],
    [0.48 * 3, 3], // 1.44 in floats
    [0.48 + 0.48 + 0.48 + 0.48 + 0.48, 5],
  ])('%s s → %s patches', (sec, patches) => {
    expect(maxGapPatches(sec)).toBe(patches);
  });
});
