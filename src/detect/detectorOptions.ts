// The event detector's defaults, their checks, and the conversion of its seconds into whole patches.
import { frameTimeSec } from '../audio/framing.js';
import { OptionError } from '../errors/index.js';
import { positiveNumberOption } from '../attribution/validate.js';
import { YAMNET_FRONT_END, type DetectorOptions } from '../types.js';

/**
 * Defaults of {@link DetectorOptions}, chosen from the score tracks of the samples (bench/RESULTS.md, issue 9): every
 * recorded event there peaks at 0.46 or more (the quietest, "Beep, bleep" in tones.wav, at 0.46–0.49, so 0.5 would
 * miss it), while the patches just outside the events score ≤ 0.17 for the event's class; an off threshold of 0.2
 * keeps a siren's dips (0.21–0.59) inside one event. One patch (0.96 s) is long enough, since a short sound fills
 * few patches, and runs one patch (0.48 s) apart merge.
 */
export const DETECTOR_DEFAULTS = { onThreshold: 0.4, offThreshold: 0.2, minDurationSec: 0.96, maxGapSec: 0.48 } as const;

/** Seconds between patch starts (0.48). */
const PATCH_HOP_SEC = frameTimeSec(YAMNET_FRONT_END.patchHopFrames);
/** Seconds one patch lasts (0.96). */
const PATCH_SEC = frameTimeSec(YAMNET_FRONT_END.patchFrames);
/** Slack for seconds that should be whole multiples of 0.48 but carry float noise (1.44 − 0.96 ≠ 0.48 exactly). */
const SLACK = 1e-9;

/** Every option of the detector, checked, with defaults filled in; throws {@link OptionError} on a bad value. */
export function checkDetectorOptions(options: DetectorOptions = {}): Required<DetectorOptions> {
  const onThreshold = thresholdOption('onThreshold', options.onThreshold, DETECTOR_DEFAULTS.onThreshold);
  // Only an on threshold below the default off one: the off threshold follows it down (no hysteresis) rather than fail.
  const offThreshold = thresholdOption('offThreshold', options.offThreshold, Math.min(DETECTOR_DEFAULTS.offThreshold, onThreshold));
  if (offThreshold > onThreshold) throw new OptionError('offThreshold', `≤ \`onThreshold\` (${onThreshold})`, offThreshold);
  return {
    onThreshold,
    offThreshold,
    minDurationSec: positiveNumberOption('minDurationSec', options.minDurationSec, DETECTOR_DEFAULTS.minDurationSec, true),
    maxGapSec: positiveNumberOption('maxGapSec', options.maxGapSec, DETECTOR_DEFAULTS.maxGapSec, true),
  };
}

/**
 * Fewest patches an event must span to last `minDurationSec`: the smallest n ≥ 1 with (n − 1) × 0.48 + 0.96 ≥
 * minDurationSec. 0.96 → 1, 1.0 → 2, 1.44 → 2, 1.45 → 3.
 */
export function minDurationPatches(minDurationSec: number): number {
  const extraHops = Math.ceil((minDurationSec - PATCH_SEC) / PATCH_HOP_SEC - SLACK);
  return 1 + Math.max(0, extraHops);
}

/**
 * Most patches that may lie between two runs of one class for them to merge: the largest g with g × 0.48 ≤
 * maxGapSec, i.e. floor(maxGapSec / 0.48 + 1e-9). 0 → 0, 0.47 → 0, 0.48 → 1, 0.96 → 2.
 */
export function maxGapPatches(maxGapSec: number): number {
  return Math.floor(maxGapSec / PATCH_HOP_SEC + SLACK);
}

function thresholdOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 1) throw new OptionError(name, 'a number in (0, 1)', value);
  return value;
}
