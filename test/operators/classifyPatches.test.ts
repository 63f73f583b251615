// classifyPatches(): the same scores whatever the batch size, in order, sigmoid of the logits, and no tensor left behind.
import * as tf from '@tensorflow/tfjs-core';
import { from, lastValueFrom, toArray } from 'rxjs';
import { beforeAll, afterAll, expect, it } from 'vitest';
import { logMelPatches } from '../../src/audio/logMel.js';
import { selectBackend } from '../../src/engine/backend.js';
import { loadYamnet, type YamnetModel } from '../../src/model/yamnet.js';
import { classifyPatches } from '../../src/operators/classifyPatches.js';
import { describeWithModel } from '../helpers/model.js';
import { noise, sine } from '../helpers/signals.js';

describeWithModel('classifyPatches()', (modelPath) => {
  let model: YamnetModel;
  beforeAll(async () => {
    await selectBackend('wasm');
    model = await loadYamnet(modelPath);
  });
  afterAll(() => model.dispose());

  // 2.5 s: a sine then noise, 5 patches, so a batch of 3 leaves a partial batch at the end.
  const waveform = new Float32Array(40_000);
  waveform.set(sine(440, 0.8, 1.2));
  waveform.set(noise(20_800, 0.5, 3), 19_200);
  const patches = logMelPatches(waveform);

  it('gives the same logits (to 1e-4 absolute: float32 batching reorders sums) with batch 1 and batch 3, in patch order', async () => {
    const one = await lastValueFrom(from(patches).pipe(classifyPatches(model), toArray()));
    const three = await lastValueFrom(from(patches).pipe(classifyPatches(model, { batchSize: 3 }), toArray()));
    expect(one.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(three.map((r) => [r.index, r.startSec])).toEqual(one.map((r) => [r.index, r.startSec]));
    for (let k = 0; k < one.length; k++) {
      for (let c = 0; c < 521; c++) expect(Math.abs(three[k].logits[c] - one[k].logits[c])).toBeLessThan(1e-4);
    }
    const sineIndex = model.classNames.indexOf('Sine wave');
    expect(one[0].scores[sineIndex]).toBeCloseTo(1 / (1 + Math.exp(-one[0].logits[sineIndex])), 6);
    expect(one[0].scores[sineIndex]).toBeGreaterThan(one[4].scores[sineIndex]);
  });

  it('leaves tf.memory().numTensors where it was after 20 patches', async () => {
    await lastValueFrom(from(patches).pipe(classifyPatches(model, { batchSize: 2 }), toArray()));
    const before = tf.memory().numTensors;
    await lastValueFrom(from([...patches, ...patches, ...patches, ...patches]).pipe(classifyPatches(model, { batchSize: 3 }), toArray()));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a batch size that is not a positive integer when the operator is made', () => {
    expect(() => classifyPatches(model, { batchSize: 0 })).toThrow('Expected the `batchSize` option to be a positive integer, got `0` (number)');
  });
});
