// The WOFF and TrueType readers on the shipped DejaVu Sans: metrics, character map, outlines (simple and composite).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { dejaVuSans } from '../../../src/render/font/dejaVuSans.js';
import { capHeightPt, textWidthPt } from '../../../src/render/font/textLayout.js';
import { readWoff } from '../../../src/render/font/woff.js';

// Expected metrics come from DejaVu Sans's own source (DejaVuSans.sfd, 2048 units per em): ascent 1901, descent 483,
// advances A 1401, H 1540, space 651, cap height 1493 (the top of 'H'); glyph order .notdef, .null, CR, space (3) … A (36).
const font = dejaVuSans();
const code = (ch: string) => ch.codePointAt(0) as number;

describe('readWoff', () => {
  it('inflates every table to the length its directory states (WOFF 1.0)', () => {
    const path = createRequire(import.meta.url).resolve('@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff');
    const tables = readWoff(readFileSync(path));
    for (const tag of ['head', 'hhea', 'hmtx', 'maxp', 'cmap', 'loca', 'glyf']) expect(tables.has(tag), tag).toBe(true);
    // 'head' holds its magic number 0x5F0F3CF5 at byte 12 once inflated.
    const head = tables.get('head') as Uint8Array;
    expect(Buffer.from(head).readUInt32BE(12)).toBe(0x5f0f3cf5);
  });

  it('refuses a file that is not WOFF', () => {
    expect(() => readWoff(new Uint8Array(64))).toThrow(/WOFF/);
  });
});

describe('readTrueType (DejaVu Sans)', () => {
  it('has 2048 units per em and DejaVu’s vertical metrics', () => {
    expect([font.unitsPerEm, font.ascender, font.descender]).toEqual([2048, 1901, -483]);
  });

  it('maps characters to glyphs and gives their advances (exact, in font units)', () => {
    expect(font.glyphIndex(code(' '))).toBe(3);
    expect(font.glyphIndex(code('A'))).toBe(36);
    expect(font.advance(font.glyphIndex(code('A')))).toBe(1401);
    expect(font.advance(font.glyphIndex(code('H')))).toBe(1540);
    expect(font.advance(3)).toBe(651);
    // 10 pt 'HH' is 2 × 1540 / 2048 × 10 pt wide (no kerning table in this build).
    expect(textWidthPt('HH', 10)).toBeCloseTo((2 * 1540 * 10) / 2048, 9);
    expect(capHeightPt(2048)).toBe(1493);
  });

  it('maps characters beyond Latin-1 (− U+2212, … U+2026) and gives 0 (.notdef) to what the font lacks', () => {
    expect(font.glyphIndex(0x2212)).toBeGreaterThan(0);
    expect(font.glyphIndex(0x2026)).toBeGreaterThan(0);
    expect(font.glyphIndex(0x4e2d)).toBe(0); // 中: DejaVu Sans has no CJK
    expect(font.outline(0).length).toBeGreaterThan(0); // .notdef is a box, drawn instead of nothing or '?'
  });

  it("reads a simple glyph: 'H' is one closed contour of straight lines within its advance", () => {
    const h = font.outline(font.glyphIndex(code('H')));
    expect(h.filter((p) => p.op === 'M')).toHaveLength(1);
    expect(h.every((p) => p.op !== 'Q')).toBe(true);
    for (const p of h) if (p.op !== 'Z') expect(p.x).toBeLessThanOrEqual(1540);
  });

  it("resolves a composite glyph: 'é' is 'e' plus an acute accent above the x-height", () => {
    const glyf = font.outline(font.glyphIndex(code('é')));
    const e = font.outline(font.glyphIndex(code('e')));
    const contours = (path: typeof e) => path.filter((p) => p.op === 'M').length;
    expect(contours(glyf)).toBe(contours(e) + 1);
    const top = (path: typeof e) => Math.max(...path.map((p) => (p.op === 'Z' ? -Infinity : p.y)));
    expect(top(glyf)).toBeGreaterThan(top(e) + 200); // the accent sits well above the 'e' (x-height 1120)
    expect(glyf.some((p) => p.op === 'Q')).toBe(true);
  });
});
