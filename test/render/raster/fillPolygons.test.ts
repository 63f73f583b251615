// The anti-aliased fill: exact horizontal coverage, 16 sub-scanlines, nonzero winding; and strokes as polygons.
import { describe, expect, it } from 'vitest';
import { polygonCoverage, strokePolygons } from '../../../src/render/raster/fillPolygons.js';

function coverage(polygons: Float64Array[], width = 8, height = 8): Float64Array {
  const out = new Float64Array(width * height);
  polygonCoverage(polygons, width, height, (x, y, c) => (out[y * width + x] = c));
  return out;
}

const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
const square = (x: number, y: number, s: number, clockwise = true) =>
  clockwise ? Float64Array.of(x, y, x + s, y, x + s, y + s, x, y + s) : Float64Array.of(x, y, x, y + s, x + s, y + s, x + s, y);

describe('polygonCoverage', () => {
  it('covers a pixel half covered from left to right by 0.5 (exact: coverage along x is analytic)', () => {
    const c = coverage([Float64Array.of(2, 2, 2.5, 2, 2.5, 3, 2, 3)]);
    expect(c[2 * 8 + 2]).toBeCloseTo(0.5, 12);
    expect(sum(c)).toBeCloseTo(0.5, 12);
  });

  it("sums a unit square's coverage to its area 1 wherever it sits (to 1e-12: 16 sub-rows span exactly one pixel)", () => {
    for (const [x, y] of [[1, 1], [1.3, 2.7], [3.55, 0.25]]) expect(sum(coverage([square(x, y, 1)]))).toBeCloseTo(1, 12);
  });

  it('matches the area of a triangle to within 6/16 px² (one sub-scanline step on each of its 6 rows)', () => {
    expect(Math.abs(sum(coverage([Float64Array.of(0, 0, 6, 0, 0, 6)])) - 18)).toBeLessThan(6 / 16);
  });

  it('fills by the nonzero rule: same-direction overlap counts once, an opposite inner contour is a hole', () => {
    const overlap = coverage([square(1, 1, 4), square(3, 3, 4)]);
    expect(overlap[3 * 8 + 3]).toBe(1);
    expect(sum(overlap)).toBeCloseTo(16 + 16 - 4, 9);
    const ring = coverage([square(0, 0, 6), square(2, 2, 2, false)]);
    expect(ring[3 * 8 + 3]).toBe(0);
    expect(sum(ring)).toBeCloseTo(36 - 4, 9);
  });
});

describe('strokePolygons', () => {
  it('makes a 1 px line 4 px long cover 4 × 1 plus its square caps (0.5 px each end)', () => {
    expect(sum(coverage(strokePolygons([2, 4, 6, 4], 1, false)))).toBeCloseTo(5, 9);
  });
});
