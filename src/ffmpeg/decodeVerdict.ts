// Decides, once ffmpeg has exited, whether a decode failed and with which one-line DecodeError (pure).
import { DecodeError } from '../errors/index.js';
import type { StderrSummary } from './stderrReport.js';

/** How one ffmpeg run ended and what it produced. */
export interface DecodeOutcome {
  /** The input as the user named it, for messages. */
  readonly input: string;
  /** The input as ffmpeg was given it (`-` for a stream); ffmpeg prefixes messages with it. */
  readonly ffmpegInput: string;
  /** The command line, for error details. */
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Mono samples written to stdout. */
  readonly samples: number;
  readonly sampleRateHz: number;
  /** Skip the length check: the input was trimmed on purpose (`-t`, `-ss`) or is live. */
  readonly lengthMayDiffer: boolean;
  readonly stderr: StderrSummary;
}

/**
 * Slack between decoded and declared length: header durations are rounded to 10 ms, and codecs pad or trim
 * a frame or two (measured: mp3, ogg, opus, aac, flac and wav all within 20 ms of the header at 7.3 s).
 */
export function lengthToleranceSec(declaredSec: number): number {
  return 0.1 + 0.005 * declaredSec;
}

/** The error this run deserves, or undefined when it succeeded. */
export function decodeVerdict(outcome: DecodeOutcome): DecodeError | undefined {
  const { stderr } = outcome;
  const fail = (reason: string): DecodeError =>
    new DecodeError(`ffmpeg could not decode "${outcome.input}": ${reason}`, {
      input: outcome.input,
      command: outcome.command,
      exitCode: outcome.exitCode,
      stderrTail: stderr.tail,
    });
  // ffmpeg names stdin `pipe:` in its messages.
  const strip = (line: string): string => [outcome.ffmpegInput, outcome.input, 'pipe:'].reduce(stripPrefix, line);

  if (outcome.exitCode !== 0) {
    if (outcome.signal !== null) return fail(`ffmpeg was killed by ${outcome.signal}`);
    const said = stderr.lastError ?? `ffmpeg exited with code ${String(outcome.exitCode)}`;
    return fail(/matches no streams|does not contain any stream/.test(said) ? 'it has no audio stream' : strip(said));
  }
  const decodedSec = outcome.samples / outcome.sampleRateHz;
  if (!outcome.lengthMayDiffer && !stderr.hasVideo && stderr.declaredDurationSec !== undefined) {
    const expectedSec = stderr.declaredDurationSec - stderr.startSec;
    if (decodedSec < expectedSec - lengthToleranceSec(expectedSec)) {
      return fail(`the file looks truncated (decoded ${decodedSec.toFixed(2)} s of the ${expectedSec.toFixed(2)} s its header declares)`);
    }
  }
  if (stderr.damageWarning !== undefined) return fail(`the file looks truncated (${strip(stderr.damageWarning)})`);
  // ffmpeg exits 0 after skipping undecodable frames; any error line means the audio has holes.
  if (stderr.lastError !== undefined) return fail(strip(stderr.lastError));
  if (outcome.samples === 0) {
    return new DecodeError(`"${outcome.input}" contains no audio samples`, {
      input: outcome.input,
      command: outcome.command,
      exitCode: outcome.exitCode,
      stderrTail: stderr.tail,
    });
  }
  return undefined;
}

/** ffmpeg prefixes many messages with the input name, which our message already shows. */
function stripPrefix(line: string, input: string): string {
  return line.startsWith(`${input}: `) ? line.slice(input.length + 2) : line;
}
