// decodeAudio: any input ffmpeg can read, as a stream of 16 kHz mono Float32Array chunks in decoding order.
import { Readable } from 'node:stream';
import type { Observable } from 'rxjs';
import { OptionError } from '../errors/index.js';
import type { DecodeSource } from '../ffmpeg/decodeArgs.js';
import { checkInputFile } from '../ffmpeg/checkInputFile.js';
import { ffmpegDecode } from '../ffmpeg/ffmpegDecode.js';

/** A path, URL or `-` (this process's stdin); a path with ffmpeg input options; or a Readable of encoded audio (piped to ffmpeg's stdin). */
export type DecodeInput = string | DecodeSource | Readable;

/**
 * Decodes `input` with ffmpeg to 16 kHz mono float32 in [-1, 1]. Emits each chunk as ffmpeg writes it (never the
 * whole file at once), completes when ffmpeg exits cleanly, and errors with a DecodeError when the input is
 * missing, empty, not audio, has no audio stream, decodes with errors, is truncated, or holds no samples.
 * Unsubscribing kills ffmpeg. Cold: each subscription runs its own ffmpeg (a Readable can be consumed only once).
 */
export function decodeAudio(input: DecodeInput): Observable<Float32Array> {
  if (input instanceof Readable) return ffmpegDecode({ path: '-' }, 'stdin', input);
  const source: DecodeSource = typeof input === 'string' ? { path: input } : input;
  if (typeof source !== 'object' || source === null || typeof source.path !== 'string' || source.path === '') {
    throw new OptionError('input', 'a non-empty path, a { path } object or a Readable', input);
  }
  if (source.inputOptions !== undefined && !(Array.isArray(source.inputOptions) && source.inputOptions.every((o) => typeof o === 'string'))) {
    throw new OptionError('inputOptions', 'an array of strings', source.inputOptions);
  }
  return ffmpegDecode(source, source.path === '-' ? 'stdin' : source.path);
}

/**
 * Rejects a missing or empty input file with the same DecodeError decoding would give, so a command can fail fast
 * before it spends time loading (or downloading) the model. Streams, URLs and ffmpeg device inputs pass.
 */
export async function checkDecodeInput(input: DecodeInput): Promise<void> {
  if (input instanceof Readable) return;
  await checkInputFile(typeof input === 'string' ? { path: input } : input);
}
