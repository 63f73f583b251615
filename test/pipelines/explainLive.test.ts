// explainLive: a slow engine drops whole patches and says so, frames stay in order, and stopping frees everything.
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { explainLive } from '../../pipelines/explainLive.js';
import { selectBackend } from '../../src/engine/backend.js';
import { loadYamnet, type YamnetModel } from '../../src/model/yamnet.js';
import type { ExplainEvent } from '../../src/types.js';
import { removeTempDirs, tempDir, writeWav } from '../ffmpeg/makeFixtures.js';
import { describeWithModel } from '../helpers/model.js';
import { sine } from '../helpers/signals.js';

const ffmpegCount = (marker: string): number => {
  try {
    return execFileSync('pgrep', ['-f', marker]).toString().trim().split('\n').filter(Boolean).length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
};

describeWithModel('explainLive', (modelPath) => {
  let model: YamnetModel;
  beforeAll(async () => {
    await selectBackend('wasm');
    model = await loadYamnet(modelPath);
  });
  afterAll(() => {
    model.dispose();
    removeTempDirs();
  });

  it('drops whole patches when attribution is slower than real time, reports them, and keeps frames in order', async () => {
    const file = writeWav(tempDir(), 'live.wav', Int16Array.from(sine(440, 0.5, 4), (v) => Math.round(v * 32767)), 16_000);
    // Blur IG refined to 1e-6 takes seconds per patch; the file arrives at its real rate, a patch every 0.48 s.
    const slow = { classes: ['Sine wave'], methodOptions: { tolerance: 1e-6, absTolerance: 0, maxSteps: 192 } };
    const events: ExplainEvent[] = await lastValueFrom(explainLive({ path: file, realtime: true }, model, slow).pipe(toArray()));
    const done = events.flatMap((e) => (e.kind === 'patch' ? [e.patch.index] : []));
    const dropped = events.flatMap((e) => (e.kind === 'drop' ? [e.index] : []));
    expect(dropped.length).toBeGreaterThan(0);
    // 4 s without end padding: 398 frames, 7 patches; each is either explained or dropped, once.
    expect([...done, ...dropped].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    const frames = events.flatMap((e) => (e.kind === 'frame' ? [e.frame.index] : []));
    expect(frames.every((index, i) => i === 0 || index > frames[i - 1])).toBe(true);
    const lags = events.flatMap((e) => (e.kind === 'lag' ? [e.lagSec] : []));
    expect(lags).toHaveLength(done.length);
    expect(Math.max(...lags)).toBeGreaterThan(0);
  }, 120_000);

  it('a slow consumer holds patches back, so they are dropped and reported, not buffered', async () => {
    const file = writeWav(tempDir(), 'consumer.wav', Int16Array.from(sine(440, 0.5, 3), (v) => Math.round(v * 32767)), 16_000);
    // The fast gradient method keeps up with real time; a consumer that needs 1.2 s per patch does not.
    const slowConsumer = () => new Promise<void>((resolve) => setTimeout(resolve, 1200));
    const events: ExplainEvent[] = await lastValueFrom(
      explainLive({ path: file, realtime: true }, model, { method: 'gradient' }, { whenConsumerReady: slowConsumer }).pipe(toArray()),
    );
    const done = events.flatMap((e) => (e.kind === 'patch' ? [e.patch.index] : []));
    const dropped = events.flatMap((e) => (e.kind === 'drop' ? [e.index] : []));
    expect(dropped.length).toBeGreaterThan(0);
    expect([...done, ...dropped].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]); // 3 s live: 5 patches
  });

  it('an ffmpeg crash mid-stream ends the stream with a DecodeError after the frames that were final', { timeout: 30_000 }, async () => {
    const marker = 'sine=frequency=611:sample_rate=16000';
    const events: ExplainEvent[] = [];
    const failure = await new Promise<unknown>((resolve) => {
      // At its real rate, so the fast gradient method keeps up and no patch is dropped before the crash.
      let killed = false;
      explainLive({ path: marker, inputOptions: ['-f', 'lavfi'], realtime: true }, model, { method: 'gradient' }).subscribe({
        next: (event) => {
          events.push(event);
          if (!killed && event.kind === 'frame' && event.frame.index >= 100) {
            killed = true;
            execFileSync('pkill', ['-9', '-f', marker]);
          }
        },
        error: resolve,
      });
    });
    expect((failure as Error).name).toBe('DecodeError');
    expect((failure as Error).message).toMatch(/^ffmpeg could not decode /);
    const frames = events.flatMap((e) => (e.kind === 'frame' ? [e.frame.index] : []));
    expect(events.some((e) => e.kind === 'drop')).toBe(false);
    expect(frames).toEqual(Array.from({ length: frames.length }, (_, i) => i));
    expect(frames.length).toBeGreaterThan(100);
  });

  it('unsubscribing stops ffmpeg and, once the patch in flight ends, leaves tf.memory().numTensors where it was', async () => {
    const before = tf.memory().numTensors;
    const marker = 'sine=frequency=523:sample_rate=16000';
    const events = explainLive({ path: marker, inputOptions: ['-f', 'lavfi'] }, model, { method: 'gradient' });
    await new Promise<void>((resolve) => {
      const subscription = events.subscribe((event) => {
        if (event.kind === 'frame') {
          subscription.unsubscribe();
          resolve();
        }
      });
    });
    for (let i = 0; i < 50 && ffmpegCount(marker) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(ffmpegCount(marker)).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(tf.memory().numTensors).toBe(before);
  });
});
