// The cascading model randomisation (Adebayo et al. 2018): which layers carry weights, the seeded permutations, and
// randomised copies of the student and of YAMNet on both engines (exact at k = 0, repeatable, engines agreeing, no leaks).
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mulberry32 } from '../../src/attribution/random.js';
import { selectBackend } from '../../src/engine/backend.js';
import { loadOnnxYamnet, type OnnxYamnet } from '../../src/engine/onnx/onnxYamnet.js';
import { ModelError, OptionError } from '../../src/errors/index.js';
import { dequantize } from '../../src/model/constants.js';
import { TfliteGraph } from '../../src/model/graph.js';
import { probePatch } from '../../src/model/probePatch.js';
import { channelPermutation, checkRandomisation, randomiseStudent, randomiseTflite, shuffled, tfliteWeightLayers } from '../../src/model/randomiseLayers.js';
import { decodeStudent, defaultStudentPath, loadStudent, type StudentManifest, type StudentModel, type StudentWeights } from '../../src/model/student/index.js';
import { BuiltinOperator, readTfliteFile, type TfliteModel } from '../../src/model/tflite/index.js';
import { validateModel } from '../../src/model/validateModel.js';
import { loadYamnet, type YamnetModel } from '../../src/model/yamnet.js';
import { describeWithModel, patchBatch, referenceSpeech } from '../helpers/model.js';
import { sine } from '../helpers/signals.js';
import { miniYamnet } from '../fault/miniYamnet.js';

/** max |a − b| relative to max |b|. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let [diff, scale] = [0, 0];
  for (let i = 0; i < a.length; i++) [diff, scale] = [Math.max(diff, Math.abs(a[i] - b[i])), Math.max(scale, Math.abs(b[i]))];
  return diff / scale;
}

/** The top class of each of `count` logit rows. */
function topClasses(logits: Float32Array, count: number): number[] {
  const classes = logits.length / count;
  return Array.from({ length: count }, (_, b) => {
    const row = logits.subarray(b * classes, (b + 1) * classes);
    return row.indexOf(Math.max(...row));
  });
}

const sorted = (values: ArrayLike<number>): Float64Array => Float64Array.from(values).sort();

/** Whether two arrays hold the same values in the same order (vitest's deep equality is slow on a million). */
function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('seeded permutations', () => {
  it('shuffle 0 … n − 1 into a permutation, the same for the same seed', () => {
    const a = shuffled(1000, mulberry32(3));
    expect(same(sorted(a), Array.from({ length: 1000 }, (_, i) => i))).toBe(true);
    expect(same(a, shuffled(1000, mulberry32(3)))).toBe(true);
    expect(same(a, shuffled(1000, mulberry32(4)))).toBe(false);
  });

  it('move whole quantisation channels and shuffle inside each, on a leading and on a trailing channel axis', () => {
    // [4, 3, 2] with channels on axis 0 (inner 6) and [2, 3, 4] with channels on the last axis (inner 1).
    for (const { count, channels, inner } of [{ count: 24, channels: 4, inner: 6 }, { count: 24, channels: 4, inner: 1 }]) {
      const channelOf = (i: number): number => Math.floor(i / inner) % channels;
      const order = Uint32Array.from([2, 0, 3, 1]);
      const source = channelPermutation(count, channels, inner, order, mulberry32(1));
      expect(same(sorted(source), Array.from({ length: count }, (_, i) => i))).toBe(true); // each element used once
      source.forEach((from, i) => expect(channelOf(from)).toBe(order[channelOf(i)]));
      expect(Array.from(source, (from, i) => from - i).some((d) => d !== 0 && d % (channels * inner) !== 0)).toBe(true); // not only whole channels moved
    }
  });

  it('refuse a layer count outside 0 … layers and a seed that is not an integer', () => {
    expect(() => checkRandomisation(29, 1, 28)).toThrow(OptionError);
    expect(() => checkRandomisation(-1, 1, 28)).toThrow(/`topLayers` option to be an integer from 0 to 28.*-1/);
    expect(() => checkRandomisation(1.5, 1, 28)).toThrow(OptionError);
    expect(() => checkRandomisation(1, Number.NaN, 28)).toThrow(/`seed` option to be an integer/);
    expect(() => checkRandomisation(28, -7, 28)).not.toThrow();
  });
});

