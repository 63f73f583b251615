// The raster and its bitmap font: text sets pixels where the glyphs say, shapes stay inside the canvas.
import { describe, expect, it } from 'vitest';
import { createCanvas, textWidth, type Canvas, type Rgb } from '../../src/render/canvas.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphOf } from '../../src/render/font.js';

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

  it('clips shapes to the canvas and draws lines end to end', () => {
    const canvas = createCanvas(10, 10, WHITE);
    canvas.fillRect(-5, -5, 7, 7, BLACK); // 2 × 2 inside
    expect(inked(canvas)).toBe(4);
    const lines = createCanvas(10, 10, WHITE);
    lines.drawLine(0, 0, 9, 9, BLACK);
    expect(inked(lines)).toBe(10);
    lines.hline(0, 9, 0, BLACK);
    lines.vline(9, 0, 9, BLACK);
    expect(inked(lines)).toBe(10 + 9 + 8);
    lines.setPixel(20, 3, BLACK); // outside: ignored
    expect(inked(lines)).toBe(27);
  });
});

describe('drawText', () => {
  it('sets exactly the pixels of the glyphs, scaled', () => {
    const canvas = createCanvas(40, 30, WHITE);
    const drawn = canvas.drawText(1, 2, 'Hi', BLACK, 2);
    expect(drawn).toBe(textWidth('Hi', 2));
    const bits = (ch: string) => glyphOf(ch).reduce((n, row) => n + row.toString(2).replaceAll('0', '').length, 0);
    expect(inked(canvas)).toBe(4 * (bits('H') + bits('i')));
    // The H's top-left pixel: glyph row 0 sits one (scaled) row below the cell top.
    expect(canvas.rgba[((2 + 2) * 40 + 1) * 4]).toBe(0);
  });

  it('has a distinct glyph for every printable ASCII character, and falls back sensibly', () => {
    const seen = new Set<string>();
    for (let code = 33; code <= 126; code++) {
      const key = glyphOf(String.fromCharCode(code)).join(',');
      expect(seen.has(key), String.fromCharCode(code)).toBe(false);
      seen.add(key);
    }
    expect(glyphOf('é')).toEqual(glyphOf('e'));
    expect(glyphOf('\u4e00')).toEqual(glyphOf('?'));
    expect(GLYPH_WIDTH * 3).toBe(textWidth('abc'));
    expect(GLYPH_HEIGHT).toBe(10);
  });
});
