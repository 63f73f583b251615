// A tiny RGBA raster that figures are drawn onto (src/render/figure/rasterBackend.ts) and encodePng writes out.

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
  /** Mix `color` into one pixel with weight `alpha` (0…1): anti-aliased edges and translucent fills. */
  blend(x: number, y: number, color: Rgb, alpha: number): void;
  fillRect(x: number, y: number, width: number, height: number, color: Rgb): void;
}

/** A new canvas filled with `background`. */
export function createCanvas(width: number, height: number, background: Rgb): Canvas {
  const rgba = new Uint8Array(width * height * 4);
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height;
  const setPixel = (x: number, y: number, [r, g, b]: Rgb): void => {
    x = Math.floor(x);
    y = Math.floor(y);
    if (!inside(x, y)) return;
    const o = (y * width + x) * 4;
    rgba[o] = r;
    rgba[o + 1] = g;
    rgba[o + 2] = b;
    rgba[o + 3] = 255;
  };
  const blend = (x: number, y: number, color: Rgb, alpha: number): void => {
    if (!inside(x, y) || !(alpha > 0)) return;
    const a = Math.min(1, alpha);
    const o = (y * width + x) * 4;
    for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(rgba[o + c] + a * (color[c] - rgba[o + c]));
  };
  const fillRect = (x: number, y: number, w: number, h: number, color: Rgb): void => {
    const x1 = Math.min(width, Math.floor(x + w));
    const y1 = Math.min(height, Math.floor(y + h));
    for (let yy = Math.max(0, Math.floor(y)); yy < y1; yy++) for (let xx = Math.max(0, Math.floor(x)); xx < x1; xx++) setPixel(xx, yy, color);
  };
  fillRect(0, 0, width, height, background);
  return { width, height, rgba, setPixel, blend, fillRect };
}
