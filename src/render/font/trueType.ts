// A TrueType reader for what text needs: units per em, vertical metrics, advances, the character map, kerning pairs, outlines.
import { ShapeError } from '../../errors/ShapeError.js';
import type { PathOp } from '../path.js';
import { readGlyphOutline } from './glyphOutline.js';
import { readCharacterMap } from './characterMap.js';
import type { SfntTables } from './woff.js';

/** A parsed font; all lengths in font units (`unitsPerEm` to the em), y up. */
export interface Font {
  readonly unitsPerEm: number;
  /** Highest and lowest extent of the font's lines (hhea ascender, descender: negative). */
  readonly ascender: number;
  readonly descender: number;
  readonly numGlyphs: number;
  /** The glyph of a Unicode code point; 0 (.notdef, drawn as a box) when the font has none. */
  glyphIndex(codePoint: number): number;
  /** Horizontal advance of a glyph. */
  advance(glyph: number): number;
  /** Kerning between two glyphs from a format 0 'kern' table (0 when the font has none). */
  kerning(left: number, right: number): number;
  /** The glyph's outline (composites resolved); cached. */
  outline(glyph: number): readonly PathOp[];
}

function table(tables: SfntTables, tag: string): DataView {
  const t = tables.get(tag);
  if (t === undefined) throw new ShapeError(`font table '${tag}'`, [null], [0]);
  return new DataView(t.buffer, t.byteOffset, t.byteLength);
}

/** Read a font from its sfnt tables (see the OpenType spec's head, hhea, maxp, hmtx, loca, glyf, cmap, kern). */
export function readTrueType(tables: SfntTables): Font {
  const head = table(tables, 'head');
  const hhea = table(tables, 'hhea');
  const numGlyphs = table(tables, 'maxp').getUint16(4);
  const hmtx = table(tables, 'hmtx');
  const loca = table(tables, 'loca');
  const glyf = table(tables, 'glyf');
  const unitsPerEm = head.getUint16(18);
  const longLoca = head.getInt16(50) === 1;
  const metrics = hhea.getUint16(34); // numberOfHMetrics: glyphs past it share the last advance
  const glyphIndex = readCharacterMap(table(tables, 'cmap'));
  const kerning = readKerning(tables.get('kern'));
  const advance = (glyph: number): number => hmtx.getUint16(4 * Math.min(glyph, metrics - 1));
  const location = (glyph: number): [number, number] => {
    if (glyph < 0 || glyph >= numGlyphs) return [0, 0];
    return longLoca ? [loca.getUint32(4 * glyph), loca.getUint32(4 * glyph + 4)] : [2 * loca.getUint16(2 * glyph), 2 * loca.getUint16(2 * glyph + 2)];
  };
  const cache = new Map<number, readonly PathOp[]>();
  const outline = (glyph: number, depth = 0): readonly PathOp[] => {
    const cached = cache.get(glyph);
    if (cached !== undefined) return cached;
    const [start, end] = location(glyph);
    // A composite refers to other glyphs; the depth cap stops a malformed font that refers to itself.
    const path = end > start && depth < 8 ? readGlyphOutline(new DataView(glyf.buffer, glyf.byteOffset + start, end - start), (g) => outline(g, depth + 1)) : [];
    cache.set(glyph, path);
    return path;
  };
  return {
    unitsPerEm,
    ascender: hhea.getInt16(4),
    descender: hhea.getInt16(6),
    numGlyphs,
    glyphIndex: (codePoint) => {
      const g = glyphIndex(codePoint);
      return g < numGlyphs ? g : 0;
    },
    advance,
    kerning,
    outline: (glyph) => outline(glyph),
  };
}

/** Format 0 subtables of a version 0 'kern' table, as a lookup of (left, right) → adjustment. */
function readKerning(kern: Uint8Array | undefined): (left: number, right: number) => number {
  const pairs = new Map<number, number>();
  if (kern !== undefined && kern.byteLength >= 4) {
    const view = new DataView(kern.buffer, kern.byteOffset, kern.byteLength);
    if (view.getUint16(0) === 0) {
      let at = 4;
      for (let n = view.getUint16(2); n > 0 && at + 6 <= kern.byteLength; n--) {
        const length = view.getUint16(at + 2);
        const coverage = view.getUint16(at + 4);
        if (coverage >> 8 === 0 && (coverage & 1) === 1) {
          const count = view.getUint16(at + 6);
          for (let i = 0; i < count; i++) {
            const p = at + 14 + 6 * i;
            pairs.set(view.getUint16(p) * 65536 + view.getUint16(p + 2), view.getInt16(p + 4));
          }
        }
        at += length;
      }
    }
  }
  return (left, right) => pairs.get(left * 65536 + right) ?? 0;
}
