// Maps a run of 10 ms frames onto pixel columns (repeating short clips, averaging long ones) and summarises values.
import type { FrameAttribution } from '../types.js';
import { YAMNET_FRONT_END } from '../types.js';

/** Seconds per frame (the 10 ms hop). */
export const FRAME_SEC = YAMNET_FRONT_END.hopSamples / YAMNET_FRONT_END.sampleRateHz;

/** Which frames each pixel column shows. */
export interface TimeColumns {
  /** Index of the first frame slot (the smallest frame index). */
  readonly firstIndex: number;
  /** Frame slots from the first to the last frame index (gaps included). */
  readonly slots: number;
  /** Pixel columns of the plot. */
  readonly columns: number;
  /** Column c shows slots [start[c], end[c]). */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Start and end of the plotted time span, in seconds. */
  readonly t0Sec: number;
  readonly t1Sec: number;
}

/**
 * Columns for `slots` frames within `maxColumns`: up to `maxPxPerFrame` columns per frame when they fit (a short
 * clip stays readable), one when they just fit, otherwise `maxColumns` columns each averaging ⌈slots/columns⌉ or
 * ⌊slots/columns⌋ frames.
 */
export function timeColumns(firstIndex: number, slots: number, maxColumns: number, maxPxPerFrame = 4): TimeColumns {
  const pxPerFrame = Math.min(maxPxPerFrame, Math.floor(maxColumns / slots));
  const columns = pxPerFrame >= 1 ? slots * pxPerFrame : maxColumns;
  const start = new Int32Array(columns);
  const end = new Int32Array(columns);
  for (let c = 0; c < columns; c++) {
    start[c] = pxPerFrame >= 1 ? Math.floor(c / pxPerFrame) : Math.floor((c * slots) / columns);
    end[c] = pxPerFrame >= 1 ? start[c] + 1 : Math.floor(((c + 1) * slots) / columns);
  }
  return { firstIndex, slots, columns, start, end, t0Sec: firstIndex * FRAME_SEC, t1Sec: (firstIndex + slots) * FRAME_SEC };
}

/** The frames laid out by index: slot i holds the frame with index firstIndex + i, or undefined in a gap. */
export function frameSlots(frames: readonly FrameAttribution[]): { firstIndex: number; slots: (FrameAttribution | undefined)[] } {
  let firstIndex = Infinity;
  let lastIndex = -Infinity;
  for (const { index } of frames) {
    firstIndex = Math.min(firstIndex, index);
    lastIndex = Math.max(lastIndex, index);
  }
  const slots = new Array<FrameAttribution | undefined>(lastIndex - firstIndex + 1).fill(undefined);
  for (const frame of frames) slots[frame.index - firstIndex] = frame;
  return { firstIndex, slots };
}

/**
 * Average per-slot rows of `width` values into the columns: a [columns × width] array, NaN where no slot of a
 * column has a row. `rowOf` returns a slot's row, or undefined when it has none.
 */
export function averageColumns(grid: TimeColumns, width: number, rowOf: (slot: number) => ArrayLike<number> | undefined): Float32Array {
  const out = new Float32Array(grid.columns * width).fill(Number.NaN);
  const sum = new Float64Array(width);
  for (let c = 0; c < grid.columns; c++) {
    sum.fill(0);
    let count = 0;
    for (let s = grid.start[c]; s < grid.end[c]; s++) {
      const row = rowOf(s);
      if (row === undefined) continue;
      for (let j = 0; j < width; j++) sum[j] += row[j];
      count++;
    }
    if (count > 0) for (let j = 0; j < width; j++) out[c * width + j] = sum[j] / count;
  }
  return out;
}

/** The q-quantile (0…1, nearest rank) of the finite values; NaN when there are none. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const finite = Float64Array.from(Array.prototype.filter.call(values, Number.isFinite) as number[]).sort();
  if (finite.length === 0) return Number.NaN;
  return finite[Math.min(finite.length - 1, Math.max(0, Math.ceil(q * finite.length) - 1))];
}

/** Mean of the values (NaN for none). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
