// decodeAudio: any input ffmpeg can read, as a stream of 16 kHz mono Float32Array chunks in decoding order.
import { Readable } from 'node:stream';
import { isObservable, type Observable } from 'rxjs';
import { OptionError } from '../errors/index.js';
import type { DecodeSource } from '../ffmpeg/decodeArgs.js';
import { checkInputFile } from '../ffmpeg/checkInputFile.js';
import { ffmpegDecode } from '../ffmpeg/ffmpegDecode.js';

/** A path, URL or `-` (this process's stdin); a path with ffmpeg input options; or a Readable of encoded audio (piped to ffmpeg's stdin). */
export type DecodeInput = string | DecodeSource | Readable;

/** How decodeAudio may be held back by a slower downstream. */
export interface DecodeAudioOptions {
  /**
   * Stops reading ffmpeg's output while the latest value is `true` (ffmpeg then blocks, holding at most its pipe
   * buffers) and reads on after `false`, e.g. a `flowGate`'s `full`: without it a fast decode queues the whole
   * file in front of a slow stage. For files: pausing a live source only moves its backlog into ffmpeg and the
   * device (or loses it there), so live pipelines drop patches instead, and report it. @default never pauses
   */
  readonly pauseWhile?: Observable<boolean>;
  /**
   * The audio is consumed live (`explainLive`): a source ffmpeg would generate as fast as it can (`-f lavfi`, any
   * forced input format but a capture device) is read at its real rate instead, as {@link DecodeSource.live} says.
   * @default the source's own `live`, else false
   */
  readonly live?: boolean;
  /** Told once the input's declared duration in seconds, when its container states one (files, not streams). */
  readonly onDurationSec?: (durationSec: number) => void;
}

/**
 * Decodes `input` with ffmpeg to 16 kHz mono float32 (in [-1, 1] from integer formats). Emits each chunk as ffmpeg
 * writes it (never the whole file at once), completes when ffmpeg exits cleanly, and errors with a DecodeError when the input is
 * missing, empty, not audio, has no audio stream, decodes with errors, is truncated, holds no samples, or holds a
 * sample that is not audio (NaN, ±Infinity, or beyond ±64, 36 dB over full scale: see `MAX_SAMPLE_MAGNITUDE`).
 * Unsubscribing kills ffmpeg, paused or not. Cold: each subscription runs its own ffmpeg (a Readable can be consumed
 * only once).
 */
export function decodeAudio(input: DecodeInput, options: DecodeAudioOptions = {}): Observable<Float32Array> {
  const { pauseWhile, live, onDurationSec } = options;
  if (pauseWhile !== undefined && !isObservable(pauseWhile)) throw new OptionError('pauseWhile', 'an Observable of booleans', pauseWhile);
  if (live !== undefined && typeof live !== 'boolean') throw new OptionError('live', 'a boolean', live);
  if (input instanceof Readable) return ffmpegDecode({ path: '-' }, 'stdin', { stdin: input, pauseWhile, onDurationSec });
  const source: DecodeSource = typeof input === 'string' ? { path: input } : input;
  if (typeof source !== 'object' || source === null || typeof source.path !== 'string' || source.path === '') {
    throw new OptionError('input', 'a non-empty path, a { path } object or a Readable', input);
  }
  if (source.inputOptions !== undefined && !(Array.isArray(source.inputOptions) && source.inputOptions.every((o) => typeof o === 'string'))) {
    throw new OptionError('inputOptions', 'an array of strings', source.inputOptions);
  }
  const paced = live === true ? { ...source, live: true } : source;
  return ffmpegDecode(paced, source.path === '-' ? 'stdin' : source.path, { pauseWhile, onDurationSec });
}

/**
 * Rejects a missing or empty input file with the same DecodeError decoding would give, so a command can fail fast
 * before it spends time loading (or downloading) the model. Streams, URLs and ffmpeg device inputs pass.
 */
export async function checkDecodeInput(input: DecodeInput): Promise<void> {
  if (input instanceof Readable) return;
  await checkInputFile(typeof input === 'string' ? { path: input } : input);
}
