// Colour maps: a perceptual sequential map for log-mel values and a blue–white–red diverging map for signed attribution.
import type { Rgb } from './canvas.js';

/** Matplotlib's viridis sampled at nine evenly spaced points (its published hex values); lightness rises monotonically. */
const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84],
  [71, 45, 123],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [173, 220, 48],
  [253, 231, 37],
];

/**
 * The red half of the diverging map, from 0 (near white) to 1 (dark red), evenly spaced. The blue half is the same
 * points with red and blue swapped, so −v and v differ only in hue and equal magnitudes look equally strong.
 */
const RED_HALF: readonly Rgb[] = [
  [247, 247, 247],
  [252, 212, 190],
  [242, 150, 120],
  [208, 72, 62],
  [150, 14, 36],
  [95, 0, 24],
];

function interpolate(points: readonly Rgb[], t: number): Rgb {
  const u = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * (points.length - 1);
  const i = Math.min(points.length - 2, Math.floor(u));
  const f = u - i;
  const [a, b] = [points[i], points[i + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + f * (b[c] - a[c]))) as unknown as Rgb;
}

/** Sequential (viridis-like) colour of t ∈ [0, 1] (clamped): dark purple at 0, yellow at 1. */
export function sequential(t: number): Rgb {
  return interpolate(VIRIDIS, t);
}

/** Diverging colour of v ∈ [−1, 1] (clamped): blue for negative, near white at 0, red for positive. */
export function diverging(v: number): Rgb {
  const [r, g, b] = interpolate(RED_HALF, Math.abs(v));
  return v < 0 ? [b, g, r] : [r, g, b];
}

/** Relative luminance (Rec. 709 weights on the sRGB values), used to check that maps are ordered in lightness. */
export function luminance([r, g, b]: Rgb): number {
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
