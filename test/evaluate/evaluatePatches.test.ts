// evaluatePatches and summariseEvaluation on a linear classifier, whose exact importance order and randomisation are known.
import * as tf from '@tensorflow/tfjs-core';
import { from, lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/attribution/random.js';
import { selectBackend } from '../../src/engine/backend.js';
import { chooseMethods, EVALUATED_METHODS } from '../../src/evaluate/methods.js';
import { mean } from '../../src/evaluate/summary.js';
import { TfjsClassifier } from '../../src/model/tfjsClassifier.js';
import { evaluatePatches, type PatchEvaluation } from '../../src/operators/evaluatePatches.js';
import { summariseEvaluation } from '../../src/operators/summariseEvaluation.js';
import type { ClassifierModel, EvaluatedMethod, ScoredPatch } from '../../src/types.js';
import { OptionError } from '../../src/errors/index.js';

const [FRAMES, BANDS] = [96, 64];
const SIZE = FRAMES * BANDS;

/** logit_k(x) = Σ W_k ⊙ x / 40 + c_k for two classes: its IG from any baseline ranks the cells by W_k ⊙ (x − b) exactly. */
class LinearModel extends TfjsClassifier {
  readonly name = 'linear test model';
  readonly weightLayers = ['logits'];
  private readonly kernel: tf.Tensor2D; // [SIZE, 2]
  constructor(readonly weights: Float32Array) {
    super('linear', ['a', 'b']);
    this.kernel = tf.tensor2d(weights, [SIZE, 2]);
  }
  logits(x: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => tf.add(tf.mul(tf.matMul(tf.reshape(x, [x.shape[0], SIZE]), this.kernel), 1 / 40), tf.tensor1d([1, -0.5]))) as tf.Tensor2D; // [B, 2]
  }
  /** The same model with its weights permuted by a seeded shuffle: the randomisation test's copy. */
  async randomised(topLayers: number, seed: number): Promise<ClassifierModel> {
    if (topLayers === 0) return new LinearModel(this.weights);
    const shuffled = Float32Array.from(this.weights);
    const random = mulberry32(seed + 1);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    return new LinearModel(shuffled);
  }
  protected release(): void {
    this.kernel.dispose();
  }
}

function scoredPatch(model: LinearModel, index: number, values: Float32Array): ScoredPatch {
  const logits = tf.tidy(() => model.logits(tf.tensor3d(values, [1, FRAMES, BANDS])).dataSync() as Float32Array);
  return { index, startSec: index * 0.48, startFrame: index * 48, frames: FRAMES, bands: BANDS, logMel: values, logits, scores: logits.map((z) => 1 / (1 + Math.exp(-z))), explain: [0] };
}

const random = mulberry32(7);
const weights = Float32Array.from({ length: 2 * SIZE }, () => random() * 2 - 1);
const inputs = [0, 1, 2].map(() => Float32Array.from({ length: SIZE }, () => -6.9 + 5 * random()));
const byName = (names: string[]): EvaluatedMethod[] => EVALUATED_METHODS.filter((m) => names.includes(m.name));

