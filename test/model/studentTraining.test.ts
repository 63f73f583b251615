// The student's training graph (scripts/student/trainGraph.ts) and tfjs forward pass agree, and both gradients are right.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { importOnnxRuntime } from '../../src/engine/onnx/onnxYamnet.js';
import { StudentTensors, studentLogits, type StudentArchitecture, type StudentWeights } from '../../src/model/student/index.js';
import { Random } from '../../scripts/student/random.js';
import { initialWeights, softmaxTargets } from '../../scripts/student/trainer.js';
import { trainingGraph } from '../../scripts/student/trainGraph.js';

// Small, but with every feature of the committed one: a context of 3 in a row, then dilated contexts (4 and 8 apart).
const dilated: StudentArchitecture = {
  kind: 'tdnn',
  layers: [
    { width: 6, contextFrames: 3, dilationFrames: 1 },
    { width: 5, contextFrames: 3, dilationFrames: 4 },
    { width: 4, contextFrames: 2, dilationFrames: 8 },
  ],
  classes: 7,
  inputShape: [96, 64],
};
// Time averaging too, with a remainder dropped (94 frames by 4: 23 kept) and without one (21 by 3).
const pooled: StudentArchitecture = {
  kind: 'tdnn',
  layers: [
    { width: 6, contextFrames: 3, dilationFrames: 1, poolFrames: 4 },
    { width: 5, contextFrames: 3, dilationFrames: 1, poolFrames: 3 },
    { width: 4, contextFrames: 2, dilationFrames: 2 },
  ],
  classes: 7,
  inputShape: [96, 64],
};
const BATCH = 3;
/** Whether every patch's softmax keeps exactly 3 of the 7 classes. */
const kept3 = (mask: Float32Array): boolean => [0, 1, 2].every((b) => mask.subarray(b * 7, b * 7 + 7).filter((v) => v === 0).length === 3);

// The softmax term over all 7 classes for the dilated network, over each patch's teacher top 3 for the averaging one.
function fixture(architecture: StudentArchitecture): { weights: StudentWeights; patches: Float32Array; targets: Float32Array; lossWeights: Float32Array; teacherSoftmax: Float32Array; softmaxMask: Float32Array } {
  const rng = new Random(20261201);
  const mean = Float32Array.from({ length: 64 }, () => rng.uniform(-6, -2));
  const std = Float32Array.from({ length: 64 }, () => rng.uniform(0.5, 2));
  const weights = initialWeights(architecture, 7, mean, std);
  weights.layers.forEach((l) => l.bias.forEach((_v, k) => (l.bias[k] = rng.uniform(-0.1, 0.3))));
  const patches = Float32Array.from({ length: BATCH * 96 * 64 }, (_u, k) => mean[k % 64] + std[k % 64] * rng.uniform(-1.7, 1.7));
  const targets = Float32Array.from({ length: BATCH * 7 }, () => rng.uniform(0, 1));
  const lossWeights = Float32Array.from({ length: BATCH * 7 }, () => rng.uniform(0.5, 5) / BATCH);
  const teacherLogits = Float32Array.from({ length: BATCH * 7 }, () => rng.uniform(-3, 3));
  const { teacherSoftmax, softmaxMask } = softmaxTargets(teacherLogits, BATCH, 7, { weight: 0.5, temperature: 2, topClasses: architecture === pooled ? 3 : 0 });
  return { weights, patches, targets, lossWeights, teacherSoftmax, softmaxMask };
}

interface OrtTensor {
  readonly data: unknown;
}
type Session = { run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>; release(): Promise<void> };
type Ort = { InferenceSession: { create(model: Uint8Array): Promise<Session> }; Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor };

const ort = (await importOnnxRuntime().catch(() => null)) as unknown as Ort | null;
if (ort === null) console.warn('student training graph: skipped, onnxruntime-node is not installed');

