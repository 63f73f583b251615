// Grad-CAM: the α / ReLU / upsampling arithmetic on hand-made feature maps, and YAMNet's last conv layer cut out of the real graph.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradCam, gradCamMaps, upsampleBilinear } from '../../src/attribution/gradCam.js';
import { selectBackend } from '../../src/engine/backend.js';
import { ModelError, OptionError, ShapeError } from '../../src/errors/index.js';
import { dequantize } from '../../src/model/constants.js';
import { featureMapsOf, lastConvOutput } from '../../src/model/featureMaps.js';
import { TfliteGraph } from '../../src/model/graph.js';
import { readTfliteFile, type TfliteModel } from '../../src/model/tflite/index.js';
import { validateModel } from '../../src/model/validateModel.js';
import type { ClassifierModel, FeatureMapGradients } from '../../src/types.js';
import { describeWithModel, patchBatch, referenceSpeech } from '../helpers/model.js';

const CLASS_NAMES = ['a', 'b', 'c'];
const FRAMES = 96;
const BANDS = 64;
const PATCH = { values: Float32Array.from({ length: FRAMES * BANDS }, (_, i) => Math.sin(0.01 * i)), frames: FRAMES, bands: BANDS };

/**
 * 2 × 3 cells, 2 channels. A[i, j] = (i + j, 1 − j). Output 0: ∂F/∂A = (0.5, −0.25) everywhere, so α = (0.5, −0.25) and
 * the map is max(0, 0.5(i + j) − 0.25(1 − j)). Output 1: per-cell gradients (2 + δ, −1 − δ) with Σ δ = 0, so α = (2, −1)
 * and the map is max(0, 2(i + j) − (1 − j)). Output 2: α = (−1, 0), the map is 0 everywhere.
 */
function handMade(): FeatureMapGradients {
  const [height, width, channels] = [2, 3, 2];
  const maps = new Float32Array(12);
  const grads = [new Float32Array(12), new Float32Array(12), new Float32Array(12)];
  const delta = [0.3, -0.1, 0.5, -0.4, 0.2, -0.5]; // Σ = 0
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const cell = i * width + j;
      maps.set([i + j, 1 - j], cell * channels);
      grads[0].set([0.5, -0.25], cell * channels);
      grads[1].set([2 + delta[cell], -1 - delta[cell]], cell * channels);
      grads[2].set([-1, 0], cell * channels);
    }
  }
  return { layer: 'hand', height, width, channels, maps, gradients: grads, values: Float32Array.from([0.25, 0.5, 0.75]) };
}

const EXPECTED_MAPS = [
  (i: number, j: number) => Math.max(0, 0.5 * (i + j) - 0.25 * (1 - j)),
  (i: number, j: number) => Math.max(0, 2 * (i + j) - (1 - j)),
  () => 0,
];

