// Rebuilding TFLite graphs without the real model: dequantisation, and load-time errors for what cannot be rebuilt.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/engine/backend.js';
import { ModelError } from '../../src/errors/index.js';
import { TfliteGraph } from '../../src/model/graph.js';
import { readTflite } from '../../src/model/tflite/index.js';
import { loadYamnet } from '../../src/model/yamnet.js';
import { buildTflite, bytesOf, oneOpModel, type SyntheticModel } from '../helpers/tfliteBuilder.js';

const dir = mkdtempSync(join(tmpdir(), 'blurig-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeModel(name: string, model: SyntheticModel): string {
  const path = join(dir, name);
  writeFileSync(path, buildTflite(model));
  return path;
}

async function loadError(path: string): Promise<ModelError> {
  const error = await loadYamnet(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelError);
  expect((error as Error).message).not.toContain('\n');
  return error as ModelError;
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('TfliteGraph', () => {
  it('dequantises int8 weights per tensor and int32 bias: FULLY_CONNECTED then LOGISTIC', () => {
    // W = (q − 0)·0.5 for q = [[2, −4], [6, 0], [−2, 2]] (3 units × 2 inputs); b = 3·0.25.
    const model: SyntheticModel = {
      opcodes: [{ deprecated: 9 }, { deprecated: 14 }],
      tensors: [
        { name: 'x', shape: [1, 2], type: 0 },
        { name: 'w', shape: [3, 2], type: 9, data: bytesOf(Int8Array.from([2, -4, 6, 0, -2, 2])), quantization: { scale: [0.5], zeroPoint: [0] } },
        { name: 'b', shape: [3], type: 2, data: bytesOf(Int32Array.from([3, -1, 0])), quantization: { scale: [0.25], zeroPoint: [0] } },
        { name: 'z', shape: [1, 3], type: 0 },
        { name: 'y', shape: [1, 3], type: 0 },
      ],
      inputs: [0],
      outputs: [4],
      operators: [
        { opcodeIndex: 0, inputs: [0, 1, 2], outputs: [3], options: { type: 8, write: (b) => (b.startObject(3), b.endObject()) } },
        { opcodeIndex: 1, inputs: [3], outputs: [4] },
      ],
    };
    const graph = TfliteGraph.build(readTflite(buildTflite(model), 'fc.tflite'), 'fc.tflite', 'custom');
    const x = tf.tensor2d([[1, 2], [0.5, -1]]); // batch 2, although the file says 1
    const logits = tf.tidy(() => graph.evaluate(x, 3).arraySync()) as number[][];
    expect(logits[0]).toEqual([1 * 1 - 2 * 2 + 0.75, 3 * 1 - 0.25, -1 + 2]);
    expect(logits[1][0]).toBeCloseTo(0.5 + 2 + 0.75, 6);
    const scores = tf.tidy(() => graph.evaluate(x, graph.outputIndex).arraySync()) as number[][];
    expect(scores[0][0]).toBeCloseTo(1 / (1 + Math.exp(2.25)), 6);
    graph.dispose();
    x.dispose();
  });
});

describe('loading a model blurig-audio cannot rebuild', () => {
  it('names an unsupported op', async () => {
    const path = writeModel('softmax.tflite', oneOpModel(25));
    const error = await loadError(path);
    expect(error.message).toMatch(new RegExp(`^${path} uses the TFLite op SOFTMAX, which blurig-audio cannot rebuild \\(it rebuilds QUANTIZE, DEQUANTIZE, RESHAPE, SPLIT, CONV_2D, DEPTHWISE_CONV_2D, MEAN, FULLY_CONNECTED, LOGISTIC\\)`));
    expect(error.path).toBe(path);
  });

  it('names a custom op by its custom code', async () => {
    const model = oneOpModel(32);
    const error = await loadError(writeModel('custom.tflite', { ...model, opcodes: [{ deprecated: 32, custom: 'AudioSpectrogram' }] }));
    expect(error.message).toContain('uses the TFLite op CUSTOM (AudioSpectrogram)');
  });

  it('names an unsupported tensor type', async () => {
    const error = await loadError(writeModel('half.tflite', oneOpModel(6, 1, 0)));
    expect(error.message).toMatch(/tensor "feature_patch_in:0" \(input or output of DEQUANTIZE\) has type FLOAT16, which blurig-audio cannot rebuild/);
  });

  it('rejects a graph that is not a sigmoid classifier of 96×64 patches', async () => {
    const error = await loadError(writeModel('identity.tflite', oneOpModel(6)));
    expect(error.message).toMatch(/expected the model output shape \[1,521\], got \[1,96,64\]/);
  });

  it('creates no tensors when it fails', async () => {
    const before = tf.memory().numTensors;
    await loadError(writeModel('softmax2.tflite', oneOpModel(25)));
    await loadError(writeModel('identity2.tflite', oneOpModel(6)));
    expect(tf.memory().numTensors).toBe(before);
  });
});
