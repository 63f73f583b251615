// A tiny RGBA raster: rectangles, lines and bitmap text, enough to draw a heatmap without a graphics library.
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphOf } from './font.js';

/** An opaque colour: red, green, blue in 0…255. */
export type Rgb = readonly [number, number, number];

/** A raster of `width × height` RGBA pixels, row-major, every pixel opaque. */
export interface Canvas {
  readonly width: number;
  readonly height: number;
  /** Row-major RGBA bytes, 4 per pixel (what {@link encodePng} takes). */
  readonly rgba: Uint8Array;
  /** Paint one pixel; coordinates outside the canvas are ignored (so callers may draw past the edges). */
  setPixel(x: number, y: number, color: Rgb): void;
  fillRect(x: number, y: number, width: number, height: number, color: Rgb): void;
  hline(x0: number, x1: number, y: number, color: Rgb): void;
  vline(x: number, y0: number, y1: number, color: Rgb): void;
  /** A 1-pixel line between two points (Bresenham), both ends included. */
  drawLine(x0: number, y0: number, x1: number, y1: number, color: Rgb): void;
  /** Draw `text` with its cell's top-left corner at (x, y); returns the width drawn in pixels. */
  drawText(x: number, y: number, text: string, color: Rgb, scale?: number): number;
}

/** Width in pixels of `text` drawn at `scale` (every character takes one 6-pixel cell). */
export function textWidth(text: string, scale = 1): number {
  return [...text].length * GLYPH_WIDTH * scale;
}

/** Height in pixels of a line of text at `scale`. */
export function textHeight(scale = 1): number {
  return GLYPH_HEIGHT * scale;
}

/** A new canvas filled with `background`. */
export function createCanvas(width: number, height: number, background: Rgb): Canvas {
  const rgba = new Uint8Array(width * height * 4);
  const setPixel = (x: number, y: number, [r, g, b]: Rgb): void => {
    x = Math.floor(x);
    y = Math.floor(y);
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const o = (y * width + x) * 4;
    rgba[o] = r;
    rgba[o + 1] = g;
    rgba[o + 2] = b;
    rgba[o + 3] = 255;
  };
  const fillRect = (x: number, y: number, w: number, h: number, color: Rgb): void => {
    const x0 = Math.max(0, Math.floor(x));
    const y0 = Math.max(0, Math.floor(y));
    const x1 = Math.min(width, Math.floor(x + w));
    const y1 = Math.min(height, Math.floor(y + h));
    for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) setPixel(xx, yy, color);
  };
  const canvas: Canvas = {
    width,
    height,
    rgba,
    setPixel,
    fillRect,
    hline: (x0, x1, y, color) => fillRect(Math.min(x0, x1), y, Math.abs(x1 - x0) + 1, 1, color),
    vline: (x, y0, y1, color) => fillRect(x, Math.min(y0, y1), 1, Math.abs(y1 - y0) + 1, color),
    drawLine(x0, y0, x1, y1, color) {
      [x0, y0, x1, y1] = [x0, y0, x1, y1].map(Math.round) as [number, number, number, number];
      const dx = Math.abs(x1 - x0);
      const dy = -Math.abs(y1 - y0);
      const sx = x0 < x1 ? 1 : -1;
      const sy = y0 < y1 ? 1 : -1;
      let err = dx + dy;
      for (;;) {
        setPixel(x0, y0, color);
        if (x0 === x1 && y0 === y1) return;
        const e2 = 2 * err;
        if (e2 >= dy) {
          err += dy;
          x0 += sx;
        }
        if (e2 <= dx) {
          err += dx;
          y0 += sy;
        }
      }
    },
    drawText(x, y, text, color, scale = 1) {
      let cx = x;
      for (const ch of text) {
        const glyph = glyphOf(ch);
        for (let row = 0; row < glyph.length; row++) {
          for (let col = 0; col < 5; col++) {
            // Row 0 of the glyph sits one pixel (scaled) below the cell's top.
            if (glyph[row] & (0b10000 >> col)) fillRect(cx + col * scale, y + (row + 1) * scale, scale, scale, color);
          }
        }
        cx += GLYPH_WIDTH * scale;
      }
      return cx - x;
    },
  };
  fillRect(0, 0, width, height, background);
  return canvas;
}
