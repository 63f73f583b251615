// The one-line DecodeError for decoded audio holding a sample that cannot be audio (NaN, ±Infinity, absurd level) (pure).
import { describeBadSample, MAX_SAMPLE_MAGNITUDE } from '../audio/sampleBounds.js';
import { DecodeError } from '../errors/index.js';

/** Where the bad sample is and what the run was, for the message and `--verbose`. */
export interface BadSample {
  /** The input as the user named it. */
  readonly input: string;
  /** Its value. */
  readonly value: number;
  /** Samples decoded before it (at `sampleRateHz`), so its time in the decoded audio. */
  readonly sampleIndex: number;
  readonly sampleRateHz: number;
  readonly command?: string;
}

/**
 * `"x.wav" holds a NaN sample at 1.50 s, which no audio holds: …`. Not finite means the file is damaged (or not
 * audio): only a sound copy fixes it. A finite but absurd level is fixable by a gain, so the fix names one.
 */
export function badSampleError(bad: BadSample): DecodeError {
  const atSec = (bad.sampleIndex / bad.sampleRateHz).toFixed(2);
  const what = describeBadSample(bad.value);
  const fix = Number.isFinite(bad.value)
    ? `audio stays within ±${MAX_SAMPLE_MAGNITUDE} (36 dB over full scale): re-encode it at its right level, e.g. ffmpeg -i in -af volume=-${Math.ceil(20 * Math.log10(Math.abs(bad.value)))}dB out.wav`
    : 'the file is damaged or is not audio: re-encode it from a sound copy, or cut that part out';
  return new DecodeError(`"${bad.input}" holds ${what} at ${atSec} s; ${fix}`, { input: bad.input, ...(bad.command === undefined ? {} : { command: bad.command }) });
}
