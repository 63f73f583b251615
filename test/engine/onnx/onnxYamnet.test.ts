// The onnx engine against the tfjs rebuild (itself held to DESIGN.md §2 and to tfjs autodiff): logits, gradients, Blur IG.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blurIG } from '../../../src/attribution/blurIG.js';
import { selectBackend } from '../../../src/engine/backend.js';
import { loadOnnxYamnet, OnnxUnavailableError, type OnnxYamnet } from '../../../src/engine/onnx/onnxYamnet.js';
import { ModelError, OptionError } from '../../../src/errors/index.js';
import { classTarget } from '../../../src/model/classTarget.js';
import { createYamnet, parseEngineName } from '../../../src/model/createYamnet.js';
import { loadYamnet, type YamnetModel } from '../../../src/model/yamnet.js';
import type { AsyncExplainedFunction } from '../../../src/types.js';
import { describeWithModel, patchBatch, referenceSpeech } from '../../helpers/model.js';
import { sine } from '../../helpers/signals.js';

/** max |a − b| relative to max |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let [diff, scale] = [0, 0];
  for (let i = 0; i < a.length; i++) [diff, scale] = [Math.max(diff, Math.abs(a[i] - b[i])), Math.max(scale, Math.abs(b[i]))];
  return diff / scale;
}

describe('engine names', () => {
  it('accepts auto, onnx and tfjs, and names the option in its error', () => {
    expect(parseEngineName('onnx')).toBe('onnx');
    expect(() => parseEngineName('torch', '--engine')).toThrow(OptionError);
    expect(() => parseEngineName('torch', '--engine')).toThrow(/--engine.*one of `auto`, `onnx`, `tfjs`.*torch/);
  });

  it('says how to install onnxruntime-node when it is missing', () => {
    expect(new OnnxUnavailableError('onnxruntime-node is not installed').message).toMatch(/npm install onnxruntime-node.*--engine tfjs/);
  });
});

describeWithModel('YAMNet on onnxruntime', (modelPath) => {
  let onnx: OnnxYamnet;
  let reference: YamnetModel;
  // Real patches: a 440 Hz sine, the coral speech clip and silence; [B, 96, 64].
  let patches: Float32Array;
  let count: number;
  // The first patch of each signal.
  let sineAt: number;
  let speechAt: number;
  let silenceAt: number;
  beforeAll(async () => {
    await selectBackend('cpu'); // the reference gradients of test/model/yamnet.test.ts (1e-5 of tfjs autodiff)
    onnx = await loadOnnxYamnet(modelPath, { threads: 2 });
    reference = await loadYamnet(modelPath);
    const parts = [patchBatch(sine(440, 1, 1)), patchBatch(referenceSpeech()), patchBatch(new Float32Array(16_000))];
    [sineAt, speechAt, silenceAt] = [0, parts[0].shape[0], parts[0].shape[0] + parts[1].shape[0]];
    const batch = tf.concat(parts);
    tf.dispose(parts);
    patches = batch.dataSync() as Float32Array;
    count = batch.shape[0];
    batch.dispose();
  });
  afterAll(() => {
    onnx?.dispose();
    reference?.dispose();
  });

  it('gives the tfjs logits (1e-5 relative) and DESIGN.md §2’s top classes', async () => {
    const logits = await onnx.logitsOf(patches, count);
    expect(relativeError(logits, await reference.logitsOf(patches, count))).toBeLessThan(1e-5);
    const top = (b: number) => onnx.classNames[logits.subarray(b * 521, (b + 1) * 521).reduce((best, z, i, row) => (z > row[best] ? i : best), 0)];
    expect([top(sineAt), top(speechAt), top(silenceAt)]).toEqual(['Sine wave', 'Speech', 'Silence']);
  });

  it('gives the tfjs input gradients of single logits and of seeded sums (1e-4 relative)', async () => {
    for (const classes of [[0], [495], [0, 495, 500]]) {
      const seed = new Float32Array(count * 521);
      for (let b = 0; b < count; b++) for (const c of classes) seed[b * 521 + c] = 1 + c / 1000;
      const { gradients } = await onnx.logitsAndGradients(patches, count, seed);
      const expected = tf.tidy(() => {
        const weights = tf.tensor2d(seed, [count, 521]);
        return tf.grad((x) => tf.sum(tf.mul(reference.logits(x as tf.Tensor3D), weights)))(tf.tensor3d(patches, [count, 96, 64])).dataSync();
      });
      expect(gradients.some((g) => g !== 0)).toBe(true);
      expect(relativeError(gradients, expected)).toBeLessThan(1e-4);
    }
  });

  it('explains scores as the tfjs target does: values, σ′-scaled gradients (1e-4 relative)', async () => {
    const f = onnx.target([0, 495], 'score', false) as AsyncExplainedFunction;
    const outputOf = Int32Array.from({ length: count }, (_, b) => b % 2);
    const { values, gradients } = await f.gradients(patches, outputOf, 96, 64);
    const g = reference.target([0, 495], 'score', false);
    const [expectedValues, expectedGradients] = tf.tidy(() => {
      const x = tf.tensor3d(patches, [count, 96, 64]);
      const pick = tf.oneHot(outputOf, 2);
      const { value, grad } = tf.valueAndGrad((input: tf.Tensor) => tf.sum(tf.mul(g(input as tf.Tensor3D), pick), 1))(x, tf.ones([count]));
      return [value.dataSync(), grad.dataSync()];
    });
    expect(relativeError(values, expectedValues)).toBeLessThan(1e-5);
    expect(relativeError(gradients, expectedGradients)).toBeLessThan(1e-4);
    expect(relativeError(await f.values(patches, count, 96, 64), tf.tidy(() => g(tf.tensor3d(patches, [count, 96, 64])).dataSync()))).toBeLessThan(1e-5);
  });

  it('gives Blur IG the tfjs attribution: same nodes, completeness within 0.1 %, attribution within 1 % of its peak', async () => {
    await selectBackend('wasm');
    const speech = patches.subarray(speechAt * 6144, (speechAt + 1) * 6144);
    const x = { values: Float32Array.from(speech), frames: 96, bands: 64 };
    const wasm = await loadYamnet(modelPath);
    const [a, b] = [await blurIG(classTarget(wasm, 'Speech'), x), await blurIG(classTarget(onnx, 'Speech'), x)];
    wasm.dispose();
    expect(b.evaluations).toBe(a.evaluations);
    expect(b.outputs[0].completeness.relError).toBeLessThanOrEqual(0.01);
    expect(Math.abs(b.outputs[0].completeness.relError - a.outputs[0].completeness.relError)).toBeLessThan(0.001);
    expect(relativeError(b.outputs[0].attribution, a.outputs[0].attribution)).toBeLessThan(0.01);
  });

  it('leaves tf.memory().numTensors where it was over 10 Blur IG runs', async () => {
    const f = classTarget(onnx, ['Speech', 'Music']);
    const x = { values: patches.slice(0, 6144), frames: 96, bands: 64 };
    await blurIG(f, x, { maxSteps: 24 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) await blurIG(f, x, { maxSteps: 24 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses to run once disposed, and createYamnet picks it by name', async () => {
    const model = await createYamnet({ modelPath, engine: 'onnx', threads: 1 });
    expect(model.engine).toBe('onnx');
    model.dispose();
    await expect(model.logitsOf(patches.subarray(0, 6144), 1)).rejects.toThrow(ModelError);
  });
});
