// The discrete scale space (DESIGN.md §3): semigroup, mean kept, exact derivative, limits; and the quadrature rules.
import { describe, expect, it } from 'vitest';
import { gaussLegendre, schedule, SCHEDULE_NAMES } from '../../src/attribution/quadrature.js';
import { axisBasis, blurDerivativeMatrix, blurMatrix, blurPatch, multiply, secondDifference } from '../../src/attribution/scaleSpace.js';
import { seededRandom } from '../helpers/signals.js';

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
const random = seededRandom(5);
const patch = Float64Array.from({ length: 9 * 7 }, () => random() * 10 - 8);

describe.each(['reflect', { constant: -6.9078 }] as const)('scale space, boundary %o', (boundary) => {
  const basis = axisBasis(9, boundary);

  it('is orthonormal: V Vᵀ = I (1e-12)', () => {
    const vt = Float64Array.from({ length: 81 }, (_, i) => basis.vectors[(i % 9) * 9 + Math.floor(i / 9)]);
    const identity = Float64Array.from({ length: 81 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    expect(maxAbs(multiply(basis.vectors, vt, 9, 9, 9), identity)).toBeLessThan(1e-12);
  });

  it('diagonalises the second difference with this boundary: V diag(μ) Vᵀ = D (1e-12)', () => {
    const d = secondDifference(9, boundary);
    const rebuilt = Float64Array.from({ length: 81 }, (_, i) => {
      const [r, c] = [Math.floor(i / 9), i % 9];
      let sum = 0;
      for (let k = 0; k < 9; k++) sum += basis.vectors[r * 9 + k] * basis.eigenvalues[k] * basis.vectors[c * 9 + k];
      return sum;
    });
    expect(maxAbs(rebuilt, d)).toBeLessThan(1e-12);
  });

  it('is a semigroup: E(t1) E(t2) = E(t1 + t2) (1e-12)', () => {
    expect(maxAbs(multiply(blurMatrix(basis, 1.3), blurMatrix(basis, 4.2), 9, 9, 9), blurMatrix(basis, 5.5))).toBeLessThan(1e-12);
  });

  it('has dE/dt equal to a central finite difference (h = 1e-4, 1e-8) and to ½ D E(t) (1e-12)', () => {
    const t = 2.7;
    const h = 1e-4;
    const numeric = blurMatrix(basis, t + h).map((v, i) => (v - blurMatrix(basis, t - h)[i]) / (2 * h));
    expect(maxAbs(blurDerivativeMatrix(basis, t), numeric)).toBeLessThan(1e-8);
    const halfDE = multiply(secondDifference(9, boundary), blurMatrix(basis, t), 9, 9, 9).map((v) => v / 2);
    expect(maxAbs(blurDerivativeMatrix(basis, t), halfDE)).toBeLessThan(1e-12);
  });

  it('tends to the axis mean (reflect) or the boundary value (constant) as t grows', () => {
    const blurred = blurPatch(patch, 9, 7, 1e6, 0, boundary);
    for (let c = 0; c < 7; c++) {
      const column = Array.from({ length: 9 }, (_, r) => patch[r * 7 + c]);
      const expected = boundary === 'reflect' ? column.reduce((a, b) => a + b) / 9 : boundary.constant;
      for (let r = 0; r < 9; r++) expect(blurred[r * 7 + c]).toBeCloseTo(expected, 9);
    }
  });
});

describe('reflecting blur', () => {
  it('keeps the patch mean at every scale (1e-12)', () => {
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y) / a.length;
    for (const [tT, tF] of [[0.5, 0], [0, 3], [10, 20], [400, 400]]) expect(Math.abs(mean(blurPatch(patch, 9, 7, tT, tF, 'reflect')) - mean(patch))).toBeLessThan(1e-12);
  });
  it('is the identity at t = 0', () => {
    expect(maxAbs(blurPatch(patch, 9, 7, 0, 0, 'reflect'), patch)).toBeLessThan(1e-12);
  });
  it('leaves under 1% of the slowest mode at σ = axis length (the default maxSigma)', () => {
    const basis = axisBasis(96, 'reflect');
    expect(Math.exp((96 ** 2 * basis.eigenvalues[1]) / 2)).toBeLessThan(0.01);
  });
});

describe('quadrature rules on [0, 1]', () => {
  it('Gauss–Legendre with n points integrates s^(2n−1) exactly (1e-13)', () => {
    for (const n of [1, 2, 3, 8, 32]) {
      const { points, weights } = gaussLegendre(n);
      let integral = 0;
      points.forEach((s, i) => (integral += weights[i] * s ** (2 * n - 1)));
      expect(integral).toBeCloseTo(1 / (2 * n), 13);
    }
  });
  it.each(SCHEDULE_NAMES)('%s: weights sum to 1 and points lie in [0, 1]', (name) => {
    const rule = schedule(name, 17);
    expect(rule.weights.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(Array.from(rule.points).every((s) => s >= 0 && s <= 1)).toBe(true);
  });
  it('left Riemann is the reference schedule s_i = i / n', () => {
    expect(Array.from(schedule('left-riemann', 4).points)).toEqual([0, 0.25, 0.5, 0.75]);
  });
});
