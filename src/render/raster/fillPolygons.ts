// Anti-aliased polygon fill by the nonzero winding rule: 16 sub-scanlines per pixel, exact coverage along each one.
import type { Rgb } from '../canvas.js';
import type { Canvas } from '../canvas.js';

/** Sub-scanlines per pixel row: 16 levels of vertical coverage; horizontal coverage is exact. */
export const SUBSAMPLES = 16;

/**
 * Coverage (0…1) of each pixel by the polygons (flat [x0, y0, x1, y1, …] in pixels, y down, each implicitly
 * closed), reported once per covered pixel as `visit(x, y, coverage)`. Regions the polygons wind around a nonzero
 * number of times are inside, so overlapping glyph contours drawn in the same direction do not cancel.
 */
export function polygonCoverage(polygons: readonly Float64Array[], width: number, height: number, visit: (x: number, y: number, coverage: number) => void): void {
  const edges: number[] = []; // x0, y0, x1, y1, direction per edge, with y0 < y1
  let [top, bottom] = [Infinity, -Infinity];
  for (const poly of polygons) {
    const n = poly.length / 2;
    for (let i = 0; i < n; i++) {
      const [ax, ay, bx, by] = [poly[2 * i], poly[2 * i + 1], poly[(2 * i + 2) % poly.length], poly[(2 * i + 3) % poly.length]];
      if (ay === by) continue; // horizontal edges cross no scanline
      edges.push(...(ay < by ? [ax, ay, bx, by, 1] : [bx, by, ax, ay, -1]));
      top = Math.min(top, ay, by);
      bottom = Math.max(bottom, ay, by);
    }
  }
  if (edges.length === 0) return;
  const rowCoverage = new Float64Array(width + 1);
  const crossings: { x: number; dir: number }[] = [];
  const y0 = Math.max(0, Math.floor(top));
  const y1 = Math.min(height, Math.ceil(bottom));
  for (let py = y0; py < y1; py++) {
    let [minX, maxX] = [width, -1];
    for (let s = 0; s < SUBSAMPLES; s++) {
      const y = py + (s + 0.5) / SUBSAMPLES;
      crossings.length = 0;
      for (let e = 0; e < edges.length; e += 5) {
        if (y < edges[e + 1] || y >= edges[e + 3]) continue;
        const t = (y - edges[e + 1]) / (edges[e + 3] - edges[e + 1]);
        crossings.push({ x: edges[e] + t * (edges[e + 2] - edges[e]), dir: edges[e + 4] });
      }
      crossings.sort((a, b) => a.x - b.x);
      let winding = 0;
      for (let k = 0; k < crossings.length - 1; k++) {
        winding += crossings[k].dir;
        if (winding === 0) continue;
        const [xa, xb] = [Math.max(0, crossings[k].x), Math.min(width, crossings[k + 1].x)];
        if (xb <= xa) continue;
        // The span [xa, xb) covers whole pixels in its middle and parts of the pixels at its ends.
        for (let px = Math.floor(xa); px < xb; px++) rowCoverage[px] += (Math.min(xb, px + 1) - Math.max(xa, px)) / SUBSAMPLES;
        minX = Math.min(minX, Math.floor(xa));
        maxX = Math.max(maxX, Math.ceil(xb) - 1);
      }
    }
    for (let px = minX; px <= maxX; px++) {
      if (rowCoverage[px] > 0) visit(px, py, Math.min(1, rowCoverage[px]));
      rowCoverage[px] = 0;
    }
  }
}

/** Fill the polygons on the canvas in `colour` at `opacity`, blending each pixel by its coverage. */
export function fillPolygons(canvas: Canvas, polygons: readonly Float64Array[], colour: Rgb, opacity = 1): void {
  polygonCoverage(polygons, canvas.width, canvas.height, (x, y, coverage) => canvas.blend(x, y, colour, coverage * opacity));
}

/**
 * A polyline of `widthPx` as polygons: one rectangle per segment, extended by half the width at both ends so joins
 * have no notch. Every rectangle winds the same way, so where they overlap the nonzero rule fills them once.
 */
export function strokePolygons(points: ArrayLike<number>, widthPx: number, closed: boolean): Float64Array[] {
  const out: Float64Array[] = [];
  const n = points.length / 2;
  const half = widthPx / 2;
  for (let i = 0; i < (closed ? n : n - 1); i++) {
    const [ax, ay, bx, by] = [points[2 * i], points[2 * i + 1], points[(2 * i + 2) % (2 * n)], points[(2 * i + 3) % (2 * n)]];
    const length = Math.hypot(bx - ax, by - ay);
    if (length === 0) continue;
    const [ux, uy] = [((bx - ax) / length) * half, ((by - ay) / length) * half]; // along the segment
    const [nx, ny] = [-uy, ux]; // across it
    out.push(Float64Array.of(ax - ux + nx, ay - uy + ny, bx + ux + nx, by + uy + ny, bx + ux - nx, by + uy - ny, ax - ux - nx, ay - uy - ny));
  }
  return out;
}
