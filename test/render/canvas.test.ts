// The raster: background, clipping of rectangles, and blending by coverage (what anti-aliased edges rely on).
import { describe, expect, it } from 'vitest';
import { createCanvas, type Canvas, type Rgb } from '../../src/render/canvas.js';

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

function inked(canvas: Canvas): number {
  let n = 0;
  for (let i = 0; i < canvas.rgba.length; i += 4) if (canvas.rgba[i] === 0) n++;
  return n;
}

describe('createCanvas', () => {
  it('fills the background, opaque', () => {
    const canvas = createCanvas(4, 3, [10, 20, 30]);
    expect(canvas.rgba.length).toBe(48);
    expect([...canvas.rgba.subarray(44)]).toEqual([10, 20, 30, 255]);
  });

  it('clips rectangles and pixels to the canvas', () => {
    const canvas = createCanvas(10, 10, WHITE);
    canvas.fillRect(-5, -5, 7, 7, BLACK); // 2 × 2 inside
    expect(inked(canvas)).toBe(4);
    canvas.setPixel(20, 3, BLACK); // outside: ignored
    expect(inked(canvas)).toBe(4);
  });

  it('blends by alpha: half black over white is 128 (rounded), alpha 0 changes nothing, alpha > 1 is 1', () => {
    const canvas = createCanvas(3, 1, WHITE);
    canvas.blend(0, 0, BLACK, 0.5);
    canvas.blend(1, 0, BLACK, 0);
    canvas.blend(2, 0, BLACK, 7);
    expect([canvas.rgba[0], canvas.rgba[4], canvas.rgba[8]]).toEqual([128, 255, 0]);
  });
});
