// validateModel: each check on a miniature int8 YAMNet edited in place, with the one-line message that names the op or tensor at fault.
import { describe, expect, it } from 'vitest';
import { ModelError, OptionError } from '../../src/errors/index.js';
import { dequantize, MAX_WEIGHT_MAGNITUDE } from '../../src/model/constants.js';
import { engineFault } from '../../src/model/engineFault.js';
import { checkProbeLogits, probePatch } from '../../src/model/probePatch.js';
import { readTflite } from '../../src/model/tflite/index.js';
import { CORRUPT_FIX, MAX_TENSOR_ELEMENTS, tensorLabel, validateModel } from '../../src/model/validateModel.js';
import { miniYamnet } from '../fault/miniYamnet.js';
import { locateFields, writeField } from '../fault/tfliteFields.js';

const mini = miniYamnet();
const fields = locateFields(mini);

/** The miniature with the field labelled `what` (see tfliteFields.ts) set to `value`, parsed. */
function edited(what: string, value: number) {
  const location = fields.find((f) => f.what === what);
  if (location === undefined) throw new Error(`no stored field "${what}"`);
  return readTflite(writeField(mini, location, value), 'm.tflite');
}

/** The message validateModel gives for the edit, without the fix every such message ends with. */
function problem(what: string, value: number): string {
  let error: unknown;
  try {
    validateModel(edited(what, value), 'm.tflite', 521);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ModelError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message.endsWith(`; ${CORRUPT_FIX}`) ? message.slice(0, -CORRUPT_FIX.length - 2) : message;
}

describe('validateModel on the miniature (test/fault/miniYamnet.ts: QUANTIZE, RESHAPE, SPLIT, CONV_2D #3, DEPTHWISE_CONV_2D #4, CONV_2D #5, MEAN #6, FULLY_CONNECTED #7, LOGISTIC, DEQUANTIZE)', () => {
  it('accepts it unchanged and finds the logits (tensor 19, the LOGISTIC’s input)', () => {
    expect(validateModel(readTflite(mini, 'm.tflite'), 'm.tflite', 521)).toEqual({ logitsIndex: 19 });
  });

  it('refuses a stride of 0 (which gave all-NaN scores on tfjs and SIGFPE on onnxruntime) or below', () => {
    expect(problem('operator 3 stride h', 0)).toBe('m.tflite: CONV_2D #3 has stride 0×2; strides are positive integers');
    expect(problem('operator 4 stride w', -1)).toBe('m.tflite: DEPTHWISE_CONV_2D #4 has stride 1×-1; strides are positive integers');
  });

  it('refuses a stride, kernel or padding whose output is not the shape the file records', () => {
    // SAME, stride 3: ceil(96 / 3) = 32 rows where the file says 48.
    expect(problem('operator 3 stride h', 3)).toBe('m.tflite: CONV_2D #3 makes [1,32,32,4] from its inputs, but the file records its output "a1" as [1,48,32,4]');
    // VALID 3×3 at stride 2: ceil(94 / 2) = 47 rows, ceil(62 / 2) = 31 columns.
    expect(problem('operator 3 padding', 1)).toBe('m.tflite: CONV_2D #3 makes [1,47,31,4] from its inputs, but the file records its output "a1" as [1,48,32,4]');
    expect(problem('operator 4 dilation h', 2)).toBe('m.tflite: DEPTHWISE_CONV_2D #4 has dilation 2×1, only 1×1 is supported');
    expect(problem('operator 4 depth multiplier', 2)).toBe('m.tflite: DEPTHWISE_CONV_2D #4 has depth multiplier 2; only 1 is rebuilt');
  });

  it('refuses quantisation scales that are not finite and positive', () => {
    for (const [value, shown] of [[Number.NaN, 'NaN'], [0, '0'], [-1, '-1'], [Number.POSITIVE_INFINITY, 'Infinity']] as const) {
      expect(problem('tensor 6 scale[1]', value)).toBe(`m.tflite: tensor "k1" (#6) has quantisation scale ${shown} (channel 1); scales are finite and positive`);
    }
  });

  it('refuses zero points outside their type’s range (int8 activations) or other than 0 (int32 biases, TFLite’s spec)', () => {
    expect(problem('tensor 8 zero point[0]', 200)).toBe('m.tflite: tensor "a1" (#8) has zero point 200 (channel 0), outside -128…127 for INT8');
    expect(problem('tensor 7 zero point[2]', 1)).toBe('m.tflite: tensor "b1" (#7) has zero point 1 (channel 2), where INT32 needs 0');
  });

  it('refuses per-channel scales along an axis the tensor lacks, or of the wrong count', () => {
    expect(problem('tensor 9 quantized dimension', 7)).toBe('m.tflite: tensor "k2" (#9) is quantised along axis 7 of a rank-4 tensor');
    expect(problem('tensor 9 quantized dimension', 1)).toBe('m.tflite: tensor "k2" (#9) has 4 scales for 3 channels along axis 1');
  });

  it('refuses dimensions that are not positive, tensors too big to build, and constants of the wrong byte size', () => {
    expect(problem('tensor 8 shape[1]', 0)).toBe('m.tflite: tensor "a1" (#8) has shape [1,0,32,4]; dimensions are positive integers');
    expect(problem('tensor 8 shape[1]', 2 ** 31 - 1)).toBe(`m.tflite: tensor "a1" (#8) has shape [1,2147483647,32,4], 274877906816 values, over the ${MAX_TENSOR_ELEMENTS} any tensor here may have`);
    expect(problem('tensor 6 shape[0]', 5)).toBe('m.tflite: tensor "k1" (#6) holds 36 bytes, expected 45 for INT8 [5,3,3,1]');
  });

  it('refuses a reshape, mean, split or dense layer that does not fit its input', () => {
    expect(problem('tensor 3 shape[1]', 95)).toBe('m.tflite: RESHAPE #1 reshapes 6144 values [1,96,64] to [1,95,64,1]');
    expect(problem('operator 1 new shape[2]', 32)).toBe('m.tflite: RESHAPE #1 asks for shape [1,96,32,1] but records its output as [1,96,64,1]');
    expect(problem('buffer 9 int32[0]', 4)).toBe('m.tflite: MEAN #6 averages over axes [4,2] of a rank-4 tensor');
    expect(problem('operator 2 num splits', 2)).toBe('m.tflite: SPLIT #2 splits into 2 tensors (1 outputs); the rebuilt graph keeps one');
    expect(problem('tensor 17 shape[1]', 3)).toMatch(/^m\.tflite: tensor "w" \(#17\) holds 3126 bytes, expected 1563 for INT8 \[521,3\]$/);
  });

  it('refuses wiring that reads a tensor before it is written, or a constant where an activation goes', () => {
    expect(problem('operator 4 inputs[0]', 11)).toBe('m.tflite: DEPTHWISE_CONV_2D #4 reads tensor 11 before any op writes it');
    expect(problem('operator 3 inputs[1]', 8)).toBe('m.tflite: CONV_2D #3 expects its filter as a constant at input 1');
  });
});

describe('checks beside validateModel', () => {
  it('dequantize refuses weights past any trained one (a scale of 1e30 is finite and positive, its weights are not)', () => {
    const model = edited('tensor 6 scale[0]', 1e30);
    expect(() => validateModel(model, 'm.tflite', 521)).not.toThrow();
    const k1 = model.subgraphs[0].tensors[6];
    expect(() => dequantize(model, k1, 'm.tflite')).toThrow(ModelError);
    expect(() => dequantize(model, k1, 'm.tflite')).toThrow(new RegExp(`^m\\.tflite: constant "k1" \\(#6\\) holds -?[0-9.e+]+ at element 0, beyond any trained weight \\(\\|w\\| ≤ ${MAX_WEIGHT_MAGNITUDE}\\); `));
  });

  it('the probe patch is fixed: silence in its first 48 frames, values within the log-mel range after', () => {
    const patch = probePatch();
    expect(patch).toHaveLength(96 * 64);
    expect(patch.subarray(0, 48 * 64).every((v) => Math.abs(v - Math.log(0.001)) < 1e-6)).toBe(true);
    expect(Math.min(...patch.subarray(48 * 64))).toBeGreaterThanOrEqual(-6);
    expect(Math.max(...patch.subarray(48 * 64))).toBeLessThanOrEqual(2);
    expect(probePatch()).toEqual(patch);
  });

  it('checkProbeLogits counts the non-finite logits it refuses', () => {
    expect(() => checkProbeLogits(Float32Array.of(0, 1, -3), 'm.tflite', 'onnx')).not.toThrow();
    expect(() => checkProbeLogits(Float32Array.of(0, Number.NaN, Number.POSITIVE_INFINITY), 'm.tflite', 'onnx')).toThrow(
      `m.tflite: the model gives 2 non-finite logits of 3 on a test patch (onnx engine), so its weights are damaged; ${CORRUPT_FIX}`,
    );
  });

  it('engineFault turns an engine’s error into one ModelError line naming the op, and leaves BlurigErrors alone', () => {
    const fault = engineFault(new Error('[ShapeInferenceError] Incompatible dimensions\n  at node 12'), 'm.tflite', 'CONV_2D #3', 'was rejected by onnxruntime');
    expect(fault).toBeInstanceOf(ModelError);
    expect(fault.message).toBe(`m.tflite: CONV_2D #3 was rejected by onnxruntime ([ShapeInferenceError] Incompatible dimensions); ${CORRUPT_FIX}`);
    const option = new OptionError('threads', 'a positive integer', 0);
    expect(engineFault(option, 'm.tflite', 'x', 'y')).toBe(option);
  });

  it('names a tensor by the first of the names a converter joined with ";"', () => {
    expect(tensorLabel({ index: 0, name: 'layer3/Relu6;layer3/BatchNorm;layer4/depthwise', shape: [], type: 0, typeName: 'FLOAT32', buffer: 0 })).toBe('layer3/Relu6');
  });
});
