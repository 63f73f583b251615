// What an input's forced format (`-f …` before `-i`) says about it: a capture device, a generated (lavfi) source, or neither (pure).
import type { DecodeSource } from './decodeArgs.js';

/**
 * ffmpeg's capture devices (libavdevice inputs): they deliver samples as the hardware makes them, so they pace
 * themselves and never end. `-re` on them would only add latency.
 */
export const CAPTURE_DEVICE_FORMATS: ReadonlySet<string> = new Set([
  'alsa', 'pulse', 'jack', 'oss', 'sndio', 'openal', 'v4l2', 'video4linux2', 'avfoundation', 'dshow', 'vfwcap',
  'gdigrab', 'x11grab', 'fbdev', 'kmsgrab', 'decklink', 'android_camera', 'iec61883', 'bktr', 'libndi_newtek',
]);

/** The format forced with `-f` among the input options (the last one wins, as in ffmpeg), if any. */
export function inputFormat(source: DecodeSource): string | undefined {
  const options = source.inputOptions ?? [];
  const at = options.lastIndexOf('-f');
  return at >= 0 && at + 1 < options.length ? options[at + 1] : undefined;
}

/** True when the input is a capture device (`-f alsa hw:0`, `-f pulse default`, …). */
export function isCaptureDevice(source: DecodeSource): boolean {
  const format = inputFormat(source);
  return format !== undefined && CAPTURE_DEVICE_FORMATS.has(format);
}

/**
 * True when ffmpeg sets the pace itself, as fast as it can: an input format that is not a capture device, such as
 * a lavfi graph (`-f lavfi sine=…`) or a file read through `-f wav`. Without a forced format (a file, a URL, stdin)
 * the input is what the user chose it to be, paced by whoever produces it.
 */
export function isSelfPacedByFfmpeg(source: DecodeSource): boolean {
  return inputFormat(source) !== undefined && !isCaptureDevice(source);
}

/**
 * True when a lavfi graph bounds its own length: a source option `d=`/`duration=`, a trim (`atrim=end=3`,
 * `atrim=duration=3`), or a file source (`amovie=`), or when the input options trim it (`-t`, `-to`).
 */
export function lavfiHasEnd(source: DecodeSource): boolean {
  const options = source.inputOptions ?? [];
  if (options.includes('-t') || options.includes('-to')) return true;
  return /(?:^|[:,;=\s])(?:d|duration|end|end_sample|end_pts|end_frame)=/.test(source.path) || /(?:^|[,;\s])a?movie=/.test(source.path);
}
