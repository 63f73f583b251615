// Reads ffmpeg's `-loglevel level+info` stderr as it streams and keeps only what decoding needs to judge the run (pure).

/** What ffmpeg said about one run, in bounded memory however long the run is. */
export interface StderrSummary {
  /** The container's declared duration (`Duration:` of the input), unless absent, N/A or only estimated from the bitrate. */
  readonly declaredDurationSec?: number;
  /** The input's `start:` offset (mp3 encoder delay, for instance); 0 when absent. */
  readonly startSec: number;
  /** The input has a real video stream (cover art excluded), so its duration may not be its audio's. */
  readonly hasVideo: boolean;
  /** Last line ffmpeg tagged `[error]` or `[fatal]`, without tags. */
  readonly lastError?: string;
  /** First warning saying a packet was cut short (`corrupt input packet`), as in a truncated WAV. */
  readonly damageWarning?: string;
  /** Last lines of stderr, tags kept, for `--verbose`. */
  readonly tail: string;
}

const TAIL_LINES = 30;
const LEVEL_LINE = /^(?:\[[^\]]* @ [^\]]*\] )?\[(panic|fatal|error|warning|info|verbose|debug|trace)\] ?(.*)$/;
const DURATION = /^\s*Duration: (?:(\d+):(\d+):(\d+(?:\.\d+)?)|N\/A)(?:, start: (-?\d+(?:\.\d+)?))?/;
// A demuxer hit end of file inside a packet. (mp3's "filesize and duration do not match" is not used: extra
// trailing data triggers it too; the length check catches truncated mp3s instead.)
const DAMAGE = /corrupt input packet/;

/** Accumulates stderr text chunk by chunk; `summary()` may be called at any time. */
export class StderrReport {
  private pending = '';
  private readonly tailLines: string[] = [];
  private level = 'info';
  private inInput = false;
  private estimated = false;
  private declared?: number;
  private start = 0;
  private video = false;
  private lastError?: string;
  private damage?: string;

  /** Feeds a piece of stderr; lines may be split across pieces. */
  push(text: string): void {
    const lines = (this.pending + text).split(/\r?\n|\r/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** Flushes a last line that had no newline (ffmpeg's final error often has none). */
  end(): void {
    if (this.pending !== '') this.line(this.pending);
    this.pending = '';
  }

  summary(): StderrSummary {
    return {
      ...(this.declared !== undefined && !this.estimated ? { declaredDurationSec: this.declared } : {}),
      startSec: this.start,
      hasVideo: this.video,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.damage !== undefined ? { damageWarning: this.damage } : {}),
      tail: [...this.tailLines, ...(this.pending !== '' ? [this.pending] : [])].join('\n'),
    };
  }

  private line(raw: string): void {
    if (raw.trim() === '') return;
    this.tailLines.push(raw);
    if (this.tailLines.length > TAIL_LINES) this.tailLines.shift();
    const tagged = LEVEL_LINE.exec(raw);
    // Untagged lines continue the previous message (e.g. "To ignore this, add a trailing '?' to the map.").
    if (tagged !== null) this.level = tagged[1];
    const text = tagged !== null ? tagged[2] : raw;
    if (tagged !== null && (this.level === 'error' || this.level === 'fatal' || this.level === 'panic')) this.lastError = text;
    if (this.level === 'warning' && DAMAGE.test(text)) this.damage ??= text;
    if (text.includes('Estimating duration from bitrate')) this.estimated = true;
    if (/^Input #0\b/.test(text)) this.inInput = true;
    else if (/^(Input #[1-9]|Output #|Stream mapping:)/.test(text)) this.inInput = false;
    if (!this.inInput) return;
    const duration = DURATION.exec(text);
    if (duration !== null && this.declared === undefined) {
      if (duration[1] !== undefined) this.declared = Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]);
      if (duration[4] !== undefined) this.start = Math.max(0, Number(duration[4]));
    }
    if (/^\s*Stream #0:\d+.*: Video: /.test(text) && !text.includes('(attached pic)')) this.video = true;
  }
}
