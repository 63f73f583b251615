// Text as outlines: measure a string and turn it into one path, in points, with y down, for every figure backend.
import type { PathOp } from '../path.js';
import { transformPath } from '../path.js';
import { dejaVuSans, type FontWeight } from './dejaVuSans.js';

/** The glyphs of `text` and their pen positions, in font units. */
function shape(text: string, weight: FontWeight): { glyphs: number[]; xs: number[]; width: number } {
  const font = dejaVuSans(weight);
  const glyphs: number[] = [];
  const xs: number[] = [];
  let pen = 0;
  for (const ch of text) {
    const glyph = font.glyphIndex(ch.codePointAt(0) ?? 0); // 0, the .notdef box, for characters the font lacks
    if (glyphs.length > 0) pen += font.kerning(glyphs[glyphs.length - 1], glyph);
    glyphs.push(glyph);
    xs.push(pen);
    pen += font.advance(glyph);
  }
  return { glyphs, xs, width: pen };
}

/** Width of `text` set at `sizePt`, in points. */
export function textWidthPt(text: string, sizePt: number, weight: FontWeight = 'normal'): number {
  return (shape(text, weight).width * sizePt) / dejaVuSans(weight).unitsPerEm;
}

/** Height above and depth below the baseline of a line of text at `sizePt` (the font's ascender and descender). */
export function lineExtentPt(sizePt: number): { ascentPt: number; descentPt: number } {
  const font = dejaVuSans('normal');
  return { ascentPt: (font.ascender * sizePt) / font.unitsPerEm, descentPt: (-font.descender * sizePt) / font.unitsPerEm };
}

/** Height of capitals at `sizePt` (DejaVu's cap height is 1493 of 2048 units; measured from 'H' here). */
export function capHeightPt(sizePt: number): number {
  const font = dejaVuSans('normal');
  const h = font.outline(font.glyphIndex(0x48)).reduce((top, p) => (p.op === 'Z' ? top : Math.max(top, p.y)), 0);
  return (h * sizePt) / font.unitsPerEm;
}

/**
 * The outline of `text` with its baseline's start at the origin, in points, y down: the caller places it with an
 * affine map (translation, rotation).
 */
export function textPath(text: string, sizePt: number, weight: FontWeight = 'normal'): PathOp[] {
  const font = dejaVuSans(weight);
  const scale = sizePt / font.unitsPerEm;
  const { glyphs, xs } = shape(text, weight);
  const path: PathOp[] = [];
  glyphs.forEach((glyph, i) => path.push(...transformPath(font.outline(glyph), [scale, 0, 0, -scale, xs[i] * scale, 0])));
  return path;
}
