// StderrReport: the declared duration, errors and damage warnings out of ffmpeg's level-tagged stderr.
import { describe, expect, it } from 'vitest';
import { StderrReport } from '../../src/ffmpeg/stderrReport.js';

// Lines as ffmpeg 4.1 printed them for a truncated mp3 (see decodeAudio.test.ts for how it is made).
const TRUNCATED_MP3 = `[mp3 @ 0x32341c40] [warning] filesize and duration do not match (growing file?)
[info] Input #0, mp3, from 't.mp3':
[info]   Metadata:
[info]     encoder         : Lavf58.24.100
[info]   Duration: 00:00:10.03, start: 0.025057, bitrate: 63 kb/s
[info]     Stream #0:0: Audio: mp3, 44100 Hz, stereo, fltp, 128 kb/s
[info] Stream mapping:
[info]   Stream #0:0 -> #0:0 (mp3 (mp3float) -> pcm_f32le (native))
[info] Output #0, f32le, to 'pipe:1':
[info]   Duration: 00:00:99.00, start: 0.000000
`;

function report(text: string, pieces = 1): StderrReport {
  const r = new StderrReport();
  const size = Math.ceil(text.length / pieces);
  for (let i = 0; i < text.length; i += size) r.push(text.slice(i, i + size));
  r.end();
  return r;
}

describe('StderrReport', () => {
  it('reads the input duration and start, ignoring the output section', () => {
    const s = report(TRUNCATED_MP3).summary();
    expect(s.declaredDurationSec).toBeCloseTo(10.03, 6);
    expect(s.startSec).toBeCloseTo(0.025057, 6);
    expect(s.hasVideo).toBe(false);
    expect(s.lastError).toBeUndefined();
  });

  it('gives the same summary when lines arrive split across chunks', () => {
    expect(report(TRUNCATED_MP3, 37).summary()).toEqual(report(TRUNCATED_MP3).summary());
  });

  it('drops a duration that ffmpeg only estimated from the bitrate, and N/A', () => {
    const estimated = `[wav @ 0x1] [warning] Estimating duration from bitrate, this may be inaccurate\n[info] Input #0, wav, from 'x.wav':\n[info]   Duration: 00:00:03.12, bitrate: 256 kb/s\n`;
    expect(report(estimated).summary().declaredDurationSec).toBeUndefined();
    const na = `[info] Input #0, lavfi, from 'sine':\n[info]   Duration: N/A, start: 0.000000, bitrate: 705 kb/s\n`;
    expect(report(na).summary().declaredDurationSec).toBeUndefined();
  });

  it('keeps the last error line (a final line without newline too), not its untagged continuation', () => {
    const text = `[info] Input #0, matroska,webm, from 'v.mkv':\n[info]     Stream #0:0: Video: mpeg4, yuv420p, 64x64\n[fatal] Stream map '0:a:0' matches no streams.\nTo ignore this, add a trailing '?' to the map.\n[error] x.wav: Invalid data found when processing input`;
    const s = report(text).summary();
    expect(s.lastError).toBe('x.wav: Invalid data found when processing input');
    expect(s.hasVideo).toBe(true);
  });

  it('does not count cover art as video', () => {
    const text = `[info] Input #0, mp3, from 'a.mp3':\n[info]     Stream #0:1: Video: mjpeg, yuvj420p, 500x500, 90k tbr (attached pic)\n`;
    expect(report(text).summary().hasVideo).toBe(false);
  });

  it('notices a packet cut short by end of file', () => {
    const text = `[warning] x.wav: corrupt input packet in stream 0\n`;
    expect(report(text).summary().damageWarning).toBe('x.wav: corrupt input packet in stream 0');
  });

  it('keeps a bounded tail', () => {
    const many = Array.from({ length: 500 }, (_, i) => `[info] line ${i}`).join('\n');
    const tail = report(many).summary().tail.split('\n');
    expect(tail.length).toBe(30);
    expect(tail.at(-1)).toBe('[info] line 499');
  });
});
