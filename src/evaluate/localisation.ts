// Localisation of a class's attribution against labelled time spans: inside-share and the pointing game (DESIGN.md §8).
import type { FrameAttribution } from '../types.js';

/** A labelled interval of a clip, in seconds. */
export interface TimeSpan {
  readonly startSec: number;
  readonly endSec: number;
}

/** The localisation figures of one class on one clip. */
export interface Localisation {
  /** Positive attribution mass (Σ over frames and bands of max(0, a)) inside the spans, over all of it; NaN when there is none. */
  readonly insideShare: number;
  /** Whether the frame with the most positive attribution lies inside a span (false when there is none). */
  readonly pointingGame: boolean;
  /** Start of that frame, in seconds (NaN when there is none). */
  readonly peakFrameSec: number;
}

/** Whether a frame starting at `timeSec` lies in one of `spans` (start included, end excluded). */
function inside(timeSec: number, spans: readonly TimeSpan[]): boolean {
  return spans.some((span) => timeSec >= span.startSec && timeSec < span.endSec);
}

/**
 * Inside-share and pointing game of class `classIndex` over the per-frame attribution stream (Quantus's attribution
 * localisation and pointing game, on the time axis: a frame is inside when its start is). Frames where the class was
 * not explained count as zero.
 */
export function localise(frames: readonly FrameAttribution[], classIndex: number, spans: readonly TimeSpan[]): Localisation {
  let total = 0;
  let within = 0;
  let peak = 0;
  let peakFrameSec = Number.NaN;
  for (const frame of frames) {
    const entry = frame.classes.find((c) => c.classIndex === classIndex);
    if (entry === undefined) continue;
    let mass = 0;
    for (const a of entry.attribution) if (a > 0) mass += a;
    total += mass;
    if (inside(frame.timeSec, spans)) within += mass;
    if (mass > peak) [peak, peakFrameSec] = [mass, frame.timeSec];
  }
  return { insideShare: total > 0 ? within / total : Number.NaN, pointingGame: peak > 0 && inside(peakFrameSec, spans), peakFrameSec };
}