describe.each([['dilated contexts', dilated], ['time averaging', pooled]] as const)('the student training graph with %s', (_name, architecture) => {
  // Expected values: the tfjs forward pass (src/model/student/network.ts) for logits, central differences of the
  // graph's own loss for weight gradients (central, or one-sided where a ReLU kink or a change of the max lies
  // within ±h). float32 throughout: tolerance 2e-4 on logits (|z| ≲ 5), and 2e-3 + 3 % on gradients (h = 1e-2 on a
  // loss of ~20 leaves ~2e-4 of rounding in a central difference, ~4e-4 in a one-sided one).
  it.skipIf(ort === null)('gives the tfjs network\'s logits and weight gradients equal to central differences of its loss', async () => {
    const { weights, patches, targets, lossWeights, teacherSoftmax, softmaxMask } = fixture(architecture);
    const session = await ort!.InferenceSession.create(trainingGraph(architecture, weights.mean, weights.std, { weight: 0.5, temperature: 2 }));
    const run = async (): Promise<Record<string, OrtTensor>> => {
      const feeds: Record<string, OrtTensor> = {
        patches: new ort!.Tensor('float32', patches, [BATCH, 96, 64]),
        targets: new ort!.Tensor('float32', targets, [BATCH, 7]),
        lossWeights: new ort!.Tensor('float32', lossWeights, [BATCH, 7]),
        teacherSoftmax: new ort!.Tensor('float32', teacherSoftmax, [BATCH, 7]),
        softmaxMask: new ort!.Tensor('float32', softmaxMask, [BATCH, 7]),
        batchScale: new ort!.Tensor('float32', Float32Array.of(1 / BATCH), [1]),
      };
      weights.layers.forEach((l, i) => {
        feeds[`k${i}`] = new ort!.Tensor('float32', l.kernel, [l.kernel.length / l.bias.length, l.bias.length]);
        feeds[`b${i}`] = new ort!.Tensor('float32', l.bias, [l.bias.length]);
      });
      return session.run(feeds);
    };
    try {
      const out = await run();
      const tensors = StudentTensors.create(weights);
      const expected = tf.tidy(() => studentLogits(tf.tensor3d(patches, [BATCH, 96, 64]), tensors).dataSync());
      tensors.dispose();
      const logits = out.logits.data as Float32Array;
      expect(expected.length).toBe(BATCH * 7);
      logits.forEach((z, k) => expect(Math.abs(z - expected[k]), `logit ${k}`).toBeLessThanOrEqual(2e-4));
      // The loss, recomputed in float64 from those logits: Σ w·(softplus(z) − t·z) − 0.5·T²/B·Σ p·log softmax(z/T)
      // over each patch's kept classes (mask 0). Tolerance 1e-4 relative (float32 sums of ~20 terms).
      let want = 0;
      for (let b = 0; b < BATCH; b++) {
        const kept = [0, 1, 2, 3, 4, 5, 6].filter((c) => softmaxMask[b * 7 + c] === 0);
        const scaled = kept.map((c) => logits[b * 7 + c] / 2);
        const top = Math.max(...scaled);
        const logTotal = top + Math.log(scaled.reduce((sum, v) => sum + Math.exp(v - top), 0));
        kept.forEach((c, j) => (want -= ((0.5 * 4) / BATCH) * teacherSoftmax[b * 7 + c] * (scaled[j] - logTotal)));
        for (let c = 0; c < 7; c++) {
          const z = logits[b * 7 + c];
          want += lossWeights[b * 7 + c] * (Math.log1p(Math.exp(z)) - targets[b * 7 + c] * z);
        }
      }
      expect(kept3(softmaxMask)).toBe(architecture === pooled);
      expect(Math.abs((out.loss.data as Float32Array)[0] - want)).toBeLessThanOrEqual(1e-4 * Math.abs(want));

      const loss = async (): Promise<number> => ((await run()).loss.data as Float32Array)[0];
      const h = 1e-2;
      let checked = 0;
      for (const [i, layer] of weights.layers.entries()) {
        for (const [name, values] of [[`k${i}`, layer.kernel], [`b${i}`, layer.bias]] as const) {
          const gradient = Float32Array.from(out[`d${name}`].data as Float32Array);
          expect(gradient).toHaveLength(values.length);
          expect(gradient.every(Number.isFinite)).toBe(true);
          const largest = gradient.reduce((best, g, k) => (Math.abs(g) > Math.abs(gradient[best]) ? k : best), 0);
          for (const k of new Set([largest, 0, Math.floor(values.length / 2), values.length - 1])) {
            const original = values[k];
            values[k] = original + h;
            const plus = await loss();
            values[k] = original - h;
            const minus = await loss();
            values[k] = original;
            // A kink within ±h bends the central difference; then one side's difference is the gradient.
            const base = await loss();
            const nearest = [(plus - minus) / (2 * h), (plus - base) / h, (base - minus) / h].reduce((best, d) => (Math.abs(d - gradient[k]) < Math.abs(best - gradient[k]) ? d : best));
            expect(Math.abs(gradient[k] - nearest), `${name}[${k}]: ${gradient[k]} vs ${nearest}`).toBeLessThanOrEqual(2e-3 + 0.03 * Math.abs(nearest));
            checked++;
          }
        }
        expect(Math.max(...Array.from(out[`dk${i}`].data as Float32Array, Math.abs)), `dk${i} is not all zero`).toBeGreaterThan(0);
      }
      expect(checked).toBeGreaterThanOrEqual(24);
    } finally {
      await session.release();
    }
  });
});

describe.each([['dilated contexts', dilated], ['time averaging', pooled]] as const)('the tfjs student network with %s', (_name, architecture) => {
  // Piecewise linear in the input, so central differences with h = 1e-2 are exact up to float32 rounding
  // (|z| ≲ 5 → ~5e-7 / 2e-2 ≈ 3e-5) unless a ReLU kink or a change of the max lies within ±h: 2e-4 + 2 %.
  it('has input gradients equal to central differences, and stays within its tensors', () => {
    const { weights, patches } = fixture(architecture);
    const tensors = StudentTensors.create(weights);
    const before = tf.memory().numTensors;
    const one = patches.slice(0, 96 * 64);
    const mix = [0.3, -1, 0.7, 0.2, -0.4, 1.1, 0.5];
    const value = (x: tf.Tensor3D): tf.Tensor => tf.sum(tf.mul(studentLogits(x, tensors), tf.tensor1d(mix)));
    try {
      const gradient = tf.tidy(() => tf.grad((x) => value(x as tf.Tensor3D))(tf.tensor3d(one, [1, 96, 64])).dataSync() as Float32Array);
      const at = (v: Float32Array): number => tf.tidy(() => value(tf.tensor3d(v, [1, 96, 64])).dataSync()[0]);
      const largest = gradient.reduce((best, g, k) => (Math.abs(g) > Math.abs(gradient[best]) ? k : best), 0);
      const h = 1e-2;
      // Cells in the first and last frames (reached by one context position only) and in the middle (by many).
      for (const cell of [largest, 0, 63, 40 * 64 + 10, 95 * 64 + 63, 50 * 64 + 32]) {
        const plus = one.slice();
        const minus = one.slice();
        plus[cell] += h;
        minus[cell] -= h;
        const numeric = (at(plus) - at(minus)) / (2 * h);
        expect(Math.abs(gradient[cell] - numeric), `cell ${cell}: ${gradient[cell]} vs ${numeric}`).toBeLessThanOrEqual(2e-4 + 0.02 * Math.abs(numeric));
      }
      expect(Math.abs(gradient[largest])).toBeGreaterThan(0);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      tensors.dispose();
    }
  });
});
