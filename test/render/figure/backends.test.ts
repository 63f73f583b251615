// The three figure backends on one small figure: text leaves ink only where it is, SVG has no <text>, PDF's xref is exact.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Figure } from '../../../src/render/figure/displayList.js';
import { figurePdf } from '../../../src/render/figure/pdfBackend.js';
import { figurePng, rasteriseFigure } from '../../../src/render/figure/rasterBackend.js';
import { figureSvg } from '../../../src/render/figure/svgBackend.js';
import { textWidthPt } from '../../../src/render/font/textLayout.js';
import { decodePng } from '../decodePng.js';

const text = 'Hé − 7500 Hz';
const figure: Figure = {
  widthPt: 144,
  heightPt: 72,
  background: [255, 255, 255],
  items: [
    { kind: 'text', text, x: 10, y: 30, sizePt: 12, colour: [0, 0, 0] },
    { kind: 'text', text: 'frequency', x: 130, y: 36, sizePt: 8, rotationDeg: 90, align: 'center', anchor: 'top', colour: [0, 0, 0] },
    { kind: 'rect', x: 10, y: 44, width: 60, height: 10, fill: [200, 30, 30], stroke: [0, 0, 0] },
    { kind: 'polyline', points: [10, 62, 70, 66], stroke: [0, 0, 200], lineWidthPt: 1 },
    { kind: 'image', x: 80, y: 44, width: 30, height: 20, columns: 3, rows: 2, rgb: new Uint8Array(18).fill(90), pixelated: true },
  ],
};

describe('raster backend', () => {
  it('puts ink inside the text’s box and none around it (at 144 dpi, 2 px per point)', () => {
    const canvas = rasteriseFigure(figure, 144);
    expect([canvas.width, canvas.height]).toEqual([288, 144]);
    const dark = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (canvas.rgba[(y * canvas.width + x) * 4] < 128) n++;
      return n;
    };
    const right = Math.ceil((10 + textWidthPt(text, 12)) * 2);
    // The box: baseline 30 pt, ascent 12 × 1901/2048 pt above it, descent 12 × 483/2048 below.
    expect(dark(20, Math.floor(2 * (30 - 11.2)), right, Math.ceil(2 * (30 + 2.9)))).toBeGreaterThan(200);
    expect(dark(0, 0, 2 * 120, 2 * 17)).toBe(0); // above the text (left of the rotated label)
    expect(dark(right + 2, 0, 2 * 125, 2 * 40)).toBe(0); // right of it, left of the rotated label
    expect(dark(2 * 126, 2 * 10, 2 * 140, 2 * 62)).toBeGreaterThan(50); // the rotated label
    // Anti-aliased: some pixels of the glyph edges are neither background nor full ink.
    let grey = 0;
    for (let i = 0; i < canvas.rgba.length; i += 4) if (canvas.rgba[i] > 20 && canvas.rgba[i] < 235 && canvas.rgba[i] === canvas.rgba[i + 2]) grey++;
    expect(grey).toBeGreaterThan(50);
  });

  it('writes a PNG of the DPI’s size', () => {
    const { width, height } = decodePng(figurePng(figure, 72));
    expect([width, height]).toEqual([144, 72]);
  });
});

describe('SVG backend', () => {
  it('is well-formed XML (every tag closed in order, attributes quoted) with text as paths, no <text>', () => {
    const svg = figureSvg(figure);
    expect(svg).not.toMatch(/<text/);
    expect(svg).toMatch(/aria-label="Hé − 7500 Hz"/);
    const stack: string[] = [];
    for (const [, close, name, attrs, selfClose] of svg.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
      void attrs;
      if (close === '/') expect(stack.pop()).toBe(name);
      else if (selfClose !== '/') stack.push(name);
    }
    expect(stack).toEqual([]);
    // Nothing outside tags but whitespace: no stray '<' a regex skipped.
    expect(svg.replace(/<\?xml[^>]*\?>/, '').replace(/<(\/?)([a-zA-Z]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, '').trim()).toBe('');
    expect(svg).toMatch(/image-rendering="pixelated"/);
  });
});

describe('PDF backend', () => {
  it("has xref offsets that point at each 'N 0 obj', streams that inflate, and the figure's page size", () => {
    const pdf = figurePdf(figure, 'tëst');
    const latin1 = pdf.toString('latin1');
    expect(latin1.startsWith('%PDF-1.4')).toBe(true);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(latin1)?.[1]);
    expect(latin1.slice(startxref, startxref + 4)).toBe('xref');
    const [, count] = /^xref\n0 (\d+)\n/.exec(latin1.slice(startxref)) ?? [];
    const entries = latin1.slice(startxref).split('\n').slice(3, 2 + Number(count));
    expect(entries.length).toBe(Number(count) - 1);
    entries.forEach((entry, i) => {
      expect(entry).toMatch(/^\d{10} 00000 n $/);
      const offset = Number(entry.slice(0, 10));
      expect(latin1.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
    let streams = 0;
    for (const match of latin1.matchAll(/\/Length (\d+) >>\nstream\n/g)) {
      const start = (match.index ?? 0) + match[0].length;
      const data = inflateSync(pdf.subarray(start, start + Number(match[1])));
      expect(data.length).toBeGreaterThan(0);
      streams++;
    }
    expect(streams).toBe(2); // the content stream and the image
    expect(latin1).toMatch(/\/MediaBox \[0 0 144 72\]/);
    const content = inflateSync(pdf.subarray(latin1.indexOf('stream\n') + 7)).toString('latin1');
    expect(content).not.toMatch(/\bTj\b|\bBT\b/); // no text operators: glyphs are filled paths
    expect(content).toMatch(/ c\n/); // quadratic outlines became cubic curves
  });
});