/** A model whose featureMaps returns `found` (its first `indices.length` outputs) and counts its calls. */
function fakeModel(found: FeatureMapGradients): Pick<ClassifierModel, 'featureMaps' | 'classNames'> & { calls: { indices: readonly number[]; output: string }[] } {
  const calls: { indices: readonly number[]; output: string }[] = [];
  return {
    classNames: CLASS_NAMES,
    calls,
    featureMaps: async (_patch, indices, output) => {
      calls.push({ indices, output });
      return { ...found, gradients: found.gradients.slice(0, indices.length), values: found.values.slice(0, indices.length) };
    },
  };
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('Grad-CAM arithmetic (closed forms, 1e-12 in float64, 1e-6 after the float32 result)', () => {
  it('weights each channel by its mean gradient and clips the weighted sum at 0', () => {
    const maps = gradCamMaps(handMade());
    maps.forEach((map, k) => {
      const expected = Array.from({ length: 6 }, (_, cell) => EXPECTED_MAPS[k](Math.floor(cell / 3), cell % 3));
      expect(maxAbsDifference(map, expected)).toBeLessThan(1e-12);
    });
    // Output 0 has a clipped cell: 0.5·0 − 0.25·1 < 0 at (0, 0).
    expect(maps[0][0]).toBe(0);
  });

  it('upsamples with cell centres aligned: the identity at equal size, exact on a linear map, edges held', () => {
    const map = Float64Array.from({ length: 6 }, (_, cell) => 1 + 2 * Math.floor(cell / 3) - 0.5 * (cell % 3)); // 1 + 2i − 0.5j
    expect(maxAbsDifference(upsampleBilinear(map, 2, 3, 2, 3), map)).toBeLessThan(1e-12);
    const up = upsampleBilinear(map, 2, 3, 96, 64);
    const clamp = (u: number, size: number) => Math.min(Math.max(u, 0), size - 1);
    const expected = Array.from({ length: 96 * 64 }, (_, n) => {
      const [t, f] = [Math.floor(n / 64), n % 64];
      return 1 + 2 * clamp(((t + 0.5) * 2) / 96 - 0.5, 2) - 0.5 * clamp(((f + 0.5) * 3) / 64 - 0.5, 3);
    });
    expect(maxAbsDifference(up, expected)).toBeLessThan(1e-12);
    // Cell (0, 0)'s centre is frame 23.5, band 10.17: frames 0…23 hold row 0's values, the last 24 frames row 1's.
    expect(up[0]).toBe(1);
    expect(up[23 * 64]).toBe(1);
    expect(up[24 * 64]).toBeGreaterThan(1);
    expect(up[95 * 64 + 63]).toBe(1 + 2 - 1);
    expect(Array.from(upsampleBilinear([4], 1, 1, 3, 2))).toEqual([4, 4, 4, 4, 4, 4]);
  });

  it('returns the upsampled maps in the attribution shape, one output per class, with no baseline', async () => {
    const model = fakeModel(handMade());
    const result = await gradCam(model, PATCH, [0, 1, 2]);
    expect(model.calls).toEqual([{ indices: [0, 1, 2], output: 'score' }]);
    expect([result.method, result.frames, result.bands, result.steps, result.evaluations, result.modelCalls]).toEqual(['grad-cam', 96, 64, 1, 3, 1]);
    expect(result.outputs).toHaveLength(3);
    gradCamMaps(handMade()).forEach((map, k) => {
      const out = result.outputs[k];
      const expected = upsampleBilinear(map, 2, 3, 96, 64);
      expect(out.output).toBe(k);
      expect(maxAbsDifference(out.attribution, expected)).toBeLessThan(1e-6);
      expect(out.completeness.fInput).toBe([0.25, 0.5, 0.75][k]);
      expect(out.completeness.attributionSum).toBeCloseTo(expected.reduce((s, v) => s + v, 0), 3);
      for (const key of ['fBaseline', 'absError', 'relError'] as const) expect(out.completeness[key]).toBeNaN();
    });
    expect(result.outputs[2].attribution.every((v) => v === 0)).toBe(true);
    expect(result.attribution).toBe(result.outputs[0].attribution);
    await gradCam(model, PATCH, [1], { output: 'logit' });
    expect(model.calls[1]).toEqual({ indices: [1], output: 'logit' });
  });

  it('refuses models without feature maps, naming what works instead', async () => {
    const onnx = { classNames: CLASS_NAMES, engine: 'onnx' as const, name: 'YAMNet (int8 TFLite build)' };
    const onnxError = await gradCam(onnx, PATCH, [0]).catch((e: unknown) => e);
    expect(onnxError).toBeInstanceOf(OptionError);
    expect((onnxError as Error).message).toBe(
      "Expected the `engine` option to be `tfjs` for Grad-CAM (`--engine tfjs`; the onnx engine does not expose YAMNet's feature maps), got `onnx` (string)",
    );
    const student = { classNames: CLASS_NAMES, engine: 'tfjs' as const, name: 'blurig student (distilled from YAMNet)' };
    await expect(gradCam(student, PATCH, [0])).rejects.toThrow(/`model` option to be a YAMNet \.tflite file for Grad-CAM \(this model gives no convolutional feature maps; get YAMNet with `blurig model pull`\), got `blurig student/);
  });

  it('rejects bad options, patch shapes and records', async () => {
    const model = fakeModel(handMade());
    await expect(gradCam(model, PATCH, [0], { output: 'logits' as 'logit' })).rejects.toThrow(/`output` option to be one of `score`, `logit`/);
    await expect(gradCam(model, PATCH, [])).rejects.toThrow(/`classIndices` option to be a non-empty list of class indices, integers in 0…2/);
    await expect(gradCam(model, PATCH, [3])).rejects.toThrow(OptionError);
    await expect(gradCam(model, PATCH, [0.5])).rejects.toThrow(OptionError);
    await expect(gradCam(model, { values: new Float32Array(64 * 96), frames: 64, bands: 96 }, [0])).rejects.toThrow(new ShapeError('input patch', [96, 64], [64, 96]));
    const nan = handMade();
    nan.gradients[0][3] = NaN;
    await expect(gradCam(fakeModel(nan), PATCH, [0])).rejects.toThrow(ModelError);
    await expect(gradCam({ ...model, featureMaps: async () => handMade() }, PATCH, [0])).rejects.toThrow(ShapeError);
    expect(model.calls).toHaveLength(0);
  });
});

describeWithModel('Grad-CAM on YAMNet', (modelPath) => {
  const [SPEECH, SILENCE, SINE] = [0, 494, 495];
  let file: TfliteModel;
  let graph: TfliteGraph;
  let logitsIndex: number;
  let mapsIndex: number;
  let speech: Float32Array;
  let model: Pick<ClassifierModel, 'featureMaps' | 'classNames'>;
  /** The dense layer's dequantised weights [521 × 1024], read from the file apart from the graph. */
  let dense: Float32Array;

  beforeAll(async () => {
    await selectBackend('wasm');
    file = await readTfliteFile(modelPath);
    ({ logitsIndex } = validateModel(file, modelPath, 521));
    graph = TfliteGraph.build(file, modelPath, 'custom');
    mapsIndex = lastConvOutput(graph, logitsIndex, modelPath);
    const x = patchBatch(referenceSpeech());
    expect(x.shape).toEqual([1, 96, 64]);
    speech = x.dataSync() as Float32Array;
    x.dispose();
    const fc = file.subgraphs[0].operators.find((op) => op.outputs.includes(logitsIndex))!;
    dense = dequantize(file, file.subgraphs[0].tensors[fc.inputs[1]], modelPath);
    model = {
      classNames: Array.from({ length: 521 }, (_, i) => `class ${i}`),
      featureMaps: (patch, indices, output) => featureMapsOf(graph, mapsIndex, output === 'logit' ? logitsIndex : graph.outputIndex, patch, indices),
    };
  });
  afterAll(() => graph?.dispose());

  /** F at the speech patch, the whole graph at once ([521] logits or scores). */
  const whole = (target: number) => tf.tidy(() => graph.evaluate(tf.tensor3d(speech, [1, 96, 64]), target).dataSync() as Float32Array);

  it('finds the last conv layer from the graph: layer27/conv [1, 3, 2, 1024], read by the mean before the logits', () => {
    expect(file.subgraphs[0].tensors[mapsIndex].shape).toEqual([1, 3, 2, 1024]);
    expect(file.subgraphs[0].tensors[mapsIndex].name).toMatch(/^tower0\/network\/layer27\/conv\/Relu6;/);
  });

  it('cut at the feature maps, the two halves give the whole graph (1e-6 relative)', () => {
    for (const target of [logitsIndex, graph.outputIndex]) {
      const halves = tf.tidy(() => {
        const a = graph.evaluate(tf.tensor3d(speech, [1, 96, 64]), mapsIndex);
        return graph.evaluateFrom(mapsIndex, a, target).dataSync() as Float32Array;
      });
      const reference = whole(target);
      expect(maxAbsDifference(halves, reference) / Math.max(...reference.map(Math.abs))).toBeLessThan(1e-6);
    }
  });

  it('∂logit_c/∂A is the dense weight W[c, k] / 6 in every cell, ∂score_c/∂A that times s(1 − s) (1e-5 relative)', async () => {
    const [logits, scores] = [whole(logitsIndex), whole(graph.outputIndex)];
    for (const output of ['logit', 'score'] as const) {
      const found = await featureMapsOf(graph, mapsIndex, output === 'logit' ? logitsIndex : graph.outputIndex, speech, [SPEECH, SINE, SILENCE]);
      expect([found.layer, found.height, found.width, found.channels, found.maps.length]).toEqual(['layer27/conv', 3, 2, 1024, 6144]);
      [SPEECH, SINE, SILENCE].forEach((c, k) => {
        const s = scores[c];
        const slope = output === 'logit' ? 1 : s * (1 - s);
        const expected = Array.from({ length: 6144 }, (_, n) => (slope * dense[c * 1024 + (n % 1024)]) / 6);
        const scale = Math.max(...expected.map(Math.abs));
        expect(maxAbsDifference(found.gradients[k], expected) / scale).toBeLessThan(1e-5);
        expect(Math.abs(found.values[k] - (output === 'logit' ? logits[c] : s))).toBeLessThan(1e-5);
      });
    }
  });

  it('∂score/∂A agrees with central differences through the second half at a few entries (2e-3 relative)', async () => {
    // The mean and dense layer are linear, the sigmoid smooth: with h = 0.05 the O(h²) term is far below float32 noise / 2h.
    const found = await featureMapsOf(graph, mapsIndex, graph.outputIndex, speech, [SPEECH]);
    const maps = found.maps;
    const entries = [0, 1023, 2048 + 17, 5 * 1024 + 900].map((n) => {
      // The entry with the largest gradient near n keeps the difference above rounding.
      let best = n;
      for (let m = n; m < Math.min(n + 64, 6144); m++) if (Math.abs(found.gradients[0][m]) > Math.abs(found.gradients[0][best])) best = m;
      return best;
    });
    const h = 0.05;
    for (const n of entries) {
      const at = (delta: number) =>
        tf.tidy(() => {
          const shifted = Float32Array.from(maps);
          shifted[n] += delta;
          return graph.evaluateFrom(mapsIndex, tf.tensor4d(shifted, [1, 3, 2, 1024]), graph.outputIndex).dataSync()[SPEECH];
        });
      const difference = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs(difference - found.gradients[0][n]) / Math.abs(found.gradients[0][n])).toBeLessThan(2e-3);
    }
  });

  it('maps the coral speech patch for Speech: non-negative, finite, not all zero; the score map is s(1 − s) × the logit map', async () => {
    const score = await gradCam(model, { values: speech, frames: 96, bands: 64 }, [SPEECH]);
    const logit = await gradCam(model, { values: speech, frames: 96, bands: 64 }, [SPEECH], { output: 'logit' });
    expect(score.attribution).toHaveLength(96 * 64);
    expect(score.attribution.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(score.attribution.some((v) => v > 0)).toBe(true);
    // DESIGN.md §2: the clip's Speech score is 0.9656 (±0.002); the clip is this one patch.
    expect(Math.abs(score.completeness.fInput - 0.9656)).toBeLessThanOrEqual(0.002);
    const s = score.completeness.fInput;
    const scaled = Array.from(logit.attribution, (v) => v * s * (1 - s));
    expect(maxAbsDifference(score.attribution, scaled) / Math.max(...score.attribution)).toBeLessThan(1e-4);
  });

  it('keeps tf.memory().numTensors flat over repeated feature maps and Grad-CAMs', async () => {
    const run = async () => {
      await featureMapsOf(graph, mapsIndex, logitsIndex, speech, [SPEECH, SINE]);
      await gradCam(model, { values: speech, frames: 96, bands: 64 }, [SPEECH, SILENCE]);
    };
    await run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await run();
    expect(tf.memory().numTensors).toBe(before);
    // A failing call (bad class) leaves nothing behind either.
    await expect(featureMapsOf(graph, mapsIndex, logitsIndex, speech, [521])).rejects.toThrow(OptionError);
    await expect(featureMapsOf(graph, mapsIndex, logitsIndex, speech.subarray(1), [0])).rejects.toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
