// The committed student model: loading, shapes, determinism, input gradients, tensor hygiene, agreement with YAMNet.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logMelPatches } from '../../src/audio/logMel.js';
import { selectBackend } from '../../src/engine/backend.js';
import { ShapeError } from '../../src/errors/index.js';
import { createYamnet } from '../../src/model/createYamnet.js';
import { decodeStudent, defaultStudentPath, encodeStudent, loadStudent, STUDENT_NAME, type StudentModel, type StudentWeights } from '../../src/model/student/index.js';
import { packagePath } from '../../src/packageFiles.js';
import { decodeWav } from '../../src/listen/wav.js';
import { logitsOfSet, patchesOfClips } from '../../scripts/student/dataset.js';
import { agreement, sampleEvents, topK } from '../../scripts/student/evaluate.js';
import { EVAL_SEED, synthesiseSet, synthToolsAvailable } from '../../scripts/student/synth.js';
import { describeWithModel } from '../helpers/model.js';

/** The middle patch-sized stretch of speech.wav's speech (a patch with something in it). */
function speechPatches(count: number): Float32Array {
  const { samples } = decodeWav(readFileSync(packagePath('samples', 'speech.wav')));
  const patches = logMelPatches(samples).slice(4, 4 + count);
  const values = new Float32Array(count * 96 * 64);
  patches.forEach((p, i) => values.set(p.logMel, i * 96 * 64));
  return values;
}

