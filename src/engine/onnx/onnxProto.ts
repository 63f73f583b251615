// ONNX model records (the subset blurig-audio writes) and their encoding to the onnx.proto wire format.
import { ProtoWriter } from './protobuf.js';

/** A node attribute: an int, a float, or a list of ints (ONNX AttributeProto INT, FLOAT, INTS). */
export type OnnxAttribute = number | readonly number[] | { readonly float: number };

/** One operator of the graph (NodeProto). */
export interface OnnxNode {
  readonly opType: string;
  /** Value names read, in the operator's input order ('' for an omitted optional input). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
  /** The node's name, quoted by onnxruntime's errors. @default none */
  readonly name?: string;
}

/** A constant (TensorProto): float32 or int64 values, row-major with `dims`. */
export interface OnnxInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly values: Float32Array | BigInt64Array;
}

/** A graph input or output (ValueInfoProto): float32, with a shape whose string entries are symbolic dims (`batch`). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly shape: readonly (number | string)[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

/** ONNX IR version 8 with the default-domain opset 17 (ReduceMean still takes `axes` as an attribute). */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

const TENSOR_FLOAT = 1;
const TENSOR_INT64 = 7;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** Encodes `graph` as a complete ModelProto, ready for onnxruntime's InferenceSession.create(bytes). */
export function encodeOnnxModel(graph: OnnxGraph, producer: string): Uint8Array {
  const opset = new ProtoWriter().bytesField(1, '').varint(2, ONNX_OPSET).finish();
  return new ProtoWriter()
    .varint(1, ONNX_IR_VERSION)
    .bytesField(2, producer)
    .bytesField(8, opset)
    .bytesField(7, encodeGraph(graph))
    .finish();
}

function encodeGraph(graph: OnnxGraph): Uint8Array {
  const w = new ProtoWriter();
  for (const node of graph.nodes) w.bytesField(1, encodeNode(node));
  w.bytesField(2, graph.name);
  for (const init of graph.initializers) w.bytesField(5, encodeTensor(init));
  for (const input of graph.inputs) w.bytesField(11, encodeValueInfo(input));
  for (const output of graph.outputs) w.bytesField(12, encodeValueInfo(output));
  return w.finish();
}

function encodeNode(node: OnnxNode): Uint8Array {
  const w = new ProtoWriter();
  for (const input of node.inputs) w.bytesField(1, input);
  for (const output of node.outputs) w.bytesField(2, output);
  if (node.name !== undefined) w.bytesField(3, node.name);
  w.bytesField(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) w.bytesField(5, encodeAttribute(name, value));
  return w.finish();
}

function encodeAttribute(name: string, value: OnnxAttribute): Uint8Array {
  const w = new ProtoWriter().bytesField(1, name);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`ONNX attribute ${name}: ${value} is not an integer; pass { float: ${value} }`);
    return w.varint(20, ATTRIBUTE_INT).varint(3, value).finish();
  }
  if ('float' in value) return w.varint(20, ATTRIBUTE_FLOAT).float(2, value.float).finish();
  return w.varint(20, ATTRIBUTE_INTS).packedVarints(8, value).finish();
}

function encodeTensor(tensor: OnnxInitializer): Uint8Array {
  const expected = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.values.length !== expected) throw new Error(`ONNX initializer ${tensor.name}: ${tensor.values.length} values for dims [${tensor.dims.join(', ')}]`);
  const raw = new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength);
  // raw_data is little-endian by definition, which is every platform onnxruntime-node ships for.
  return new ProtoWriter()
    .packedVarints(1, tensor.dims)
    .varint(2, tensor.values instanceof Float32Array ? TENSOR_FLOAT : TENSOR_INT64)
    .bytesField(8, tensor.name)
    .bytesField(9, raw)
    .finish();
}

function encodeValueInfo(info: OnnxValueInfo): Uint8Array {
  const shape = new ProtoWriter();
  for (const dim of info.shape) {
    shape.bytesField(1, typeof dim === 'number' ? new ProtoWriter().varint(1, dim).finish() : new ProtoWriter().bytesField(2, dim).finish());
  }
  const tensorType = new ProtoWriter().varint(1, TENSOR_FLOAT).bytesField(2, shape.finish()).finish();
  const type = new ProtoWriter().bytesField(1, tensorType).finish();
  return new ProtoWriter().bytesField(1, info.name).bytesField(2, type).finish();
}
