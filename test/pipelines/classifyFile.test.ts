// classifyFile: every patch once, in order, the same logits as classifying the whole decoded waveform, at any batch size.
import { from, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { classifyFile } from '../../pipelines/classifyFile.js';
import { logMelPatches } from '../../src/audio/logMel.js';
import { selectBackend } from '../../src/engine/backend.js';
import { loadYamnet, type YamnetModel } from '../../src/model/yamnet.js';
import { classifyPatches } from '../../src/operators/classifyPatches.js';
import { removeTempDirs, tempDir, writeWav } from '../ffmpeg/makeFixtures.js';
import { describeWithModel } from '../helpers/model.js';
import { sine } from '../helpers/signals.js';

describeWithModel('classifyFile', (modelPath) => {
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

  // 20 s: 41 patches (framing.patchCount of the padded length), more than two batches of 16, so decoding pauses
  // several times. Batch 16 would never finish behind a gate smaller than one batch (classifyPatches waits for a
  // full batch before it emits), which is why classifyFile sizes its gate at two batches.
  it.each([1, 8, 16])('batch %i: 41 patches in order, logits equal to the whole decoded waveform’s (same batch size, 1e-6)', async (batchSize) => {
    const samples = Int16Array.from(sine(440, 0.5, 20), (v) => Math.round(v * 32767));
    const file = writeWav(dir, `tone-${batchSize}.wav`, samples, 16_000);
    const streamed = await lastValueFrom(classifyFile(file, model, batchSize).pipe(toArray()));
    const whole = await lastValueFrom(
      from(logMelPatches(Float32Array.from(samples, (v) => v / 32768))).pipe(classifyPatches(model, { batchSize }), toArray()),
    );
    expect(streamed.map((r) => r.index)).toEqual(Array.from({ length: 41 }, (_, i) => i));
    expect(whole).toHaveLength(41);
    let worst = 0;
    streamed.forEach((r, k) => r.logits.forEach((z, c) => (worst = Math.max(worst, Math.abs(z - whole[k].logits[c])))));
    expect(worst).toBeLessThanOrEqual(1e-6);
  });
});
