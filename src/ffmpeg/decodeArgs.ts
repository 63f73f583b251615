// Builds the ffmpeg argument list that decodes one input to 16 kHz mono float32 little-endian on stdout (pure).
import { YAMNET_FRONT_END } from '../types.js';
import { isSelfPacedByFfmpeg } from './inputFormat.js';

/** An input for ffmpeg to decode, with the options that go before its `-i`. */
export interface DecodeSource {
  /** File path, URL, `-` for stdin, or a device / lavfi spec when `inputOptions` name its format (`-f lavfi`). */
  readonly path: string;
  /** Input options placed before `-i`, e.g. `['-f', 'lavfi']` or `['-ss', '5', '-t', '10']`. @default [] */
  readonly inputOptions?: readonly string[];
  /** Read the input at its native rate (`-re`), to simulate a live source. @default false */
  readonly realtime?: boolean;
  /**
   * The input is consumed live (as `explainLive` does). A source read through an input format (`-f lavfi`, `-f wav`)
   * that is not a capture device is then read at its real rate (`-re`): ffmpeg would otherwise make a lavfi graph as
   * fast as it can, hours of audio a minute, and a live consumer would drop nearly all of it. Capture devices (alsa,
   * pulse, v4l2, …) deliver at their own rate and get no `-re`. @default false
   */
  readonly live?: boolean;
}

/**
 * Arguments for `ffmpeg …args`. Logging is `level+info` rather than `error`: the info-level input dump carries the
 * container's declared `Duration:` (needed to detect truncated files), and the `[level]` tag on every line lets us
 * pick the real error lines out of that dump. `-nostats` drops the progress line, `-nostdin` keeps ffmpeg from
 * eating the terminal's keystrokes unless stdin is the input.
 */
export function decodeArgs(source: DecodeSource): string[] {
  const readsStdin = source.path === '-' || source.path === 'pipe:' || source.path === 'pipe:0';
  return [
    '-hide_banner',
    '-nostats',
    ...['-loglevel', 'level+info'],
    ...(readsStdin ? [] : ['-nostdin']),
    ...(readsAtRealRate(source) ? ['-re'] : []),
    ...(source.inputOptions ?? []),
    ...['-i', source.path],
    // The first audio stream only; an input without one fails with "matches no streams" instead of decoding nothing.
    ...['-map', '0:a:0'],
    ...['-vn', '-sn', '-dn'],
    ...['-ac', '1', '-ar', String(YAMNET_FRONT_END.sampleRateHz), '-f', 'f32le'],
    'pipe:1',
  ];
}

/**
 * Whether ffmpeg gets `-re`: asked for (`realtime`), or a live source that would otherwise run faster than real time
 * (see {@link DecodeSource.live}); never twice, when the input options already pace it (`-re`, `-readrate`).
 */
export function readsAtRealRate(source: DecodeSource): boolean {
  const options = source.inputOptions ?? [];
  if (options.includes('-re') || options.includes('-readrate')) return false;
  if (source.realtime === true) return true;
  return source.live === true && isSelfPacedByFfmpeg(source);
}

/** True when the input options cut the input short (`-t`, `-ss`, …), so the decoded length may not match the header. */
export function trimsInput(source: DecodeSource): boolean {
  return (source.inputOptions ?? []).some((option) => TRIM_OPTIONS.has(option));
}

const TRIM_OPTIONS = new Set(['-t', '-to', '-ss', '-sseof']);

/** The command as one line for error details and `--verbose`, quoting arguments that need it. */
export function formatCommand(binary: string, args: readonly string[]): string {
  return [binary, ...args].map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
