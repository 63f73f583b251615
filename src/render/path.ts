// Outlines shared by fonts and figures: move/line/quadratic/close commands, affine maps, and flattening into polygons.

/** One path command, in the coordinates of whoever made it. Quadratic Béziers are what TrueType glyphs use. */
export type PathOp =
  | { readonly op: 'M' | 'L'; readonly x: number; readonly y: number }
  | { readonly op: 'Q'; readonly cx: number; readonly cy: number; readonly x: number; readonly y: number }
  | { readonly op: 'Z' };

/** A path: closed subpaths, each starting with 'M'. Filled with the nonzero winding rule. */
export type Path = readonly PathOp[];

/** An affine map [a, b, c, d, e, f]: (x, y) → (a·x + c·y + e, b·x + d·y + f), as in PDF and SVG. */
export type Affine = readonly [number, number, number, number, number, number];

export const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];

/** `outer ∘ inner`: apply `inner` first. */
export function compose(outer: Affine, inner: Affine): Affine {
  const [a, b, c, d, e, f] = outer;
  const [A, B, C, D, E, F] = inner;
  return [a * A + c * B, b * A + d * B, a * C + c * D, b * C + d * D, a * E + c * F + e, b * E + d * F + f];
}

/** The path with every point mapped by `m`. */
export function transformPath(path: Path, m: Affine): PathOp[] {
  const [a, b, c, d, e, f] = m;
  const px = (x: number, y: number) => a * x + c * y + e;
  const py = (x: number, y: number) => b * x + d * y + f;
  return path.map((p) => {
    if (p.op === 'Z') return p;
    if (p.op === 'Q') return { op: 'Q', cx: px(p.cx, p.cy), cy: py(p.cx, p.cy), x: px(p.x, p.y), y: py(p.x, p.y) };
    return { op: p.op, x: px(p.x, p.y), y: py(p.x, p.y) };
  });
}

/** An axis-aligned rectangle as a closed path (clockwise on screen, y down). */
export function rectPath(x: number, y: number, width: number, height: number): PathOp[] {
  return [
    { op: 'M', x, y },
    { op: 'L', x: x + width, y },
    { op: 'L', x: x + width, y: y + height },
    { op: 'L', x, y: y + height },
    { op: 'Z' },
  ];
}

/**
 * The closed polygons of a path, quadratics cut into straight pieces no more than about `tolerance` off the curve
 * (a quadratic's deviation from its chord is at most |P0 − 2C + P2| / 4 per segment, shrinking with the square of
 * the pieces).
 */
export function flattenPath(path: Path, tolerance = 0.1): Float64Array[] {
  const polygons: Float64Array[] = [];
  let current: number[] = [];
  let [x0, y0] = [0, 0];
  const close = () => {
    if (current.length >= 6) polygons.push(Float64Array.from(current));
    current = [];
  };
  for (const p of path) {
    if (p.op === 'M') {
      close();
      current.push(p.x, p.y);
    } else if (p.op === 'L') current.push(p.x, p.y);
    else if (p.op === 'Q') {
      const dev = Math.hypot(x0 - 2 * p.cx + p.x, y0 - 2 * p.cy + p.y) / 4;
      const pieces = Math.max(1, Math.min(64, Math.ceil(Math.sqrt(dev / tolerance))));
      for (let k = 1; k <= pieces; k++) {
        const t = k / pieces;
        const u = 1 - t;
        current.push(u * u * x0 + 2 * u * t * p.cx + t * t * p.x, u * u * y0 + 2 * u * t * p.cy + t * t * p.y);
      }
    } else close();
    if (p.op !== 'Z') [x0, y0] = [p.x, p.y];
  }
  close();
  return polygons;
}
