// ffmpeg could not read or decode an input.
import { BlurigError } from './BlurigError.js';

/** Decoding failed; `stderrTail` keeps ffmpeg's last lines for `--verbose`. */
export class DecodeError extends BlurigError {
  override readonly name = 'DecodeError';
  constructor(
    message: string,
    readonly details: { input: string; command?: string; exitCode?: number | null; stderrTail?: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
