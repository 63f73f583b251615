// decodeVerdict: which ffmpeg runs count as failures, and their one-line messages.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors/index.js';
import { decodeVerdict, type DecodeOutcome } from '../../src/ffmpeg/decodeVerdict.js';

const base: DecodeOutcome = {
  input: 'a.mp3',
  ffmpegInput: 'a.mp3',
  command: 'ffmpeg -i a.mp3',
  exitCode: 0,
  signal: null,
  samples: 160_000,
  sampleRateHz: 16_000,
  lengthMayDiffer: false,
  stderr: { declaredDurationSec: 10.03, startSec: 0.025, hasVideo: false, tail: 'tail' },
};

function verdict(change: Partial<Omit<DecodeOutcome, 'stderr'>> & { stderr?: Partial<DecodeOutcome['stderr']> }): DecodeError | undefined {
  return decodeVerdict({ ...base, ...change, stderr: { ...base.stderr, ...change.stderr } });
}

describe('decodeVerdict', () => {
  it('accepts a run that decoded the declared length (mp3 start offset subtracted)', () => {
    expect(verdict({})).toBeUndefined();
  });

  it('reports a non-zero exit with ffmpeg’s last error line, without the repeated file name, and keeps details', () => {
    const error = verdict({ exitCode: 1, samples: 0, stderr: { lastError: 'a.mp3: Invalid data found when processing input' } });
    expect(error).toBeInstanceOf(DecodeError);
    expect(error?.message).toBe('ffmpeg could not decode "a.mp3": Invalid data found when processing input');
    expect(error?.details).toEqual({ input: 'a.mp3', command: 'ffmpeg -i a.mp3', exitCode: 1, stderrTail: 'tail' });
  });

  it('drops the `pipe:` prefix ffmpeg gives stdin', () => {
    const error = verdict({ input: 'stdin', ffmpegInput: '-', exitCode: 1, stderr: { lastError: 'pipe:: Invalid data found when processing input' } });
    expect(error?.message).toBe('ffmpeg could not decode "stdin": Invalid data found when processing input');
  });

  it('says "no audio stream" for an empty stream map', () => {
    const error = verdict({ exitCode: 1, stderr: { lastError: "Stream map '0:a:0' matches no streams." } });
    expect(error?.message).toBe('ffmpeg could not decode "a.mp3": it has no audio stream');
  });

  it('fails a run that exited 0 after decode errors', () => {
    const error = verdict({ stderr: { lastError: 'Error while decoding stream #0:0: Invalid data found when processing input' } });
    expect(error?.message).toMatch(/^ffmpeg could not decode "a.mp3": Error while decoding stream/);
  });

  it('fails a run much shorter than the header says, with both lengths', () => {
    expect(verdict({ samples: 79_429 })?.message).toBe(
      'ffmpeg could not decode "a.mp3": the file looks truncated (decoded 4.96 s of the 10.00 s its header declares)',
    );
  });

  it('tolerates a few frames of difference, and skips the check for trimmed inputs, video, or no header', () => {
    expect(verdict({ samples: 10.01 * 16_000 - 1600 })).toBeUndefined();
    expect(verdict({ samples: 16_000, lengthMayDiffer: true })).toBeUndefined();
    expect(verdict({ samples: 16_000, stderr: { hasVideo: true } })).toBeUndefined();
    expect(verdict({ samples: 16_000, stderr: { declaredDurationSec: undefined } })).toBeUndefined();
  });

  it('fails on a packet cut short', () => {
    const error = verdict({ stderr: { declaredDurationSec: undefined, damageWarning: 'a.mp3: corrupt input packet in stream 0' } });
    expect(error?.message).toBe('ffmpeg could not decode "a.mp3": the file looks truncated (corrupt input packet in stream 0)');
  });

  it('fails a clean run that produced no samples', () => {
    expect(verdict({ samples: 0, stderr: { declaredDurationSec: undefined } })?.message).toBe('"a.mp3" contains no audio samples');
  });

  it('names the signal when ffmpeg was killed', () => {
    expect(verdict({ exitCode: null, signal: 'SIGKILL' })?.message).toBe('ffmpeg could not decode "a.mp3": ffmpeg was killed by SIGKILL');
  });
});
