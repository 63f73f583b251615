// The 'cmap' table: Unicode code point → glyph index, from a format 12 (full Unicode) or format 4 (BMP) subtable.

/** A lookup from code point to glyph (0 when unmapped). */
export type CharacterMap = (codePoint: number) => number;

/** Unicode subtables, best first: Windows full repertoire, Unicode full, Windows BMP, Unicode BMP. */
const PREFERRED = ['3/10', '0/4', '0/6', '3/1', '0/3', '0/2', '0/1', '0/0'];

/** Read the best Unicode subtable of format 4 or 12 (see the OpenType spec, 'cmap'). */
export function readCharacterMap(cmap: DataView): CharacterMap {
  const offsets = new Map<string, number>();
  for (let i = 0, n = cmap.getUint16(2); i < n; i++) {
    const record = 4 + 8 * i;
    offsets.set(`${cmap.getUint16(record)}/${cmap.getUint16(record + 2)}`, cmap.getUint32(record + 4));
  }
  for (const key of PREFERRED) {
    const at = offsets.get(key);
    if (at === undefined) continue;
    const format = cmap.getUint16(at);
    if (format === 12) return format12(cmap, at);
    if (format === 4) return format4(cmap, at);
  }
  return () => 0;
}

/** Segments of consecutive codes: glyph = (code + idDelta) mod 65536, or read from glyphIdArray when idRangeOffset ≠ 0. */
function format4(cmap: DataView, at: number): CharacterMap {
  const segments = cmap.getUint16(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + 2 * segments + 2; // after the reserved pad
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  return (code) => {
    if (code > 0xffff) return 0;
    let [lo, hi] = [0, segments - 1];
    while (lo < hi) {
      // The first segment whose end code is ≥ code.
      const mid = (lo + hi) >> 1;
      if (cmap.getUint16(ends + 2 * mid) < code) lo = mid + 1;
      else hi = mid;
    }
    const start = cmap.getUint16(starts + 2 * lo);
    if (code < start || code > cmap.getUint16(ends + 2 * lo)) return 0;
    const delta = cmap.getUint16(deltas + 2 * lo);
    const rangeAt = rangeOffsets + 2 * lo;
    const rangeOffset = cmap.getUint16(rangeAt);
    if (rangeOffset === 0) return (code + delta) & 0xffff;
    const glyph = cmap.getUint16(rangeAt + rangeOffset + 2 * (code - start));
    return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
  };
}

/** Sequential groups: codes startChar…endChar map to startGlyph onwards. */
function format12(cmap: DataView, at: number): CharacterMap {
  const groups = cmap.getUint32(at + 12);
  const first = at + 16;
  return (code) => {
    let [lo, hi] = [0, groups - 1];
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const g = first + 12 * mid;
      if (code < cmap.getUint32(g)) hi = mid - 1;
      else if (code > cmap.getUint32(g + 4)) lo = mid + 1;
      else return cmap.getUint32(g + 8) + (code - cmap.getUint32(g));
    }
    return 0;
  };
}