describe('evaluatePatches on a linear classifier', () => {
  beforeAll(() => selectBackend('cpu'));
  const settings = { intervals: 16, spacing: 'ends' as const, randomizationLevels: [1], sanityPatches: 2, minScore: 0, seed: 3 };

  it('the exact order beats the random control on both curves and both references; the randomisation test separates them', async () => {
    const model = new LinearModel(weights);
    const methods = byName(['integrated-gradients', 'random']);
    const before = tf.memory().numTensors;
    const evaluations = await lastValueFrom(from(inputs.map((x, i) => scoredPatch(model, i, x))).pipe(evaluatePatches(model, methods, settings), toArray()));
    expect(tf.memory().numTensors).toBe(before); // the randomised copy is disposed with the subscription
    expect(evaluations.map((e) => e.index)).toEqual([0, 1, 2]);
    const [ig, control] = [0, 1].map((m) => evaluations.flatMap((e) => e.methods[m].figures));
    for (const ref of ['silence', 'blur'] as const) {
      // IG of a linear logit under a monotone sigmoid ranks cells by W ⊙ (x − b): the best deletion order there is
      // for the silence reference; against the blurred patch it is still far better than chance.
      expect(mean(ig.map((f) => f.deletionAuc[ref]))!).toBeLessThan(mean(control.map((f) => f.deletionAuc[ref]))!);
      expect(mean(ig.map((f) => f.insertionAuc[ref]))!).toBeGreaterThan(mean(control.map((f) => f.insertionAuc[ref]))!);
    }
    // Sanity patches: the first 2 where class 0 is explained. IG follows the permuted weights (|ρ| near 0: the
    // permutation is independent of x); the random control's ranks do not move (|ρ| = 1, the sign follows F's change).
    expect(ig.map((f) => f.randomization.length)).toEqual([1, 1, 0]);
    for (const f of ig.slice(0, 2)) expect(Math.abs(f.randomization[0].rankCorrelation!)).toBeLessThan(0.1);
    for (const f of control.slice(0, 2)) expect(Math.abs(f.randomization[0].rankCorrelation!)).toBeCloseTo(1, 12);
    // Completeness of IG on a linear logit under a sigmoid: the 32-node Gauss–Legendre rule is exact to float32 rounding.
    for (const f of ig) expect(f.completenessError).toBeLessThan(1e-3);
    model.dispose();
  });

  it('summarises per method and per class, with means over patches and no NaN', async () => {
    const model = new LinearModel(weights);
    const methods = byName(['gradient', 'random']);
    const patches = inputs.map((x, i) => ({ ...scoredPatch(model, i, x), explain: i === 2 ? [0, 1] : [0] }));
    const evaluations: PatchEvaluation[] = await lastValueFrom(from(patches).pipe(evaluatePatches(model, methods, { ...settings, randomizationLevels: [] }), toArray()));
    const [summary] = await lastValueFrom(from(evaluations).pipe(summariseEvaluation(model.classNames, methods, { spans: [{ class: 'a', startSec: 0, endSec: 0.5 }], defaultName: 'gradient', intervals: 16 }), toArray()));
    expect(summary.patches).toBe(3);
    expect(summary.classes).toEqual([
      { classIndex: 0, name: 'a', patches: 3 },
      { classIndex: 1, name: 'b', patches: 1 },
    ]);
    const [gradient, control] = summary.methods;
    expect([gradient.name, gradient.default, control.default]).toEqual(['gradient', true, false]);
    expect(gradient.pairs).toBe(4);
    expect(gradient.perClass.map((c) => [c.name, c.pairs])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect(gradient.randomizationRankCorrelation).toBeNull(); // no randomisation asked
    expect(gradient.completenessError).toBeNull(); // the gradient has no baseline
    expect(gradient.insideShare).toBeGreaterThan(0); // class a's span covers the first 50 frames; class b has none
    expect(gradient.curves.fractions).toHaveLength(17);
    expect(gradient.curves.fractions[1]).toBeCloseTo((1 - Math.cos(Math.PI / 16)) / 2, 3); // `ends` spacing: 0.0096
    expect(gradient.curves.deletion.silence[0]).toBeCloseTo(1, 12); // f(x_0)/f(x) = 1
    const mean0 = mean(gradient.perClass.map((c) => c.deletionAuc.silence));
    expect(Number.isFinite(mean0)).toBe(true);
    expect(JSON.stringify(summary)).not.toMatch(/NaN/);
    model.dispose();
  });

  it('gives absent classes (score below minScore) no curves and no randomisation test, and counts them apart', async () => {
    const model = new LinearModel(weights);
    const methods = byName(['gradient']);
    const patches = inputs.map((x, i) => scoredPatch(model, i, x));
    const threshold = patches[1].scores[0]; // patch 1's score of class a: patches above it stay, the others are absent
    const evaluations = await lastValueFrom(from(patches).pipe(evaluatePatches(model, methods, { ...settings, minScore: threshold }), toArray()));
    const figures = evaluations.flatMap((e) => e.methods[0].figures);
    for (const f of figures) {
      const present = f.score >= threshold;
      expect(f.deletionAuc.silence === null).toBe(!present);
      expect(f.curves.fractions.length).toBe(present ? 17 : 0);
    }
    // The test runs on the first 2 patches where the class is present, whichever they are.
    expect(figures.filter((f) => f.randomization.length > 0).map((f) => f.patchIndex)).toEqual(figures.filter((f) => f.score >= threshold).slice(0, 2).map((f) => f.patchIndex));
    const [summary] = await lastValueFrom(from(evaluations).pipe(summariseEvaluation(model.classNames, methods, { spans: [], defaultName: 'gradient', intervals: 16 }), toArray()));
    expect(summary.methods[0].skippedPairs).toBe(figures.filter((f) => f.score < threshold).length);
    expect(summary.methods[0].skippedPairs).toBeGreaterThan(0);
    model.dispose();
  });

  it('names what a model cannot run, and refuses levels it cannot randomise', () => {
    const model = new LinearModel(weights);
    const { run, unsupported } = chooseMethods(['grad-cam', 'random'], model, 5);
    expect(run.map((m) => [m.name, m.methodOptions])).toEqual([['random', { seed: 5 }]]);
    expect(unsupported[0].name).toBe('grad-cam');
    expect(unsupported[0].reason).toMatch(/feature maps/);
    expect(() => chooseMethods(['blur-IG'], model)).toThrow(OptionError);
    expect(() => evaluatePatches(model, run, { ...settings, randomizationLevels: [2] })).toThrow(/randomizationLevels/);
    expect(() => evaluatePatches(model, run, { ...settings, minScore: Number.NaN })).toThrow(/minScore/);
    expect(() => evaluatePatches(model, run, { ...settings, spacing: 'log' as 'ends' })).toThrow(/curveSpacing/);
    model.dispose();
  });
});
