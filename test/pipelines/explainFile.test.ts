// explainFile: the streamed result equals the stages run on the whole decoded waveform, with the right frames.
import * as tf from '@tensorflow/tfjs-core';
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { explainFile } from '../../pipelines/explainFile.js';
import { logMelPatches } from '../../src/audio/logMel.js';
import { selectBackend } from '../../src/engine/backend.js';
import { loadYamnet, type YamnetModel } from '../../src/model/yamnet.js';
import { attributePatches } from '../../src/operators/attributePatches.js';
import { patchEvents } from '../../src/operators/patchEvents.js';
import { withFrames } from '../../src/operators/withFrames.js';
import type { AttributePatchesOptions, ExplainEvent, FrameAttribution } from '../../src/types.js';
import { removeTempDirs, tempDir, writeWav } from '../ffmpeg/makeFixtures.js';
import { describeWithModel } from '../helpers/model.js';
import { pidsWith, waitUntilGone } from '../helpers/processes.js';
import { sine } from '../helpers/signals.js';

const frames = (events: ExplainEvent[]): FrameAttribution[] => events.flatMap((e) => (e.kind === 'frame' ? [e.frame] : []));
const toInt16 = (w: Float32Array) => Int16Array.from(w, (v) => Math.round(v * 32767));

describeWithModel('explainFile', (modelPath) => {
  let model: YamnetModel;
  let dir: string;
  beforeAll(async () => {
    await selectBackend('wasm');
    model = await loadYamnet(modelPath);
    dir = tempDir();
  });
  afterAll(() => {
    model.dispose();
    removeTempDirs();
  });
  const fast: AttributePatchesOptions = { method: 'gradient', classes: { topK: 2 } };

  it.each([
    [0.5, 96, 1],
    [1, 144, 2],
    [3, 336, 6],
    [10.3, 1056, 21],
  ])('%f s: %i frames from %i patches, each once, in order, at index × 0.01 s', async (seconds, frameCount, patchCount) => {
    const file = writeWav(dir, `tone-${seconds}.wav`, toInt16(sine(440, 0.5, seconds)), 16_000);
    const events = await lastValueFrom(explainFile(file, model, fast).pipe(toArray()));
    expect(events.filter((e) => e.kind === 'patch')).toHaveLength(patchCount);
    const out = frames(events);
    expect(out.map((f) => f.index)).toEqual(Array.from({ length: frameCount }, (_, i) => i));
    expect(out[150 % frameCount].timeSec).toBeCloseTo((150 % frameCount) / 100, 12);
  });

  it('equals the stages run on the whole decoded waveform (Blur IG, tolerance 1e-6)', async () => {
    const waveform = sine(880, 0.4, 2.2);
    const file = writeWav(dir, 'whole.wav', toInt16(waveform), 16_000);
    const options: AttributePatchesOptions = { classes: ['Sine wave'], methodOptions: { steps: 6, maxSteps: 6 } };
    const streamed = frames(await lastValueFrom(explainFile(file, model, options).pipe(toArray())));
    const decoded = Float32Array.from(toInt16(waveform), (v) => v / 32768);
    const whole = frames(await lastValueFrom(from(logMelPatches(decoded)).pipe(attributePatches(model, options), patchEvents(), withFrames(), toArray())));
    expect(streamed).toHaveLength(whole.length);
    let worst = 0;
    streamed.forEach((frame, i) => frame.classes[0].attribution.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - whole[i].classes[0].attribution[j])))));
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('leaves tf.memory().numTensors where it started', async () => {
    const file = writeWav(dir, 'leak.wav', toInt16(sine(440, 0.5, 1.5)), 16_000);
    await lastValueFrom(explainFile(file, model, fast).pipe(toArray()));
    const before = tf.memory().numTensors;
    await lastValueFrom(explainFile(file, model, fast).pipe(toArray()));
    expect(tf.memory().numTensors).toBe(before);
  });

  it.skipIf(process.platform !== 'linux')('holds ffmpeg back: it exits only when the last few of 41 patches remain', async () => {
    // 20 s: 41 patches (framing.patchCount of the padded length). Ungated, ffmpeg is done after about 1 patch is
    // explained. Gated, it can finish only once at most 19 patches wait (the gate of 8 in flight + 8 in a scoring
    // batch + 1 of detector lookahead, less 1, plus the 3 one chunk can complete), ≤ 8 more sit decoded in the OS
    // pipe and stream buffers (≤ ~240 KiB, at 7 680 samples × 4 bytes = 30 KiB per patch hop) and 1 comes from the
    // end padding: so at least 41 − 28 = 13 are explained by then. Measured: 18, and a 60 s file holds as many back.
    const file = writeWav(dir, `held-back-${process.pid}.wav`, toInt16(sine(440, 0.5, 20)), 16_000);
    let explained = 0;
    let seen = false;
    let explainedAtExit: number | undefined;
    const poll = setInterval(() => {
      if (pidsWith(file).length > 0) seen = true;
      else if (seen && explainedAtExit === undefined) explainedAtExit = explained;
    }, 5);
    const events = await lastValueFrom(explainFile(file, model, fast).pipe(tap((e) => (explained += e.kind === 'patch' ? 1 : 0)), toArray())).finally(() =>
      clearInterval(poll),
    );
    expect(events.filter((e) => e.kind === 'patch')).toHaveLength(41);
    expect(seen).toBe(true);
    expect(explainedAtExit).toBeGreaterThanOrEqual(13);
  });

  it.skipIf(process.platform !== 'linux')('kills a held-back ffmpeg on unsubscribe', async () => {
    const file = writeWav(dir, `killed-${process.pid}.wav`, toInt16(sine(440, 0.5, 60)), 16_000);
    const subscription = await new Promise<{ unsubscribe(): void }>((resolve, reject) => {
      const running = explainFile(file, model, fast).subscribe({ next: (event) => event.kind === 'patch' && resolve(running), error: reject });
    });
    const pids = pidsWith(file);
    expect(pids).toHaveLength(1);
    subscription.unsubscribe();
    expect(await waitUntilGone(pids[0])).toBe(true);
  });
});
