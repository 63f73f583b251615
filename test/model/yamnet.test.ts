// The rebuilt YAMNet against DESIGN.md §2's reference scores, its gradients across backends, shapes, and tensor hygiene.
// The reference functions here need tfjs gradients beyond the library's own (sin, relu, conv backprop): the umbrella package, a dev dependency.
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend.js';
import { ModelError, ShapeError } from '../../src/errors/index.js';
import { loadYamnet, type YamnetModel } from '../../src/model/yamnet.js';
import { describeWithModel, patchBatch, referenceSpeech } from '../helpers/model.js';
import { sine } from '../helpers/signals.js';

/** Clip scores: mean over patches of the sigmoid scores, as DESIGN.md §2 defines them. */
function clipScores(model: YamnetModel, waveform: Float32Array): Float32Array {
  return tf.tidy(() => {
    const x = patchBatch(waveform);
    return tf.mean(model.scores(x), 0).dataSync() as Float32Array;
  });
}

function score(model: YamnetModel, scores: Float32Array, name: string): number {
  const index = model.classNames.indexOf(name);
  expect(index).toBeGreaterThanOrEqual(0);
  return scores[index];
}

function top(model: YamnetModel, scores: Float32Array): string {
  return model.classNames[scores.indexOf(Math.max(...scores))];
}

/** max |a − b| relative to max |b|. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let [diff, scale] = [0, 0];
  for (let i = 0; i < a.length; i++) [diff, scale] = [Math.max(diff, Math.abs(a[i] - b[i])), Math.max(scale, Math.abs(b[i]))];
  return diff / scale;
}

/** Gradient of the sum over the batch of one class logit (what attribution differentiates). */
function logitGradient(model: YamnetModel, x: tf.Tensor3D, classIndex: number): Float32Array {
  return tf.tidy(() => tf.grad((input) => tf.sum(tf.slice(model.logits(input as tf.Tensor3D), [0, classIndex], [-1, 1])))(x).dataSync() as Float32Array);
}

