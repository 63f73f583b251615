// Streaming front-end: any chunking gives the whole-clip numbers; completion pads; errors and unsubscribes pass through.
import { Subject, firstValueFrom, from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { logMelPatches, logMelSpectrogram } from '../../src/audio/logMel.js';
import { padWaveform } from '../../src/audio/framing.js';
import { logMelFrames } from '../../src/operators/logMelFrames.js';
import { patches } from '../../src/operators/patches.js';
import { noise, seededRandom, sine } from '../helpers/signals.js';

/** Cuts `waveform` into chunks of random length in [minSize, maxSize]. */
function randomChunks(waveform: Float32Array, seed: number, minSize: number, maxSize: number): Float32Array[] {
  const random = seededRandom(seed);
  const chunks: Float32Array[] = [];
  for (let at = 0; at < waveform.length; ) {
    const size = minSize + Math.floor(random() * (maxSize - minSize + 1));
    chunks.push(waveform.slice(at, at + size));
    at += size;
  }
  return chunks;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

// 2.3 s of a chirp-like mixture: not a whole number of hops, so the end padding is exercised.
const waveform = new Float32Array(36_800).map((_, i) => 0.5 * Math.sin(i * 0.05 + 1e-5 * i * i));
noise(waveform.length, 0.1, 7).forEach((v, i) => (waveform[i] += v));

describe('logMelFrames() and patches() against the whole-clip front-end (tolerance 1e-6)', () => {
  const whole = logMelPatches(waveform);

  it.each([
    ['one chunk', 1, waveform.length, waveform.length],
    ['single samples', 2, 1, 1],
    ['1 to 17 samples', 3, 1, 17],
    ['1 to 10 000 samples', 4, 1, 10_000],
    ['100 to 10 000 samples', 5, 100, 10_000],
  ])('%s', async (_label, seed, minSize, maxSize) => {
    const streamed = await lastValueFrom(
      from(randomChunks(waveform, seed, minSize, maxSize)).pipe(logMelFrames(), patches(), toArray()),
    );
    expect(streamed.map((p) => [p.index, p.startFrame, p.startSec])).toEqual(
      whole.map((p) => [p.index, p.startFrame, p.startSec]),
    );
    for (let k = 0; k < whole.length; k++) expect(maxAbsDifference(streamed[k].logMel, whole[k].logMel)).toBeLessThanOrEqual(1e-6);
  });

  it('emits frames with index and time, and pads the end like the whole clip', async () => {
    const frames = await lastValueFrom(from([waveform]).pipe(logMelFrames(), toArray()));
    const { frames: count, logMel } = logMelSpectrogram(padWaveform(waveform));
    expect(frames).toHaveLength(count);
    expect(frames.map((f) => f.index)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(frames[100].timeSec).toBe(1);
    expect(maxAbsDifference(frames[count - 1].logMel, logMel.subarray((count - 1) * 64))).toBe(0);
  });

  it('without padEnd, emits only the frames the samples fill', async () => {
    const frames = await lastValueFrom(from([sine(440, 1, 1)]).pipe(logMelFrames({ padEnd: false }), toArray()));
    expect(frames).toHaveLength(1 + Math.floor((16_000 - 400) / 160));
  });

  it('emits a frame as soon as its samples arrive, before the source completes', async () => {
    const source = new Subject<Float32Array>();
    const first = firstValueFrom(source.pipe(logMelFrames()));
    source.next(new Float32Array(399));
    source.next(new Float32Array(1));
    const frame = await first;
    expect(frame.index).toBe(0);
  });

  it('passes errors through after the frames already made', async () => {
    const source = new Subject<Float32Array>();
    const seen: number[] = [];
    const failure = new Promise<unknown>((resolve) =>
      source.pipe(logMelFrames()).subscribe({ next: (f) => seen.push(f.index), error: resolve }),
    );
    source.next(new Float32Array(720));
    source.error(new Error('decoder died'));
    expect(((await failure) as Error).message).toBe('decoder died');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('stops pulling from the source on unsubscribe', () => {
    const source = new Subject<Float32Array>();
    const subscription = source.pipe(logMelFrames(), patches()).subscribe();
    expect(source.observed).toBe(true);
    subscription.unsubscribe();
    expect(source.observed).toBe(false);
  });
});
