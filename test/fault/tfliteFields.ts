// Finds where each editable field of a TFLite flatbuffer sits (shapes, strides, quantisation, op wiring), for in-place edits in fuzz tests.
import { ByteBuffer } from 'flatbuffers';
import { BUILTIN_OPTIONS, FIELD } from '../../src/model/tflite/schema.js';

/** How the bytes at a location are stored. */
export type FieldKind = 'int8' | 'uint8' | 'int32' | 'uint32' | 'float32' | 'int64';

/** One stored scalar: what it is (e.g. `tensor 63 shape[1]`), where its bytes start and how they are stored. */
export interface FieldLocation {
  readonly what: string;
  /** The family the fuzz test draws from: shape, stride, padding, quant-scale, zero-point, … */
  readonly family: string;
  readonly offset: number;
  readonly kind: FieldKind;
}

const SIZE: Record<FieldKind, number> = { int8: 1, uint8: 1, int32: 4, uint32: 4, float32: 4, int64: 8 };

/**
 * Every scalar the file stores explicitly in the tables blurig reads (a field left at its default has no bytes, so
 * it cannot be edited in place). Overwriting one of them keeps the flatbuffer well-formed: only the value changes.
 */
export function locateFields(bytes: Uint8Array): FieldLocation[] {
  const bb = new ByteBuffer(bytes);
  const out: FieldLocation[] = [];
  const field = (table: number, id: number): number => {
    const relative = bb.__offset(table, 4 + 2 * id);
    return relative === 0 ? 0 : table + relative;
  };
  const scalar = (table: number, id: number, kind: FieldKind, what: string, family: string): void => {
    const at = field(table, id);
    if (at !== 0) out.push({ what, family, offset: at, kind });
  };
  const vector = (table: number, id: number, kind: FieldKind, what: string, family: string): void => {
    const at = field(table, id);
    if (at === 0) return;
    const start = bb.__vector(at);
    const length = bb.__vector_len(at);
    for (let i = 0; i < length; i++) out.push({ what: `${what}[${i}]`, family, offset: start + i * SIZE[kind], kind });
  };
  const tables = (table: number, id: number): number[] => {
    const at = field(table, id);
    if (at === 0) return [];
    const start = bb.__vector(at);
    return Array.from({ length: bb.__vector_len(at) }, (_, i) => bb.__indirect(start + 4 * i));
  };
  const child = (table: number, id: number): number | undefined => {
    const at = field(table, id);
    return at === 0 ? undefined : bb.__indirect(at);
  };

  const root = bb.readInt32(bb.position()) + bb.position();
  const [subgraph] = tables(root, FIELD.Model.subgraphs);
  const buffers = tables(root, FIELD.Model.buffers);
  const tensors = tables(subgraph, FIELD.SubGraph.tensors);
  const constantInt32: number[] = [];
  tensors.forEach((tensor, t) => {
    vector(tensor, FIELD.Tensor.shape, 'int32', `tensor ${t} shape`, 'shape');
    scalar(tensor, FIELD.Tensor.type, 'int8', `tensor ${t} type`, 'type');
    scalar(tensor, FIELD.Tensor.buffer, 'uint32', `tensor ${t} buffer`, 'wiring');
    const q = child(tensor, FIELD.Tensor.quantization);
    if (q !== undefined) {
      vector(q, FIELD.QuantizationParameters.scale, 'float32', `tensor ${t} scale`, 'quant-scale');
      vector(q, FIELD.QuantizationParameters.zeroPoint, 'int64', `tensor ${t} zero point`, 'zero-point');
      scalar(q, FIELD.QuantizationParameters.quantizedDimension, 'int32', `tensor ${t} quantized dimension`, 'quant-axis');
    }
    // Small INT32 constants are shapes and axes (reshape targets, mean axes, the split axis), or a small model's biases.
    const typeAt = field(tensor, FIELD.Tensor.type);
    const bufferAt = field(tensor, FIELD.Tensor.buffer);
    if (typeAt !== 0 && bb.readInt8(typeAt) === 2 && bufferAt !== 0) constantInt32.push(bb.readUint32(bufferAt));
  });
  for (const index of new Set(constantInt32)) {
    const buffer = buffers[index];
    if (buffer === undefined) continue;
    const at = field(buffer, FIELD.Buffer.data);
    if (at === 0 || bb.__vector_len(at) > 64) continue; // biases are INT32 too: only the small ones (≤ 16 values; none of YAMNet's)
    const start = bb.__vector(at);
    for (let i = 0; i < bb.__vector_len(at) / 4; i++) out.push({ what: `buffer ${index} int32[${i}]`, family: 'axes', offset: start + 4 * i, kind: 'int32' });
  }
  vector(subgraph, FIELD.SubGraph.inputs, 'int32', 'subgraph inputs', 'wiring');
  vector(subgraph, FIELD.SubGraph.outputs, 'int32', 'subgraph outputs', 'wiring');
  tables(subgraph, FIELD.SubGraph.operators).forEach((op, o) => {
    scalar(op, FIELD.Operator.opcodeIndex, 'uint32', `operator ${o} opcode`, 'wiring');
    vector(op, FIELD.Operator.inputs, 'int32', `operator ${o} inputs`, 'wiring');
    vector(op, FIELD.Operator.outputs, 'int32', `operator ${o} outputs`, 'wiring');
    const typeAt = field(op, FIELD.Operator.builtinOptionsType);
    const options = child(op, FIELD.Operator.builtinOptions);
    if (typeAt === 0 || options === undefined) return;
    const type = bb.readUint8(typeAt);
    const name = `operator ${o}`;
    if (type === BUILTIN_OPTIONS.Conv2DOptions || type === BUILTIN_OPTIONS.DepthwiseConv2DOptions) {
      const f = type === BUILTIN_OPTIONS.Conv2DOptions ? FIELD.Conv2DOptions : FIELD.DepthwiseConv2DOptions;
      scalar(options, f.strideW, 'int32', `${name} stride w`, 'stride');
      scalar(options, f.strideH, 'int32', `${name} stride h`, 'stride');
      scalar(options, f.padding, 'int8', `${name} padding`, 'padding');
      scalar(options, f.fusedActivation, 'int8', `${name} activation`, 'activation');
      scalar(options, f.dilationW, 'int32', `${name} dilation w`, 'stride');
      scalar(options, f.dilationH, 'int32', `${name} dilation h`, 'stride');
      if ('depthMultiplier' in f) scalar(options, f.depthMultiplier, 'int32', `${name} depth multiplier`, 'stride');
    } else if (type === BUILTIN_OPTIONS.FullyConnectedOptions) {
      scalar(options, FIELD.FullyConnectedOptions.fusedActivation, 'int8', `${name} activation`, 'activation');
      scalar(options, FIELD.FullyConnectedOptions.keepNumDims, 'uint8', `${name} keep num dims`, 'axes');
    } else if (type === BUILTIN_OPTIONS.ReshapeOptions) {
      vector(options, FIELD.ReshapeOptions.newShape, 'int32', `${name} new shape`, 'shape');
    } else if (type === BUILTIN_OPTIONS.ReducerOptions) {
      scalar(options, FIELD.ReducerOptions.keepDims, 'uint8', `${name} keep dims`, 'axes');
    } else if (type === BUILTIN_OPTIONS.SplitOptions) {
      scalar(options, FIELD.SplitOptions.numSplits, 'int32', `${name} num splits`, 'axes');
    }
  });
  return out;
}

/** The stored value at `location`. */
export function readField(bytes: Uint8Array, location: FieldLocation): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (location.kind) {
    case 'int8': return view.getInt8(location.offset);
    case 'uint8': return view.getUint8(location.offset);
    case 'int32': return view.getInt32(location.offset, true);
    case 'uint32': return view.getUint32(location.offset, true);
    case 'float32': return view.getFloat32(location.offset, true);
    case 'int64': return Number(view.getBigInt64(location.offset, true));
  }
}

/** A copy of `bytes` with `value` stored at `location` (wrapped to the field's width, as a byte editor would). */
export function writeField(bytes: Uint8Array, location: FieldLocation, value: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const view = new DataView(copy.buffer);
  switch (location.kind) {
    case 'int8': view.setInt8(location.offset, value); break;
    case 'uint8': view.setUint8(location.offset, value); break;
    case 'int32': view.setInt32(location.offset, value | 0, true); break;
    case 'uint32': view.setUint32(location.offset, value >>> 0, true); break;
    case 'float32': view.setFloat32(location.offset, value, true); break;
    case 'int64': view.setBigInt64(location.offset, BigInt(Math.trunc(value)), true); break;
  }
  return copy;
}
