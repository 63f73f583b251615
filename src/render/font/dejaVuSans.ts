// DejaVu Sans, regular and bold, read once from the @fontsource/dejavu-sans package's WOFF files.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readTrueType, type Font } from './trueType.js';
import { readWoff } from './woff.js';

/** The two weights figures use. */
export type FontWeight = 'normal' | 'bold';

const FILES: Record<FontWeight, string> = {
  normal: '@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff',
  bold: '@fontsource/dejavu-sans/files/dejavu-sans-latin-700-normal.woff',
};

const loaded = new Map<FontWeight, Font>();

/** DejaVu Sans at `weight` (about 40 ms to read the first time, then cached for the process). */
export function dejaVuSans(weight: FontWeight = 'normal'): Font {
  let font = loaded.get(weight);
  if (font === undefined) {
    const path = createRequire(import.meta.url).resolve(FILES[weight]);
    font = readTrueType(readWoff(readFileSync(path)));
    loaded.set(weight, font);
  }
  return font;
}
