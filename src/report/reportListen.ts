// "Play the evidence" / "play the rest" for a report: each detection's span of the `--listen` signals of its class, as μ-law WAV.
import { frameCount } from '../audio/framing.js';
import { listenToAttribution } from '../listen/listenToAttribution.js';
import { frameAttributionArray } from '../render/npy.js';
import type { Detection, ExplainedClass, FrameAttribution } from '../types.js';
import { YAMNET_FRONT_END } from '../types.js';
import { encodeMulawWav } from './mulawWav.js';
import type { ReportBlobs } from './reportBlobs.js';
import type { ReportDetection } from './reportTypes.js';

/**
 * For every detection of an explained class, the class's evidence and rest (exactly what `--listen` writes: the mask
 * is made from the class's attribution over the whole file) cut to the event's span. Each class's mask is made once.
 */
export function detectionListening(
  waveform: Float32Array,
  frames: readonly FrameAttribution[],
  classes: readonly ExplainedClass[],
  detections: readonly Detection[],
  blobs: ReportBlobs,
): Map<Detection, ReportDetection['listen']> {
  const rate = YAMNET_FRONT_END.sampleRateHz;
  const audioFrames = Math.min(frames.length, frameCount(waveform.length));
  const out = new Map<Detection, ReportDetection['listen']>();
  for (const cls of classes) {
    const own = detections.filter((d) => d.classIndex === cls.index);
    if (own.length === 0 || audioFrames === 0) continue;
    const { data } = frameAttributionArray(frames.slice(0, audioFrames), [cls]);
    const { evidence, rest } = listenToAttribution(waveform, data, audioFrames);
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
