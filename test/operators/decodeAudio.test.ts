// decodeAudio against the real ffmpeg: exact samples, resampling, streaming, killing on unsubscribe, and every failure.
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodeError, OptionError } from '../../src/errors/index.js';
import { packagePath } from '../../src/packageFiles.js';
import { decodeAudio, type DecodeInput } from '../../src/operators/decodeAudio.js';
import { knownSamples, runFfmpeg, removeTempDirs, tempDir, wavBytes, writeWav } from '../ffmpeg/makeFixtures.js';
import { pidsWith, waitUntilGone } from '../helpers/processes.js';

const RATE = 16_000;
let dir: string;

beforeAll(() => {
  dir = tempDir();
});
afterAll(removeTempDirs);

function concat(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function decodeAll(input: DecodeInput): Promise<{ samples: Float32Array; chunks: number }> {
  const chunks = await lastValueFrom(decodeAudio(input).pipe(toArray()));
  return { samples: concat(chunks), chunks: chunks.length };
}

async function decodeError(input: DecodeInput): Promise<DecodeError> {
  const error: unknown = await decodeAll(input).then(
    () => new Error('expected a DecodeError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DecodeError);
  return error as DecodeError;
}

describe('decodeAudio: samples', () => {
  it('gives a 16 kHz mono s16 WAV’s samples exactly (int16 / 32768)', async () => {
    const known = knownSamples(48_123);
    const { samples } = await decodeAll(writeWav(dir, 'known.wav', known, RATE));
    expect(samples.length).toBe(known.length);
    let worst = 0;
    for (let i = 0; i < known.length; i++) worst = Math.max(worst, Math.abs(samples[i] - known[i] / 32768));
    expect(worst).toBeLessThan(1e-7);
  });

  it('resamples 44.1 kHz stereo to the right length at 16 kHz', async () => {
    const seconds = 2.5;
    const stereo = new Int16Array(44_100 * seconds * 2).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * Math.floor(i / 2)) / 44_100)));
    const { samples } = await decodeAll(writeWav(dir, 'stereo.wav', stereo, 44_100, 2));
    expect(Math.abs(samples.length - seconds * RATE)).toBeLessThanOrEqual(16); // within 1 ms
  });

  it('emits a long file in many chunks, in order', async () => {
    const known = knownSamples(RATE * 60, 7);
    const { samples, chunks } = await decodeAll(writeWav(dir, 'long.wav', known, RATE));
    expect(chunks).toBeGreaterThan(10);
    expect(samples.length).toBe(known.length);
    expect(samples[samples.length - 1]).toBe(known[known.length - 1] / 32768);
  });

  it('reads a Readable through stdin, and { path, inputOptions } inputs such as lavfi', async () => {
    const known = knownSamples(20_000, 3);
    const file = writeWav(dir, 'stdin.wav', known, RATE);
    const { samples } = await decodeAll(createReadStream(file));
    expect(samples.length).toBe(known.length);
    expect(samples[1234]).toBe(known[1234] / 32768);
    const sine = await decodeAll({ path: 'sine=frequency=440:duration=1.5:sample_rate=16000', inputOptions: ['-f', 'lavfi'] });
    expect(sine.samples.length).toBe(24_000);
  });

  it('decodes whole mp3, ogg and flac encodes without a false "truncated"', async () => {
    for (const [name, codec] of [['ok.mp3', 'libmp3lame'], ['ok.ogg', 'libvorbis'], ['ok.flac', 'flac']]) {
      const file = join(dir, name);
      runFfmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=7.3:sample_rate=44100', '-ac', '2', '-c:a', codec, file]);
      const { samples } = await decodeAll(file);
      expect(Math.abs(samples.length / RATE - 7.3)).toBeLessThan(0.05);
    }
  });

  it('reads at native rate with realtime: true', async () => {
    const started = performance.now();
    await decodeAll({ path: 'sine=frequency=440:duration=1:sample_rate=16000', inputOptions: ['-f', 'lavfi'], realtime: true });
    expect(performance.now() - started).toBeGreaterThan(800);
  });
});

describe('decodeAudio: the committed samples', () => {
  const samplesDir = packagePath('samples');
  const listed = JSON.parse(readFileSync(join(samplesDir, 'samples.json'), 'utf8')) as { file: string; durationSec: number }[];

  it.each(listed)('$file decodes to its listed duration', async ({ file, durationSec }) => {
    const { samples } = await decodeAll(join(samplesDir, file));
    expect(Math.abs(samples.length / RATE - durationSec)).toBeLessThan(0.001);
  });
});

describe.skipIf(process.platform !== 'linux')('decodeAudio: unsubscribing', () => {
  it('kills ffmpeg, leaving no process behind', async () => {
    const marker = `sine=frequency=441.${process.pid}:sample_rate=16000`; // endless, and unique to this test
    let pidsWhileRunning: number[] = [];
    let chunks = 0;
    await new Promise<void>((resolve) => {
      const subscription = decodeAudio({ path: marker, inputOptions: ['-f', 'lavfi'] }).subscribe(() => {
        if (++chunks < 3) return;
        pidsWhileRunning = pidsWith(marker); // proves the marker finds the running ffmpeg
        subscription.unsubscribe();
        resolve();
      });
    });
    expect(pidsWhileRunning).toHaveLength(1);
    // Gone means reaped too (see processExists).
    expect(await waitUntilGone(pidsWhileRunning[0])).toBe(true);
    expect(pidsWith(marker)).toEqual([]);
  });
});

