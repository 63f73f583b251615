// Builds tiny TFLite flatbuffers for tests (field numbers from schema.fbs), to provoke reader and rebuild errors.
import { Builder } from 'flatbuffers';

export interface SyntheticTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** TensorType value (0 FLOAT32, 1 FLOAT16, 2 INT32, 9 INT8, …). */
  readonly type: number;
  /** Constant data, little-endian; absent for activations. */
  readonly data?: Uint8Array;
  readonly quantization?: { scale: readonly number[]; zeroPoint: readonly number[]; quantizedDimension?: number };
}

export interface SyntheticOperator {
  readonly opcodeIndex: number;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** BuiltinOptions union type and a function writing the options table. */
  readonly options?: { readonly type: number; readonly write: (b: Builder) => number };
}

export interface SyntheticModel {
  readonly version?: number;
  /** `builtin` goes to builtin_code (field 3), `deprecated` to the old byte field (field 0). */
  readonly opcodes: readonly { builtin?: number; deprecated?: number; custom?: string }[];
  readonly tensors: readonly SyntheticTensor[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly operators: readonly SyntheticOperator[];
}

/** Serialises `model` with the "TFL3" identifier. */
export function buildTflite(model: SyntheticModel): Uint8Array {
  const b = new Builder(1024);
  const ints = (values: readonly number[]) => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
    return b.endVector();
  };
  const offsets = (values: readonly number[]) => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addOffset(values[i]);
    return b.endVector();
  };
  // Buffer 0 is the empty sentinel; each constant tensor gets the next buffer.
  const bufferData: Uint8Array[] = [new Uint8Array(0)];
  const bufferOf = model.tensors.map((t) => (t.data === undefined ? 0 : bufferData.push(t.data) - 1));
  const buffers = bufferData.map((data) => {
    const vector = data.length > 0 ? b.createByteVector(data) : 0;
    b.startObject(3);
    if (vector !== 0) b.addFieldOffset(0, vector, 0);
    return b.endObject();
  });
  const tensors = model.tensors.map((t, i) => {
    const name = b.createString(t.name);
    const shape = ints(t.shape);
    let quantization = 0;
    if (t.quantization !== undefined) {
      const scale = (() => {
        b.startVector(4, t.quantization.scale.length, 4);
        for (let k = t.quantization.scale.length - 1; k >= 0; k--) b.addFloat32(t.quantization.scale[k]);
        return b.endVector();
      })();
      b.startVector(8, t.quantization.zeroPoint.length, 8);
      for (let k = t.quantization.zeroPoint.length - 1; k >= 0; k--) b.addInt64(BigInt(t.quantization.zeroPoint[k]));
      const zeroPoint = b.endVector();
      b.startObject(7);
      b.addFieldOffset(2, scale, 0);
      b.addFieldOffset(3, zeroPoint, 0);
      b.addFieldInt32(6, t.quantization.quantizedDimension ?? 0, 0);
      quantization = b.endObject();
    }
    b.startObject(5);
    b.addFieldOffset(0, shape, 0);
    b.addFieldInt8(1, t.type, 0);
    b.addFieldInt32(2, bufferOf[i], 0);
    b.addFieldOffset(3, name, 0);
    if (quantization !== 0) b.addFieldOffset(4, quantization, 0);
    return b.endObject();
  });
  const operators = model.operators.map((op) => {
    const options = op.options?.write(b) ?? 0;
    const inputs = ints(op.inputs);
    const outputs = ints(op.outputs);
    b.startObject(5);
    b.addFieldInt32(0, op.opcodeIndex, 0);
    b.addFieldOffset(1, inputs, 0);
    b.addFieldOffset(2, outputs, 0);
    if (op.options !== undefined) {
      b.addFieldInt8(3, op.options.type, 0);
      b.addFieldOffset(4, options, 0);
    }
    return b.endObject();
  });
  const tensorVector = offsets(tensors);
  const inputs = ints(model.inputs);
  const outputs = ints(model.outputs);
  const operatorVector = offsets(operators);
  b.startObject(5);
  b.addFieldOffset(0, tensorVector, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  b.addFieldOffset(3, operatorVector, 0);
  const subgraph = b.endObject();
  const opcodes = model.opcodes.map((code) => {
    const custom = code.custom === undefined ? 0 : b.createString(code.custom);
    b.startObject(4);
    b.addFieldInt8(0, code.deprecated ?? 0, 0);
    if (custom !== 0) b.addFieldOffset(1, custom, 0);
    b.addFieldInt32(2, 1, 1);
    b.addFieldInt32(3, code.builtin ?? 0, 0);
    return b.endObject();
  });
  const opcodeVector = offsets(opcodes);
  const subgraphVector = offsets([subgraph]);
  const bufferVector = offsets(buffers);
  const description = b.createString('synthetic test model');
  b.startObject(5);
  b.addFieldInt32(0, model.version ?? 3, 0);
  b.addFieldOffset(1, opcodeVector, 0);
  b.addFieldOffset(2, subgraphVector, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, bufferVector, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array();
}

/** Little-endian bytes of typed values, for constant tensors. */
export function bytesOf(values: Float32Array | Int32Array | Int8Array): Uint8Array {
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

/** A one-op model: a float32 input [1, 96, 64] through op `builtin` (no options) to an output of `outputType`. */
export function oneOpModel(builtin: number, inputType = 0, outputType = 0): SyntheticModel {
  return {
    opcodes: [{ builtin, deprecated: builtin < 127 ? builtin : 127 }],
    tensors: [
      { name: 'feature_patch_in:0', shape: [1, 96, 64], type: inputType },
      { name: 'out:0', shape: [1, 96, 64], type: outputType },
    ],
    inputs: [0],
    outputs: [1],
    operators: [{ opcodeIndex: 0, inputs: [0], outputs: [1] }],
  };
}