describe('the student, randomised', () => {
  let model: StudentModel;
  let weights: StudentWeights;
  const probe = probePatch();
  beforeAll(async () => {
    await selectBackend('wasm');
    model = await loadStudent();
    const manifest = JSON.parse(readFileSync(defaultStudentPath(), 'utf8')) as StudentManifest;
    weights = decodeStudent(manifest, readFileSync(join(dirname(defaultStudentPath()), manifest.weights))) as StudentWeights;
  });
  afterAll(() => model?.dispose());

  it('lists its weighted layers head first, one per kernel of the weights file', () => {
    expect(model.weightLayers).toEqual(['logits', 'layer1', 'layer0']);
    expect(model.weightLayers).toHaveLength(weights.layers.length);
  });

  it('at k = 0 is an exact copy; at k = 1 its logits differ, stay finite and rank another class first', async () => {
    const original = await model.logitsOf(probe, 1);
    const [same, one] = [await model.randomised(0, 5), await model.randomised(1, 5)];
    expect(await same.logitsOf(probe, 1)).toEqual(original);
    const changed = await one.logitsOf(probe, 1);
    expect(changed.every(Number.isFinite)).toBe(true);
    expect(relativeError(changed, original)).toBeGreaterThan(0.1);
    expect(topClasses(changed, 1)).not.toEqual(topClasses(original, 1));
    expect(one.name).toMatch(/top 1 of 3 weighted layers randomised \(seed 5\)/);
    same.dispose();
    one.dispose();
  });

  it('permutes each randomised layer\'s own kernel and bias values, the same at every depth of the cascade for one seed', () => {
    const [one, all] = [randomiseStudent(weights, 1, 9), randomiseStudent(weights, 3, 9)];
    const head = weights.layers.length - 1;
    for (const copy of [one, all]) {
      expect(same(sorted(copy.layers[head].kernel), sorted(weights.layers[head].kernel))).toBe(true);
      expect(same(sorted(copy.layers[head].bias), sorted(weights.layers[head].bias))).toBe(true);
      expect(same(copy.layers[head].kernel, weights.layers[head].kernel)).toBe(false);
    }
    // The head's permutation does not depend on k; layers below k are the original arrays.
    expect(same(one.layers[head].kernel, all.layers[head].kernel) && same(one.layers[head].bias, all.layers[head].bias)).toBe(true);
    expect(one.layers[0]).toBe(weights.layers[0]);
    expect(same(all.layers[0].kernel, weights.layers[0].kernel)).toBe(false);
    expect(same(randomiseStudent(weights, 2, 9).layers[1].kernel, randomiseStudent(weights, 2, 9).layers[1].kernel)).toBe(true);
    expect(same(randomiseStudent(weights, 2, 10).layers[head].kernel, one.layers[head].kernel)).toBe(false);
  });

  it('keeps tf.memory().numTensors flat over copies, and refuses to randomise once disposed', async () => {
    const before = tf.memory().numTensors;
    for (let k = 0; k <= 3; k++) (await model.randomised(k, k)).dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(model.randomised(4, 1)).rejects.toThrow(OptionError);
    const copy = await model.randomised(1, 1);
    copy.dispose();
    await expect(copy.randomised(1, 1)).rejects.toThrow(ModelError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a miniature int8 YAMNet (test/fault/miniYamnet.ts), randomised on both engines', () => {
  let dir: string;
  let engines: [YamnetModel, OnnxYamnet];
  const probe = probePatch();
  beforeAll(async () => {
    await selectBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'blurig-randomised-mini-'));
    writeFileSync(join(dir, 'mini.tflite'), miniYamnet());
    engines = [await loadYamnet(join(dir, 'mini.tflite')), await loadOnnxYamnet(join(dir, 'mini.tflite'), { threads: 1 })];
  });
  afterAll(() => {
    engines?.forEach((m) => m.dispose());
    rmSync(dir, { recursive: true, force: true });
  });

  it('names its four weighted layers from the op sequence, output side first', () => {
    for (const model of engines) expect(model.weightLayers).toEqual(['logits', 'layer2/pointwise', 'layer2/depthwise', 'layer1/conv']);
  });

  it('gives the same randomised network on tfjs and onnx at every depth (1e-5 relative), an exact copy at k = 0', async () => {
    const originals = await Promise.all(engines.map((m) => m.logitsOf(probe, 1)));
    for (let k = 0; k <= 4; k++) {
      const copies = [await engines[0].randomised(k, 3), await engines[1].randomised(k, 3)];
      const [a, b] = await Promise.all(copies.map((m) => m.logitsOf(probe, 1)));
      copies.forEach((m) => m.dispose());
      // The engines' agreement on the trained network is 1e-5 relative (test/engine/onnx/onnxYamnet.test.ts).
      expect(relativeError(b, a)).toBeLessThan(1e-5);
      if (k === 0) [a, b].forEach((l, e) => expect(same(l, originals[e])).toBe(true));
      else expect(relativeError(a, originals[0])).toBeGreaterThan(0.1);
    }
  });
});

/** The first patch of a batch [1, 96, 64]; disposes the batch. */
function first(batch: tf.Tensor3D): tf.Tensor3D {
  const one = tf.slice(batch, [0, 0, 0], [1, 96, 64]);
  batch.dispose();
  return one;
}

describeWithModel('YAMNet, randomised', (modelPath) => {
  const seed = 5;
  let tfjs: YamnetModel;
  let onnx: OnnxYamnet;
  let file: TfliteModel;
  // The probe patch, a 440 Hz sine and the coral speech clip: [count, 96, 64].
  let patches: Float32Array;
  let count: number;
  let original: Float32Array;
  // Both engines load from a copy that is deleted at once, with TMPDIR pointing at an empty folder throughout.
  let scratch: string;
  let tmp: string;
  const savedTmpdir = process.env.TMPDIR;
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'blurig-randomised-'));
    tmp = mkdtempSync(join(tmpdir(), 'blurig-randomised-tmp-'));
    const copy = join(scratch, 'yamnet.tflite');
    copyFileSync(modelPath, copy);
    await selectBackend('wasm');
    [tfjs, onnx] = [await loadYamnet(copy), await loadOnnxYamnet(copy, { threads: 2 })];
    rmSync(scratch, { recursive: true });
    process.env.TMPDIR = tmp;
    file = await readTfliteFile(modelPath);
    const parts = [tf.tensor3d(probePatch(), [1, 96, 64]), first(patchBatch(sine(440, 1, 1))), first(patchBatch(referenceSpeech()))];
    const batch = tf.concat(parts);
    [patches, count] = [batch.dataSync() as Float32Array, batch.shape[0]];
    tf.dispose([...parts, batch]);
    original = await tfjs.logitsOf(patches, count);
  });
  afterAll(() => {
    tfjs?.dispose();
    onnx?.dispose();
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('lists 28 weighted layers, output side first, the same on both engines', () => {
    const layers = tfliteWeightLayers(file);
    expect(tfjs.weightLayers).toHaveLength(28);
    expect(tfjs.weightLayers.slice(0, 3)).toEqual(['logits', 'layer14/pointwise', 'layer14/depthwise']);
    expect(tfjs.weightLayers.at(-1)).toBe('layer1/conv');
    expect(onnx.weightLayers).toEqual(tfjs.weightLayers);
    // The names follow the ops: FULLY_CONNECTED, then 1×1 CONV_2D after each DEPTHWISE_CONV_2D, then the first CONV_2D.
    const { operators, tensors } = file.subgraphs[0];
    const code = (l: (typeof layers)[number]): number => file.operatorCodes[operators[l.opIndex].opcodeIndex].builtinCode;
    expect(code(layers[0])).toBe(BuiltinOperator.FULLY_CONNECTED);
    for (const layer of layers.slice(1, -1)) {
      const pointwise = layer.name.endsWith('/pointwise');
      expect(code(layer)).toBe(pointwise ? BuiltinOperator.CONV_2D : BuiltinOperator.DEPTHWISE_CONV_2D);
      if (pointwise) expect(tensors[layer.kernel].shape.slice(1, 3)).toEqual([1, 1]);
    }
  });

  it('randomises only the top k layers, each to a permutation of its own values, with their quantisation channels', () => {
    const layers = tfliteWeightLayers(file);
    const copy = randomiseTflite(file, layers, 3, seed);
    expect(() => validateModel(copy, modelPath, 521)).not.toThrow();
    const before = file.subgraphs[0].tensors;
    const after = copy.subgraphs[0].tensors;
    const bytes = (model: TfliteModel, index: number): Uint8Array => model.buffers[model.subgraphs[0].tensors[index].buffer];
    const touched = new Set(layers.slice(0, 3).flatMap((l) => [l.kernel, l.bias!]));
    for (const tensor of before) if (!touched.has(tensor.index)) expect(bytes(copy, tensor.index)).toBe(bytes(file, tensor.index));
    for (const index of touched) {
      const [was, now] = [dequantize(file, before[index], modelPath), dequantize(copy, after[index], modelPath)];
      expect(same(sorted(now), sorted(was))).toBe(true); // the same real values: scales moved with their channels
      expect(same(now, was)).toBe(false);
    }
    // layer14/depthwise [1, 3, 3, 1024], per channel: each output channel holds one original channel's 9 values.
    const depthwise = layers[2].kernel;
    const channels = (values: Float32Array): string[] => Array.from({ length: 1024 }, (_, c) => sorted(values.filter((_v, i) => i % 1024 === c)).join()).sort();
    expect(channels(dequantize(copy, after[depthwise], modelPath))).toEqual(channels(dequantize(file, before[depthwise], modelPath)));
    // The cascade: the logits layer is permuted the same way whatever k, for one seed.
    expect(same(bytes(randomiseTflite(file, layers, 1, seed), layers[0].kernel), bytes(copy, layers[0].kernel))).toBe(true);
    expect(same(bytes(randomiseTflite(file, layers, 1, seed + 1), layers[0].kernel), bytes(copy, layers[0].kernel))).toBe(false);
  });

  it('at k = 1 leaves the penultimate activations (the logits layer\'s input) exactly as they were', () => {
    const dense = file.subgraphs[0].operators.find((op) => file.operatorCodes[op.opcodeIndex].builtinCode === BuiltinOperator.FULLY_CONNECTED)!;
    const graphs = [TfliteGraph.build(file, modelPath, 'custom'), TfliteGraph.build(randomiseTflite(file, tfliteWeightLayers(file), 1, seed), modelPath, 'custom')];
    const [embedding, logits] = [dense.inputs[0], dense.outputs[0]].map((target) =>
      graphs.map((g) => tf.tidy(() => g.evaluate(tf.tensor3d(patches, [count, 96, 64]), target).dataSync())),
    );
    graphs.forEach((g) => g.dispose());
    expect(same(embedding[1], embedding[0])).toBe(true);
    expect(relativeError(logits[1], logits[0])).toBeGreaterThan(0.1);
  });

  it('tfjs: at k = 0 an exact copy; at k = 1 other finite logits, another top class on every patch', async () => {
    const same = await tfjs.randomised(0, seed);
    expect(await same.logitsOf(patches, count)).toEqual(original);
    same.dispose();
    const one = await tfjs.randomised(1, seed);
    const changed = await one.logitsOf(patches, count);
    one.dispose();
    expect(changed.every(Number.isFinite)).toBe(true);
    expect(relativeError(changed, original)).toBeGreaterThan(0.1);
    topClasses(changed, count).forEach((c, b) => expect(c).not.toBe(topClasses(original, count)[b]));
  });

  it('tfjs: the same (k, seed) twice gives the same logits, another seed others; onnx gives them too (1e-5 relative)', async () => {
    const copies = [await tfjs.randomised(3, seed), await tfjs.randomised(3, seed), await tfjs.randomised(3, seed + 1)];
    const [a, b, c] = await Promise.all(copies.map((m) => m.logitsOf(patches, count)));
    copies.forEach((m) => m.dispose());
    expect(b).toEqual(a);
    expect(relativeError(c, a)).toBeGreaterThan(0.1);
    expect(a.every(Number.isFinite)).toBe(true);
    // The engines' agreement on the trained network is 1e-5 relative (test/engine/onnx/onnxYamnet.test.ts).
    const onnxCopy = await onnx.randomised(3, seed);
    expect(relativeError(await onnxCopy.logitsOf(patches, count), a)).toBeLessThan(1e-5);
    onnxCopy.dispose();
  });

  it('onnx: at k = 0 an exact copy of the onnx model; disposal releases both sessions and the copy refuses to run', async () => {
    const copy = await onnx.randomised(0, seed);
    expect(await copy.logitsOf(patches, count)).toEqual(await onnx.logitsOf(patches, count));
    const releases = [vi.spyOn(copy['forward'], 'release'), vi.spyOn(copy['backward'], 'release')];
    copy.dispose();
    copy.dispose();
    releases.forEach((spy) => expect(spy).toHaveBeenCalledTimes(1));
    await expect(copy.logitsOf(patches, count)).rejects.toThrow(ModelError);
    await expect(copy.randomised(1, seed)).rejects.toThrow(ModelError);
    await expect(onnx.randomised(29, seed)).rejects.toThrow(OptionError);
  });

  it('tfjs: keeps tf.memory().numTensors flat over a copy, and refuses bad counts and disposed models', async () => {
    const before = tf.memory().numTensors;
    const copy = await tfjs.randomised(2, seed);
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(tfjs.randomised(-1, seed)).rejects.toThrow(OptionError);
    await expect(copy.randomised(1, seed)).rejects.toThrow(ModelError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('built every copy from memory: the model file was gone, and the temporary folder is still empty', () => {
    expect(readdirSync(tmp)).toEqual([]);
    expect(tmpdir()).toBe(tmp);
  });
});
