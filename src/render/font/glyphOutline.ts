// One 'glyf' entry as a path: simple glyphs' quadratic contours (implied on-curve midpoints restored) and composites.
import { compose, type Affine, type PathOp, transformPath } from '../path.js';

const ON_CURVE = 0x01;
const X_SHORT = 0x02;
const Y_SHORT = 0x04;
const REPEAT = 0x08;
const X_SAME_OR_POSITIVE = 0x10;
const Y_SAME_OR_POSITIVE = 0x20;

const ARGS_ARE_WORDS = 0x0001;
const ARGS_ARE_XY = 0x0002;
const HAVE_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const HAVE_XY_SCALE = 0x0040;
const HAVE_TWO_BY_TWO = 0x0080;

/** The outline of one glyph record (font units, y up); `component` gives the outline of a glyph a composite uses. */
export function readGlyphOutline(glyph: DataView, component: (glyph: number) => readonly PathOp[]): PathOp[] {
  const contours = glyph.getInt16(0);
  return contours >= 0 ? simpleGlyph(glyph, contours) : compositeGlyph(glyph, component);
}

function simpleGlyph(view: DataView, contours: number): PathOp[] {
  const ends: number[] = [];
  for (let i = 0; i < contours; i++) ends.push(view.getUint16(10 + 2 * i));
  const points = contours === 0 ? 0 : ends[contours - 1] + 1;
  let at = 10 + 2 * contours;
  at += 2 + view.getUint16(at); // skip the hinting instructions
  const flags = new Uint8Array(points);
  for (let i = 0; i < points; ) {
    const flag = view.getUint8(at++);
    flags[i++] = flag;
    if (flag & REPEAT) for (let r = view.getUint8(at++); r > 0 && i < points; r--) flags[i++] = flag;
  }
  // Coordinates are deltas: a byte with a sign flag, or "same as before", or a signed word.
  const read = (short: number, sameOrPositive: number): Int32Array => {
    const out = new Int32Array(points);
    let value = 0;
    for (let i = 0; i < points; i++) {
      const f = flags[i];
      if (f & short) value += (f & sameOrPositive ? 1 : -1) * view.getUint8(at++);
      else if (!(f & sameOrPositive)) {
        value += view.getInt16(at);
        at += 2;
      }
      out[i] = value;
    }
    return out;
  };
  const xs = read(X_SHORT, X_SAME_OR_POSITIVE);
  const ys = read(Y_SHORT, Y_SAME_OR_POSITIVE);
  const path: PathOp[] = [];
  let first = 0;
  for (const end of ends) {
    contour(path, xs, ys, flags, first, end);
    first = end + 1;
  }
  return path;
}

/** One closed contour: two off-curve points in a row imply an on-curve point halfway between them. */
function contour(path: PathOp[], xs: Int32Array, ys: Int32Array, flags: Uint8Array, first: number, last: number): void {
  const n = last - first + 1;
  if (n < 2) return;
  const on = (i: number) => (flags[first + (i % n)] & ON_CURVE) !== 0;
  const x = (i: number) => xs[first + (i % n)];
  const y = (i: number) => ys[first + (i % n)];
  // Start at an on-curve point, or at the midpoint of the first two off-curve points.
  const startIndex = [...Array(n).keys()].find(on);
  const start = startIndex ?? 0;
  const [sx, sy] = startIndex === undefined ? [(x(0) + x(1)) / 2, (y(0) + y(1)) / 2] : [x(start), y(start)];
  path.push({ op: 'M', x: sx, y: sy });
  let control: [number, number] | undefined;
  for (let k = 1; k <= n; k++) {
    const i = start + k;
    const [px, py] = [x(i), y(i)];
    if (on(i)) {
      path.push(control === undefined ? { op: 'L', x: px, y: py } : { op: 'Q', cx: control[0], cy: control[1], x: px, y: py });
      control = undefined;
    } else {
      if (control !== undefined) path.push({ op: 'Q', cx: control[0], cy: control[1], x: (control[0] + px) / 2, y: (control[1] + py) / 2 });
      control = [px, py];
    }
  }
  if (control !== undefined) path.push({ op: 'Q', cx: control[0], cy: control[1], x: sx, y: sy });
  path.push({ op: 'Z' });
}

/** Components, each another glyph under an offset and an optional scale or 2 × 2 matrix (F2Dot14). */
function compositeGlyph(view: DataView, component: (glyph: number) => readonly PathOp[]): PathOp[] {
  const path: PathOp[] = [];
  const f2dot14 = (at: number) => view.getInt16(at) / 16384;
  let at = 10;
  for (let more = true; more; ) {
    const flags = view.getUint16(at);
    const glyph = view.getUint16(at + 2);
    at += 4;
    let [dx, dy] = [0, 0];
    if (flags & ARGS_ARE_WORDS) {
      [dx, dy] = [view.getInt16(at), view.getInt16(at + 2)];
      at += 4;
    } else {
      [dx, dy] = [view.getInt8(at), view.getInt8(at + 1)];
      at += 2;
    }
    // Point-matched placement (args are point numbers) is rare in Latin fonts: such a component stays unshifted.
    if (!(flags & ARGS_ARE_XY)) [dx, dy] = [0, 0];
    let m: Affine = [1, 0, 0, 1, 0, 0];
    if (flags & HAVE_SCALE) {
      m = [f2dot14(at), 0, 0, f2dot14(at), 0, 0];
      at += 2;
    } else if (flags & HAVE_XY_SCALE) {
      m = [f2dot14(at), 0, 0, f2dot14(at + 2), 0, 0];
      at += 4;
    } else if (flags & HAVE_TWO_BY_TWO) {
      m = [f2dot14(at), f2dot14(at + 2), f2dot14(at + 4), f2dot14(at + 6), 0, 0];
      at += 8;
    }
    path.push(...transformPath(component(glyph), compose([1, 0, 0, 1, dx, dy], m)));
    more = (flags & MORE_COMPONENTS) !== 0;
  }
  return path;
}
