// Writes test inputs (WAVs from known samples, encodes, broken files) into a fresh temp folder, never the repo.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegBinary } from '../../src/ffmpeg/ffmpegPath.js';

const made: string[] = [];

/** A new empty folder under os.tmpdir(), removed by {@link removeTempDirs}. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'blurig-decode-'));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir made in this test file; call it from afterAll. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A 16-bit PCM WAV of interleaved `samples`; `dataBytes` overrides the size the header declares. */
export function wavBytes(samples: Int16Array, sampleRateHz: number, channels = 1, dataBytes = samples.length * 2): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRateHz, 24);
  header.writeUInt32LE(sampleRateHz * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}

/** Writes a WAV and returns its path. */
export function writeWav(dir: string, name: string, samples: Int16Array, sampleRateHz: number, channels = 1): string {
  const file = join(dir, name);
  writeFileSync(file, wavBytes(samples, sampleRateHz, channels));
  return file;
}

/** Deterministic pseudo-random int16 samples (mulberry32), covering the full range including ±extremes. */
export function knownSamples(count: number, seed = 1): Int16Array {
  let state = seed >>> 0;
  const out = new Int16Array(count);
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = (((t ^ (t >>> 14)) >>> 0) % 65536) - 32768;
  }
  out[0] = -32768;
  out[1] = 32767;
  out[2] = 0;
  return out;
}

/** Runs the project's ffmpeg to make a fixture (encode, mux); throws with its stderr on failure. */
export function runFfmpeg(args: string[]): void {
  execFileSync(ffmpegBinary().path, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A mono 32-bit IEEE float WAV (format 3) of `samples`, which may hold anything a float can: NaN, ±Infinity, 1e6. */
export function floatWavBytes(samples: Float32Array, sampleRateHz: number): Buffer {
  const data = Buffer.alloc(samples.length * 4);
  samples.forEach((s, i) => data.writeFloatLE(s, 4 * i));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(3, 20); // WAVE_FORMAT_IEEE_FLOAT
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRateHz, 24);
  header.writeUInt32LE(sampleRateHz * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(32, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * A float WAV: a 440 Hz sine at 0.1 for `seconds`, with `value` written over 100 samples from `badAtSec` on (so the
 * first bad sample sits at exactly `badAtSec`); returns its path.
 */
export function writeBadFloatWav(dir: string, name: string, value: number, badAtSec: number, seconds = 2, sampleRateHz = 16_000): string {
  const samples = Float32Array.from({ length: Math.round(seconds * sampleRateHz) }, (_, i) => 0.1 * Math.sin((2 * Math.PI * 440 * i) / sampleRateHz));
  const first = Math.round(badAtSec * sampleRateHz);
  samples.fill(value, first, first + 100);
  const file = join(dir, name);
  writeFileSync(file, floatWavBytes(samples, sampleRateHz));
  return file;
}
