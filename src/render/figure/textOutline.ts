// Where a text item's glyph outlines go: aligned, anchored and rotated, in figure points.
import { capHeightPt, textPath, textWidthPt } from '../font/textLayout.js';
import { type Affine, compose, type PathOp, transformPath } from '../path.js';
import type { TextItem } from './displayList.js';

/** The outline of a text item in figure coordinates (points, y down). */
export function textOutline(item: TextItem): PathOp[] {
  const weight = item.weight ?? 'normal';
  const width = textWidthPt(item.text, item.sizePt, weight);
  const dx = item.align === 'center' ? -width / 2 : item.align === 'right' ? -width : 0;
  const cap = capHeightPt(item.sizePt);
  const dy = item.anchor === 'top' ? cap : item.anchor === 'middle' ? cap / 2 : 0;
  // Counter-clockwise on screen, with y down: (x, y) → (y, −x).
  const rotate: Affine = item.rotationDeg === 90 ? [0, -1, 1, 0, 0, 0] : [1, 0, 0, 1, 0, 0];
  const place = compose([1, 0, 0, 1, item.x, item.y], compose(rotate, [1, 0, 0, 1, dx, dy]));
  return transformPath(textPath(item.text, item.sizePt, weight), place);
}

