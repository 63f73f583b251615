// explainFile: the streamed result equals the stages run on the whole decoded waveform, with the right frames.
import * as tf from '@tensorflow/tfjs';
import { from, lastValueFrom, toArray } from 'rxjs';
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
});
