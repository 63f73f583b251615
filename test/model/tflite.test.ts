// The TFLite reader: the real YAMNet file's structure, op-code compatibility, and clean failures on bad bytes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors/index.js';
import { readTflite, readTfliteFile } from '../../src/model/tflite/index.js';
import { seededRandom } from '../helpers/signals.js';
import { describeWithModel } from '../helpers/model.js';
import { buildTflite, oneOpModel } from '../helpers/tfliteBuilder.js';

/** The ModelError `fn` throws (fails the test when it throws anything else or nothing). */
async function modelError(fn: () => unknown): Promise<ModelError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return error as ModelError;
  }
  throw new Error('expected a ModelError');
}

function randomBytes(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

describeWithModel('readTflite on YAMNet', (modelPath) => {
  it('reads version, op codes, tensors, quantisation and options', async () => {
    const model = await readTfliteFile(modelPath);
    expect(model.version).toBe(3);
    expect(model.operatorCodes.map((c) => c.name)).toEqual([
      'QUANTIZE', 'RESHAPE', 'SPLIT', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'MEAN', 'FULLY_CONNECTED', 'LOGISTIC', 'DEQUANTIZE',
    ]);
    const [graph] = model.subgraphs;
    expect(graph.operators).toHaveLength(34);
    const input = graph.tensors[graph.inputs[0]];
    expect([input.name, input.shape, input.typeName]).toEqual(['feature_patch_in:0', [1, 96, 64], 'FLOAT32']);
    expect(graph.tensors[graph.outputs[0]].shape).toEqual([1, 521]);

    const conv = graph.operators[3];
    expect(conv.options).toEqual({ kind: 'Conv2DOptions', padding: 'SAME', strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, activation: 'RELU6' });
    const filter = graph.tensors[conv.inputs[1]];
    expect([filter.shape, filter.typeName, model.buffers[filter.buffer].length]).toEqual([[32, 3, 3, 1], 'INT8', 288]);
    expect(filter.quantization?.scale).toHaveLength(32);
    expect(filter.quantization?.quantizedDimension).toBe(0);
    expect(filter.quantization?.zeroPoint.every((z) => z === 0)).toBe(true);
    const bias = graph.tensors[conv.inputs[2]];
    expect([bias.typeName, bias.quantization?.scale.length]).toEqual(['INT32', 32]);

    const depthwise = graph.operators[4];
    expect(depthwise.options).toMatchObject({ kind: 'DepthwiseConv2DOptions', strideH: 1, depthMultiplier: 1, activation: 'RELU6' });
    expect(graph.tensors[depthwise.inputs[1]].quantization?.quantizedDimension).toBe(3);
    expect(graph.operators[30].options).toEqual({ kind: 'ReducerOptions', keepDims: true });
    expect(graph.operators[31].options).toEqual({ kind: 'FullyConnectedOptions', activation: 'NONE', weightsFormat: 0, keepNumDims: false });
    expect(graph.operators[2].options).toEqual({ kind: 'SplitOptions', numSplits: 1 });
  });

  it('rejects a truncated copy with a one-line ModelError', async () => {
    const bytes = new Uint8Array(readFileSync(modelPath));
    for (const length of [16, 4096, bytes.length >> 1, bytes.length - 1000]) {
      const error = await modelError(() => readTflite(bytes.subarray(0, length), 'cut.tflite'));
      expect(error.message).toMatch(/^cut\.tflite is not a TFLite model \(truncated or corrupt: /);
      expect(error.message).not.toContain('\n');
    }
  });
});

describe('readTflite on bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blurig-tflite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects random bytes, with or without the TFL3 identifier', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const bytes = randomBytes(2000, seed);
      const plain = await modelError(() => readTflite(bytes, 'noise.bin'));
      expect(plain.message).toMatch(/^noise\.bin is not a TFLite model \(file identifier "/);
      bytes.set([0x54, 0x46, 0x4c, 0x33], 4); // "TFL3"
      const disguised = await modelError(() => readTflite(bytes, 'noise.tflite'));
      expect(disguised.message).toMatch(/^noise\.tflite is not a TFLite model \(/);
      expect(disguised.message).not.toContain('\n');
    }
  });

  it('rejects a text file and an empty file, naming the path', async () => {
    const text = join(dir, 'readme.txt');
    writeFileSync(text, 'This is not a model.\nSecond line.\n');
    const error = await modelError(() => readTfliteFile(text));
    expect(error.message).toBe(`${text} is not a TFLite model (file identifier " is ", expected "TFL3"): pass the YAMNet .tflite file, or fetch it with \`blurig model pull\``);
    expect(error.path).toBe(text);
    expect((await modelError(() => readTflite(new Uint8Array(3), 'empty.tflite'))).message).toMatch(/only 3 bytes/);
  });

  it('says which file is missing', async () => {
    const error = await modelError(() => readTfliteFile(join(dir, 'absent.tflite')));
    expect(error.message).toMatch(/^Cannot read the model file .*absent\.tflite \(ENOENT\)/);
  });

  it('takes the larger of builtin_code and deprecated_builtin_code', () => {
    const old = readTflite(buildTflite({ ...oneOpModel(0), opcodes: [{ deprecated: 4 }] }), 'old.tflite');
    expect(old.operatorCodes[0]).toMatchObject({ builtinCode: 4, name: 'DEPTHWISE_CONV_2D' });
    const wide = readTflite(buildTflite({ ...oneOpModel(0), opcodes: [{ builtin: 150, deprecated: 127 }] }), 'new.tflite');
    expect(wide.operatorCodes[0]).toMatchObject({ builtinCode: 150, name: 'GELU' });
  });

  it('rejects a file whose operators point outside the tensor list', async () => {
    const model = oneOpModel(14);
    const bytes = buildTflite({ ...model, operators: [{ opcodeIndex: 0, inputs: [0], outputs: [7] }] });
    expect((await modelError(() => readTflite(bytes, 'bad.tflite'))).message).toMatch(/operator 0 output refers to tensor 7 of 2/);
  });
});