describe('the student model (models/student)', () => {
  let model: StudentModel;
  beforeAll(async () => {
    await selectBackend('wasm');
    model = await loadStudent();
  });
  afterAll(() => model?.dispose());

  it('loads the committed weights, ≤ 2 MB, with YAMNet\'s input and 521 class names', () => {
    const dir = join(defaultStudentPath(), '..');
    expect(statSync(join(dir, 'student.json')).size + statSync(join(dir, 'student.bin')).size).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(model.name).toBe(STUDENT_NAME);
    expect(model.engine).toBe('tfjs');
    expect(model.inputShape).toEqual([96, 64]);
    expect(model.classNames).toHaveLength(521);
    expect(model.classNames[0]).toBe('Speech');
  });

  it('gives finite logits [B, 521], the same on every call and for any batch split', async () => {
    const x = speechPatches(3);
    const a = await model.logitsOf(x, 3);
    const b = await model.logitsOf(x, 3);
    const single = await model.logitsOf(x.slice(2 * 6144), 1);
    expect(a).toHaveLength(3 * 521);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(b).toEqual(a);
    for (let c = 0; c < 521; c++) expect(Math.abs(single[c] - a[2 * 521 + c])).toBeLessThanOrEqual(1e-4);
    const scores = tf.tidy(() => model.scores(tf.tensor3d(x, [3, 96, 64])).dataSync());
    expect(Math.abs(scores[0] - 1 / (1 + Math.exp(-a[0])))).toBeLessThan(1e-6);
  });

  it('rejects a patch of the wrong shape', () => {
    const wrong = tf.zeros([1, 95, 64]) as tf.Tensor3D;
    try {
      expect(() => model.logits(wrong)).toThrow(ShapeError);
    } finally {
      wrong.dispose();
    }
  });

  it('target() gives [B] for one class and [B, K] for several, with YAMNet\'s semantics', () => {
    const x = speechPatches(2);
    tf.tidy(() => {
      const input = tf.tensor3d(x, [2, 96, 64]);
      const logits = model.logits(input).arraySync();
      const one = (model.target([0], 'logit', true) as (t: tf.Tensor3D) => tf.Tensor)(input);
      const many = (model.target([0, 7], 'score', false) as (t: tf.Tensor3D) => tf.Tensor)(input);
      expect(one.shape).toEqual([2]);
      expect(many.shape).toEqual([2, 2]);
      const oneValues = one.arraySync() as number[];
      const manyValues = many.arraySync() as number[][];
      expect(Math.abs(oneValues[1] - logits[1][0])).toBeLessThan(1e-5);
      expect(Math.abs(manyValues[1][1] - 1 / (1 + Math.exp(-logits[1][7])))).toBeLessThan(1e-6);
    });
  });

  // The network is piecewise linear in its input (ReLU, max), so central differences with h = 0.01 are exact up
  // to float32 rounding (|f| ≈ 10 → ~1e-6 / 0.02 = 5e-5) unless a kink lies within ±h: tolerance 1.5e-4 + 2 %.
  it('target() input gradients equal central finite differences on the largest and some other cells (±1.5e-4 + 2 %)', () => {
    const x = speechPatches(1);
    for (const output of ['logit', 'score'] as const) {
      const f = model.target([0], output, true) as (t: tf.Tensor3D) => tf.Tensor1D;
      const value = (v: Float32Array): number => tf.tidy(() => f(tf.tensor3d(v, [1, 96, 64])).dataSync()[0]);
      const gradient = tf.tidy(() => tf.grad((t) => f(t as tf.Tensor3D))(tf.tensor3d(x, [1, 96, 64])).dataSync() as Float32Array);
      expect(gradient.every(Number.isFinite)).toBe(true);
      const cells = [...topK(gradient.map(Math.abs), 4), 0, 1000, 3000, 6143];
      const h = 0.01;
      for (const cell of cells) {
        const plus = x.slice();
        const minus = x.slice();
        plus[cell] += h;
        minus[cell] -= h;
        const numeric = (value(plus) - value(minus)) / (2 * h);
        expect(Math.abs(gradient[cell] - numeric), `${output} cell ${cell}: ${gradient[cell]} vs ${numeric}`).toBeLessThanOrEqual(1.5e-4 + 0.02 * Math.abs(numeric));
      }
      expect(Math.max(...gradient.map(Math.abs))).toBeGreaterThan(0);
    }
  });

  it('keeps tf.memory().numTensors flat over 20 logits and gradients', async () => {
    const x = speechPatches(2);
    const f = model.target([0, 3], 'score', false) as (t: tf.Tensor3D) => tf.Tensor2D;
    await model.logitsOf(x, 2);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      await model.logitsOf(x, 2);
      tf.tidy(() => void tf.grad((t) => tf.sum(f(t as tf.Tensor3D)))(tf.tensor3d(x, [2, 96, 64])).dataSync());
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  // Patches wholly inside each recorded span (samples/samples.json). Top-3, because YAMNet itself puts a sibling
  // class first on some of them (Ambulance (siren) or Emergency vehicle for Siren).
  it('names each sample event among its top 3 classes on most patches inside the span', async () => {
    const events = await sampleEvents(model, packagePath('samples'));
    expect(events.length).toBeGreaterThanOrEqual(5);
    for (const e of events) {
      expect(e.patches, `${e.file} ${e.className}`).toBeGreaterThan(0);
      expect(e.top3 / e.patches, `${e.file} ${e.className}: top-3 on ${e.top3} of ${e.patches} (usually ${e.usualTop})`).toBeGreaterThanOrEqual(0.75);
    }
  });
});

describe('the student weights format', () => {
  const architecture = { kind: 'tdnn' as const, layers: [{ width: 4, contextFrames: 3, dilationFrames: 1 }, { width: 3, contextFrames: 2, dilationFrames: 5 }], classes: 5, inputShape: [96, 64] as const };
  const weights: StudentWeights = {
    architecture,
    mean: new Float32Array(64).fill(-4),
    std: new Float32Array(64).fill(2),
    layers: [[192, 4], [8, 3], [6, 5]].map(([i, o], l) => ({ kernel: Float32Array.from({ length: i * o }, (_u, k) => Math.sin(k + l) / 3), bias: Float32Array.from({ length: o }, (_u, k) => k / 7) })),
  };

  it('round-trips float32 exactly and float16 to 1e-3 relative', () => {
    for (const dtype of ['float32', 'float16'] as const) {
      const { manifest, bin } = encodeStudent(weights, 'test', dtype);
      expect(bin.byteLength).toBe(manifest.bytes);
      const back = decodeStudent(manifest, bin);
      if (typeof back === 'string') throw new Error(back);
      back.layers.forEach((layer, l) => {
        layer.kernel.forEach((v, k) => expect(Math.abs(v - weights.layers[l].kernel[k])).toBeLessThanOrEqual(dtype === 'float32' ? 0 : 1e-3 * Math.abs(weights.layers[l].kernel[k]) + 1e-7));
      });
    }
  });

  it('says what is wrong with a mismatched file', () => {
    const { manifest, bin } = encodeStudent(weights, 'test', 'float32');
    expect(decodeStudent(manifest, bin.subarray(4))).toMatch(/bytes/);
    expect(decodeStudent({ ...manifest, architecture: { ...architecture, layers: [{ ...architecture.layers[0], width: 5 }, architecture.layers[1]] } }, bin)).toMatch(/layer0\/kernel has shape/);
    expect(decodeStudent({ ...manifest, architecture: { ...architecture, layers: [{ width: 4, contextFrames: 3, dilationFrames: 60 }, architecture.layers[1]] } }, bin)).toMatch(/more than a patch/);
    expect(decodeStudent({ ...manifest, architecture: { ...architecture, kind: 'frame-mlp' as 'tdnn' } }, bin)).toMatch(/not one this version reads/);
  });
});

const toolsPresent = await synthToolsAvailable();
if (!toolsPresent) console.warn('student agreement: skipped, it needs sox and espeak-ng (apt-get install sox espeak-ng)');

// Issue 10's bound on 1 000 fresh clips drawn as the held-out set is (1.5–4 s, seed EVAL_SEED; the model card's
// "seed 31337" row). Never trained on, but the card's variants were compared on it, so it is not blind; the card
// also reports 200 clips of seed TEST_SEED (~670 patches: small sets swing by several points between seeds, and
// these ~3 700 clear-event patches are the steadier estimate). Measured with the committed weights: top-1 80.7 %
// (2 983 of 3 695), top-3 94.9 % (the card's 80.9 % of 3 687 reads the clips back from 16-bit PCM; this test keeps
// them in float). Making and labelling the set takes one to four minutes on two cores.
describeWithModel('the student against YAMNet on freshly synthesised held-out audio', (modelPath) => {
  it.skipIf(!toolsPresent)('agrees with YAMNet on the clear-event patches: top-1 ≥ 80 %, top-3 ≥ 92 %', { timeout: 900_000 }, async () => {
    await selectBackend('wasm');
    const set = patchesOfClips(await synthesiseSet(EVAL_SEED, 1000), 48);
    const teacher = await createYamnet({ modelPath, download: false });
    const student = await loadStudent();
    try {
      const report = agreement(await logitsOfSet(teacher, set), await logitsOfSet(student, set), set.count, student.classNames);
      const { n, top1, top3 } = report.clearEvent;
      expect(n).toBeGreaterThanOrEqual(3000);
      expect(top3 / n, JSON.stringify(report.perClass)).toBeGreaterThanOrEqual(0.92);
      expect(top1 / n, JSON.stringify(report.perClass)).toBeGreaterThanOrEqual(0.8);
    } finally {
      teacher.dispose();
      student.dispose();
    }
  });
});
