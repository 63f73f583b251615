// spearman(), fractionalRanks() and randomisationCorrelation() against hand-computed values and the textbook formula.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/attribution/random.js';
import { OptionError, ShapeError } from '../../src/errors/index.js';
import { fractionalRanks, randomisationCorrelation, spearman } from '../../src/evaluate/rankCorrelation.js';

/** A seeded random permutation of 0 … n − 1 (Fisher–Yates). */
function permutation(n: number, seed: number): number[] {
  const random = mulberry32(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

describe('fractionalRanks', () => {
  it('ranks ascending from 1, ties sharing the mean of their ranks', () => {
    expect(Array.from(fractionalRanks([10, 20, 20, 30]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(fractionalRanks([3, 1, 2]))).toEqual([3, 1, 2]);
    expect(Array.from(fractionalRanks([5, 5, 5]))).toEqual([2, 2, 2]);
    expect(Array.from(fractionalRanks([0, -0, -1]))).toEqual([2.5, 2.5, 1]); // -0 and 0 tie
  });
});

describe('spearman', () => {
  it('matches hand-computed values without ties: 1 − 6Σd²/(n(n²−1))', () => {
    // d = −1, 1, −1, 1, 0: Σd² = 4, ρ = 1 − 24/120 = 0.8.
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 14);
    expect(spearman([1, 2, 3], [10, 20, 30])).toBe(1);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBe(-1);
    // Only ranks count: a monotone map changes nothing.
    expect(spearman([0.1, 5, -3, 2], [0.1, 5, -3, 2].map(Math.exp))).toBe(1);
  });

  it('equals the textbook formula on 20 seeded permutations of 50 (no ties), to 1e-12', () => {
    const n = 50;
    for (let seed = 0; seed < 20; seed++) {
      const [a, b] = [permutation(n, seed), permutation(n, 1000 + seed)];
      let d2 = 0;
      for (let i = 0; i < n; i++) d2 += (a[i] - b[i]) ** 2; // ranks are the values + 1, so d is the same
      expect(Math.abs(spearman(a, b)! - (1 - (6 * d2) / (n * (n * n - 1))))).toBeLessThan(1e-12);
    }
  });

  it('uses average ranks for ties (hand-computed Pearson of the ranks)', () => {
    // Ranks [1, 2, 3, 4] and [1.5, 1.5, 3.5, 3.5]: deviations (−1.5, −0.5, 0.5, 1.5), (−1, −1, 1, 1); 4 / √(5·4) = 2/√5.
    expect(spearman([1, 2, 3, 4], [1, 1, 2, 2])).toBeCloseTo(2 / Math.sqrt(5), 14);
    // Ranks [1.5, 1.5, 3, 4] and [1, 2.5, 2.5, 4]: covariance sum 3.75, variance sums 4.5 and 4.5: 5/6.
    expect(spearman([1, 1, 2, 3], [1, 2, 2, 3])).toBeCloseTo(5 / 6, 14);
    // The textbook formula is not exact with ties: d = ±0.5, Σd² = 1, 1 − 6/60 = 0.9 ≠ 2/√5 = 0.894.
    expect(spearman([1, 2, 3, 4], [1, 1, 2, 2])).not.toBeCloseTo(0.9, 2);
  });

  it('returns null where ρ is undefined: a constant input or fewer than two entries', () => {
    expect(spearman([1, 2, 3], [0, 0, 0])).toBeNull();
    expect(spearman(new Float32Array(6144), new Float32Array(6144).fill(1))).toBeNull();
    expect(spearman([1], [2])).toBeNull();
    expect(spearman([], [])).toBeNull();
  });

  it('refuses unequal lengths and non-finite entries', () => {
    expect(() => spearman([1, 2, 3], [1, 2])).toThrow(ShapeError);
    expect(() => spearman([1, Number.NaN], [1, 2])).toThrow(/`a` option to be finite numbers only, got `NaN`/);
    expect(() => spearman([1, 2], [1, Infinity])).toThrow(OptionError);
  });
});

describe('randomisationCorrelation', () => {
  it('correlates the original with each randomised attribution, signed and of absolute values, in order', () => {
    const original = [1, -2, 3, -4];
    const result = randomisationCorrelation(original, [original, original.map((v) => -v), [1, 1, 1, 1]]);
    expect(result).toEqual([
      { signed: 1, absolute: 1 },
      { signed: -1, absolute: 1 }, // a sign flip is a perfect anti-correlation but the same importance
      { signed: null, absolute: null },
    ]);
  });
});
