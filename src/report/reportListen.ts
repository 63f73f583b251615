// "Play the evidence" / "play the rest" for a report: each detection's span of the `--listen` signals of its class, as μ-law WAV.
import { frameCount } from '../audio/framing.js';
import { listenToAttribution } from '../listen/listenToAttribution.js';
import { frameAttributionArray } from '../render/npy.js';
import type { Detection, ExplainedClass, FrameAttribution } from '../types.js';
import { YAMNET_FRONT_END } from '../types.js';
import { encodeMulawWav } from './mulawWav.js';
import type { ReportBlobs } from './reportBlobs.js';
import type { ReportDetection } from './reportTypes.js';

/** A class's `--listen` signals over the whole waveform: what carried it, and everything else. */
export interface ClassSignals {
  readonly evidence: Float32Array;
  readonly rest: Float32Array;
}

/** The `--listen` signals of `cls` (its attribution as a mask on the waveform's STFT, src/listen), over the frames the audio has. */
export function classSignals(waveform: Float32Array, frames: readonly FrameAttribution[], cls: ExplainedClass): ClassSignals {
  // The file's frames may run past the audio (the end is padded to whole patches): keep those the waveform has.
  const audioFrames = Math.min(frames.length, frameCount(waveform.length));
  const { data } = frameAttributionArray(frames.slice(0, audioFrames), [cls]);
  return listenToAttribution(waveform, data, audioFrames);
}

/**
 * For every detection of an explained class, the class's evidence and rest (exactly what `--listen` writes: the mask
 * is made from the class's attribution over the whole file) cut to the event's span. Each class's mask is made once,
 * by `signalsOf` (a caller that also writes `--listen` passes the signals it made).
 */
export function detectionListening(
  waveform: Float32Array,
  frames: readonly FrameAttribution[],
  classes: readonly ExplainedClass[],
  detections: readonly Detection[],
  blobs: ReportBlobs,
  signalsOf: (cls: ExplainedClass) => ClassSignals = (cls) => classSignals(waveform, frames, cls),
): Map<Detection, ReportDetection['listen']> {
  const rate = YAMNET_FRONT_END.sampleRateHz;
  const out = new Map<Detection, ReportDetection['listen']>();
  for (const cls of classes) {
    const own = detections.filter((d) => d.classIndex === cls.index);
    if (own.length === 0 || Math.min(frames.length, frameCount(waveform.length)) === 0) continue;
    const { evidence, rest } = signalsOf(cls);
    for (const detection of own) {
      const from = Math.min(waveform.length, Math.round(detection.startSec * rate));
      const to = Math.min(waveform.length, Math.round(detection.endSec * rate));
      if (to <= from) continue;
      out.set(detection, {
        startSec: from / rate,
        evidence: blobs.add(encodeMulawWav(evidence.subarray(from, to), rate)),
        rest: blobs.add(encodeMulawWav(rest.subarray(from, to), rate)),
      });
    }
  }
  return out;
}