describeWithModel('YAMNet rebuilt in tfjs', (modelPath) => {
  let model: YamnetModel;
  beforeAll(async () => {
    await selectBackend('wasm');
    model = await loadYamnet(modelPath);
  });
  afterAll(() => model?.dispose());

  describe('reference scores of DESIGN.md §2 (±0.002, same top class)', () => {
    it('440 Hz sine, amplitude 1, 1 s: Sine wave 0.7361, Busy signal 0.3727, Telephone 0.3016', () => {
      const scores = clipScores(model, sine(440, 1, 1));
      expect(top(model, scores)).toBe('Sine wave');
      expect(Math.abs(score(model, scores, 'Sine wave') - 0.7361)).toBeLessThanOrEqual(0.002);
      expect(Math.abs(score(model, scores, 'Busy signal') - 0.3727)).toBeLessThanOrEqual(0.002);
      expect(Math.abs(score(model, scores, 'Telephone') - 0.3016)).toBeLessThanOrEqual(0.002);
    });

    it('440 Hz sine, amplitude 1, 3 s: Sine wave 0.9583', () => {
      const scores = clipScores(model, sine(440, 1, 3));
      expect(top(model, scores)).toBe('Sine wave');
      expect(Math.abs(score(model, scores, 'Sine wave') - 0.9583)).toBeLessThanOrEqual(0.002);
    });

    it('3 s of zeros: Silence 0.7893', () => {
      const scores = clipScores(model, new Float32Array(48_000));
      expect(top(model, scores)).toBe('Silence');
      expect(Math.abs(score(model, scores, 'Silence') - 0.7893)).toBeLessThanOrEqual(0.002);
    });

    it('coral speech clip: Speech 0.9656', () => {
      const scores = clipScores(model, referenceSpeech());
      expect(top(model, scores)).toBe('Speech');
      expect(Math.abs(score(model, scores, 'Speech') - 0.9656)).toBeLessThanOrEqual(0.002);
    });
  });

  it('describes itself and takes any batch size', () => {
    expect(model.name).toBe('YAMNet (int8 TFLite build)');
    expect(model.path).toBe(modelPath);
    expect(model.inputShape).toEqual([96, 64]);
    expect(model.classNames).toHaveLength(521);
    expect([model.classNames[0], model.classNames[494], model.classNames[495]]).toEqual(['Speech', 'Silence', 'Sine wave']);
    tf.tidy(() => {
      const x = patchBatch(sine(440, 1, 3)); // 6 patches
      const logits = model.logits(x);
      expect(logits.shape).toEqual([6, 521]);
      expect(relativeError(model.scores(x).dataSync() as Float32Array, tf.sigmoid(logits).dataSync() as Float32Array)).toBeLessThan(1e-6);
      // One patch alone gives the same logits as inside the batch.
      const single = model.logits(tf.slice(x, [2, 0, 0], [1, -1, -1]));
      expect(relativeError(single.dataSync() as Float32Array, tf.slice(logits, [2, 0], [1, -1]).dataSync() as Float32Array)).toBeLessThan(1e-5);
    });
  });

  it('rejects patches of the wrong shape with a ShapeError', () => {
    tf.tidy(() => {
      expect(() => model.logits(tf.zeros([1, 95, 64]) as tf.Tensor3D)).toThrow(new ShapeError('patch', [96, 64], [95, 64]));
      expect(() => model.logits(tf.zeros([1, 95, 64]) as tf.Tensor3D)).toThrow('Expected patch shape [96,64], got [95,64]');
      expect(() => model.scores(tf.zeros([96, 64]) as unknown as tf.Tensor3D)).toThrow('Expected patch batch shape [?,96,64], got [96,64]');
    });
  });

  it('keeps tf.memory().numTensors flat over 20 logits and gradients', () => {
    const x = patchBatch(sine(440, 1, 1));
    const run = () => {
      tf.tidy(() => void model.logits(x));
      logitGradient(model, x, 0);
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describeWithModel('YAMNet gradients', (modelPath) => {
  // Real patches (a sine and the speech clip), differentiated for Speech (0) and Sine wave (495).
  let x: tf.Tensor3D;
  const classes = [0, 495];
  let cpuCustom: YamnetModel;
  let cpu: Float32Array[];
  beforeAll(async () => {
    await selectBackend('cpu');
    x = tf.tidy(() => tf.concat([patchBatch(sine(440, 1, 0.5)), patchBatch(referenceSpeech())]) as tf.Tensor3D);
    cpuCustom = await loadYamnet(modelPath);
    cpu = classes.map((c) => logitGradient(cpuCustom, x, c));
  });
  afterAll(() => {
    x?.dispose();
    cpuCustom?.dispose();
  });

  it('custom gradients equal tfjs autodiff of the plain graph on cpu (1e-5 relative)', async () => {
    await selectBackend('cpu');
    const plain = await loadYamnet(modelPath, { gradients: 'autodiff' });
    classes.forEach((c, k) => expect(relativeError(cpu[k], logitGradient(plain, x, c))).toBeLessThan(1e-5));
    plain.dispose();
  });

  it('wasm and cpu gradients agree (1e-4 relative)', async () => {
    await selectBackend('wasm');
    const wasm = await loadYamnet(modelPath);
    classes.forEach((c, k) => {
      const g = logitGradient(wasm, x, c);
      expect(g.some((v) => v !== 0)).toBe(true);
      expect(relativeError(g, cpu[k])).toBeLessThan(1e-4);
    });
    wasm.dispose();
  });

  it('frees every tensor on dispose and refuses to run afterwards', async () => {
    await selectBackend('wasm');
    const before = tf.memory().numTensors;
    const model = await loadYamnet(modelPath);
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    model.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => model.logits(x)).toThrow(ModelError);
  });
});
