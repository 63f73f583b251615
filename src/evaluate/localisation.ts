// Localisation of a class's attribution against labelled time spans: inside-share and the pointing game (DESIGN.md §8).
import { frameTimeSec } from '../audio/framing.js';
import { OptionError, ShapeError } from '../errors/index.js';
import { type FrameAttribution, type Patch, YAMNET_FRONT_END } from '../types.js';

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

/**
 * Inside-share and pointing game of one class's attribution over one patch, by the same rules as {@link localise}:
 * frame t of the patch starts at frame ⌊startSec / 10 ms⌉ + t of the clip (startSec rounded to whole 10 ms frames, so
 * 0.48 k gives frame 48 k exactly), its mass is Σ over bands of max(0, a), and it is inside when its start is.
 * `insideShare` is NaN and `pointingGame` false when the patch carries no positive attribution, as in localise().
 * Throws ShapeError when `attribution` is not frames × bands long, OptionError for a non-finite entry or a negative or
 * non-finite startSec.
 */
export function localisePatch(attribution: ArrayLike<number>, patch: Pick<Patch, 'startSec' | 'frames' | 'bands'>, spans: readonly TimeSpan[]): Localisation {
  const { startSec, frames, bands } = patch;
  if (attribution.length !== frames * bands) throw new ShapeError('attribution', [frames, bands], [attribution.length]);
  if (!Number.isFinite(startSec) || startSec < 0) throw new OptionError('startSec', 'a finite number ≥ 0', startSec);
  const firstFrame = Math.round((startSec * YAMNET_FRONT_END.sampleRateHz) / YAMNET_FRONT_END.hopSamples);
  let total = 0;
  let within = 0;
  let peak = 0;
  let peakFrameSec = Number.NaN;
  for (let t = 0; t < frames; t++) {
    let mass = 0;
    for (let i = t * bands, end = i + bands; i < end; i++) {
      if (!Number.isFinite(attribution[i])) throw new OptionError('attribution', 'finite numbers only', attribution[i]);
      if (attribution[i] > 0) mass += attribution[i];
    }
    const timeSec = frameTimeSec(firstFrame + t);
    total += mass;
    if (inside(timeSec, spans)) within += mass;
    if (mass > peak) [peak, peakFrameSec] = [mass, timeSec];
  }
  return { insideShare: total > 0 ? within / total : Number.NaN, pointingGame: peak > 0 && inside(peakFrameSec, spans), peakFrameSec };
}
