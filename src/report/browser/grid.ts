// Draws a [frames × bands] byte grid into a rectangle of a canvas for the visible time range, from the pyramid level the zoom needs.
import { type TimeRange, timeToX } from './geometry.js';
import { levelFor, type Pyramid } from './pyramid.js';

/** One off-screen canvas reused by every draw: its pixels are one cell each, scaled by drawImage. */
const scratch = document.createElement('canvas');
const scratchContext = scratch.getContext('2d', { willReadFrequently: false })!;

/** A rectangle in CSS pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Paints the cells of `pyramid` under `range` into `rect` (lowest band at the bottom), colour `lut[value & 255]`
 * (RGBA packed little-endian); time past the data's end is left as it was.
 */
export function drawGrid(context: CanvasRenderingContext2D, pyramid: Pyramid, frameSec: number, range: TimeRange, rect: Rect, lut: Uint32Array, devicePixels: number): void {
  const total = pyramid.levels[0].frames;
  const shownFrames = (range.endSec - range.startSec) / frameSec;
  const level = levelFor(pyramid, shownFrames / Math.max(1, rect.width * devicePixels));
  const { frames, values } = pyramid.levels[level];
  const cellSec = frameSec * 2 ** level;
  const endSec = Math.min(range.endSec, total * frameSec);
  const first = Math.max(0, Math.floor(range.startSec / cellSec));
  const last = Math.min(frames, Math.ceil(endSec / cellSec));
  if (last <= first) return;
  const { bands } = pyramid;
  const columns = last - first;
  if (scratch.width < columns || scratch.height !== bands) {
    scratch.width = Math.max(columns, scratch.width);
    scratch.height = bands;
  }
  const image = scratchContext.createImageData(columns, bands);
  const pixels = new Uint32Array(image.data.buffer);
  for (let c = 0; c < columns; c++) {
    const base = (first + c) * bands;
    for (let j = 0; j < bands; j++) pixels[(bands - 1 - j) * columns + c] = lut[values[base + j] & 255];
  }
  scratchContext.putImageData(image, 0, 0);
  // The source rectangle starts and ends mid-cell when the range does, so panning moves smoothly, not a cell at a time.
  const sourceX = range.startSec / cellSec - first;
  const sourceWidth = (endSec - range.startSec) / cellSec;
  const x0 = timeToX(range, rect.x, rect.width, Math.max(0, range.startSec));
  const x1 = timeToX(range, rect.x, rect.width, endSec);
  context.imageSmoothingEnabled = false;
  context.drawImage(scratch, Math.max(0, sourceX), 0, sourceWidth, bands, x0, rect.y, x1 - x0, rect.height);
}

/** A 256-entry RGBA lookup table from a palette of 256 RGB triples, `index(value)` choosing the entry for each byte value. */
export function lookupTable(palette: readonly number[], index: (byte: number) => number, missing?: readonly [number, number, number], isMissing?: (byte: number) => boolean): Uint32Array {
  const lut = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    const [r, g, b] = isMissing?.(byte) && missing !== undefined ? missing : ((i) => [palette[3 * i], palette[3 * i + 1], palette[3 * i + 2]])(Math.max(0, Math.min(255, index(byte))));
    lut[byte] = (255 << 24) | (b << 16) | (g << 8) | r; // ImageData is RGBA in memory: little-endian Uint32 reads it as ABGR
  }
  return lut;
}
