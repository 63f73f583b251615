// A figure as a list of drawing items in points (1/72 in, y down), which the PNG, SVG and PDF backends each render.
import type { Rgb } from '../canvas.js';
import type { FontWeight } from '../font/dejaVuSans.js';
import type { Path } from '../path.js';

export type { Rgb } from '../canvas.js';

/** A rectangle, filled and/or outlined. */
export interface RectItem {
  readonly kind: 'rect';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly fill?: Rgb;
  readonly stroke?: Rgb;
  /** Outline width in points. @default 0.5 */
  readonly lineWidthPt?: number;
}

/** A line through points (flat [x0, y0, x1, y1, …]). */
export interface PolylineItem {
  readonly kind: 'polyline';
  readonly points: readonly number[];
  readonly stroke: Rgb;
  readonly lineWidthPt: number;
}

/** A filled outline (nonzero winding), optionally translucent. */
export interface PathItem {
  readonly kind: 'path';
  readonly path: Path;
  readonly fill: Rgb;
  /** @default 1 */
  readonly opacity?: number;
}

/** A run of text, drawn as glyph outlines by every backend (so no output needs a font installed). */
export interface TextItem {
  readonly kind: 'text';
  readonly text: string;
  /** The anchor point: where `align` and `anchor` pin the text. */
  readonly x: number;
  readonly y: number;
  readonly sizePt: number;
  readonly weight?: FontWeight;
  /** Which end of the text sits at x (before rotation). @default 'left' */
  readonly align?: 'left' | 'center' | 'right';
  /** What sits at y: the baseline, the capital height's top, or its middle. @default 'baseline' */
  readonly anchor?: 'baseline' | 'top' | 'middle';
  /** Counter-clockwise rotation about the anchor point, in degrees, as matplotlib's `rotation`. @default 0 */
  readonly rotationDeg?: 0 | 90;
  readonly colour: Rgb;
}

/** An RGB raster (rows top first) stretched over a rectangle; `pixelated` keeps its cells sharp when enlarged. */
export interface ImageItem {
  readonly kind: 'image';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly columns: number;
  readonly rows: number;
  /** rows × columns × 3 bytes. */
  readonly rgb: Uint8Array;
  readonly pixelated: boolean;
}

export type FigureItem = RectItem | PolylineItem | PathItem | TextItem | ImageItem;

/** A whole figure: its size in points and what to draw, back to front. */
export interface Figure {
  readonly widthPt: number;
  readonly heightPt: number;
  readonly background: Rgb;
  readonly items: readonly FigureItem[];
}

/** Points per inch. */
export const POINTS_PER_INCH = 72;