describe('decodeAudio: failures are DecodeErrors with one-line messages', () => {
  it('rejects a bad input argument when called', () => {
    expect(() => decodeAudio('')).toThrow(OptionError);
    expect(() => decodeAudio({ path: 'a.wav', inputOptions: [3] as unknown as string[] })).toThrow(OptionError);
  });

  it('a missing file, before spawning ffmpeg', async () => {
    const missing = join(dir, 'x.wav');
    const error = await decodeError(missing);
    expect(error.message).toBe(`Input file "${missing}" does not exist`);
    expect(error.details.command).toBeUndefined();
  });

  it('an empty file', async () => {
    const empty = join(dir, 'empty.wav');
    writeFileSync(empty, '');
    expect((await decodeError(empty)).message).toBe(`Input file "${empty}" is empty (0 bytes)`);
  });

  it('a text file named .wav', async () => {
    const text = join(dir, 'text.wav');
    writeFileSync(text, 'This is not audio, just words in a file.\n');
    const error = await decodeError(text);
    expect(error.message).toBe(`ffmpeg could not decode "${text}": Invalid data found when processing input`);
    expect(error.details.exitCode).toBe(1);
    expect(error.details.command).toContain('f32le');
    expect(error.details.stderrTail).toContain('Invalid data');
  });

  it('a truncated mp3 (cut at half: ffmpeg decodes the first half and exits 0)', async () => {
    const whole = join(dir, 'whole.mp3');
    runFfmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=10:sample_rate=44100', '-ac', '2', '-b:a', '128k', whole]);
    const bytes = readFileSync(whole);
    const cut = join(dir, 'cut.mp3');
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const error = await decodeError(cut);
    expect(error.message).toMatch(/^ffmpeg could not decode ".*cut\.mp3": the file looks truncated \(decoded 4\.\d\d s of the 10\.0\d s its header declares\)$/);
    expect(error.details.exitCode).toBe(0);
  });

  it('a truncated WAV and a truncated FLAC', async () => {
    const wav = join(dir, 'cut.wav');
    writeFileSync(wav, wavBytes(knownSamples(RATE * 3), RATE).subarray(0, 30_001));
    expect((await decodeError(wav)).message).toMatch(/the file looks truncated \(corrupt input packet in stream 0\)$/);
    const flac = join(dir, 'whole.flac');
    runFfmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=10:sample_rate=16000', flac]);
    const cutFlac = join(dir, 'cut.flac');
    writeFileSync(cutFlac, readFileSync(flac).subarray(0, 30_000));
    expect((await decodeError(cutFlac)).message).toMatch(/^ffmpeg could not decode ".*cut\.flac": /);
  });

  it('an input with no audio stream', async () => {
    const video = join(dir, 'video.mkv');
    runFfmpeg(['-f', 'lavfi', '-i', 'testsrc=duration=1:size=64x64', '-c:v', 'mpeg4', video]);
    expect((await decodeError(video)).message).toBe(`ffmpeg could not decode "${video}": it has no audio stream`);
  });

  it('an input that decodes to zero samples', async () => {
    const zero = writeWav(dir, 'zero.wav', new Int16Array(0), RATE);
    expect((await decodeError(zero)).message).toBe(`"${zero}" contains no audio samples`);
  });
});

describe('decodeAudio onDurationSec', () => {
  // Expected: the WAV's own length (its samples / 16 000 Hz), which ffmpeg prints to 10 ms in its Duration line.
  it('tells the declared duration of a file once, before the audio ends, within 10 ms of its length', async () => {
    const path = packagePath('samples', 'tones.wav');
    const durations: number[] = [];
    let chunksBefore = -1;
    let chunks = 0;
    await lastValueFrom(
      decodeAudio(path, {
        onDurationSec: (sec) => {
          durations.push(sec);
          chunksBefore = chunks;
        },
      }).pipe(toArray()),
    ).then((all) => (chunks = all.length));
    const samples = (await lastValueFrom(decodeAudio(path).pipe(toArray()))).reduce((n, c) => n + c.length, 0);
    expect(durations).toHaveLength(1);
    expect(Math.abs(durations[0] - samples / 16_000)).toBeLessThanOrEqual(0.01);
    expect(chunksBefore).toBe(0);
  });

  it('says nothing for a source with no declared duration (lavfi)', async () => {
    const durations: number[] = [];
    await lastValueFrom(decodeAudio({ path: 'sine=frequency=440:d=1', inputOptions: ['-f', 'lavfi'] }, { onDurationSec: (sec) => durations.push(sec) }).pipe(toArray()));
    expect(durations).toEqual([]);
  });
});
