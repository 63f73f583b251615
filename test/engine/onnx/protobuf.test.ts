// The protobuf writer against hand-encoded bytes from the protocol-buffers encoding guide, and the ONNX record layout.
import { describe, expect, it } from 'vitest';
import { encodeOnnxModel } from '../../../src/engine/onnx/onnxProto.js';
import { ProtoWriter } from '../../../src/engine/onnx/protobuf.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('ProtoWriter', () => {
  it('writes varints as the encoding guide does: 150 in field 1 is 08 96 01, 300 is ac 02', () => {
    expect(hex(new ProtoWriter().varint(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().varint(2, 300).finish())).toBe('10ac02');
  });

  it('writes negative int64 as ten bytes of two’s complement', () => {
    expect(hex(new ProtoWriter().varint(1, -1).finish())).toBe('08ffffffffffffffffff01');
  });

  it('writes strings length-delimited ("testing" in field 2 is 12 07 74 65 73 74 69 6e 67)', () => {
    expect(hex(new ProtoWriter().bytesField(2, 'testing').finish())).toBe('120774657374696e67');
  });

  it('packs repeated varints (3, 270, 86942 in field 4 is 22 06 03 8e 02 9e a7 05)', () => {
    expect(hex(new ProtoWriter().packedVarints(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
  });

  it('writes floats as little-endian fixed32 (1.5 in field 2 is 15 00 00 c0 3f)', () => {
    expect(hex(new ProtoWriter().float(2, 1.5).finish())).toBe('150000c03f');
  });

  it('grows past its first buffer without losing bytes', () => {
    const big = new Uint8Array(10_000).map((_, i) => i % 251);
    const out = new ProtoWriter().varint(1, 7).bytesField(3, big).finish();
    expect(out.length).toBe(2 + 3 + big.length);
    expect(out.subarray(5)).toEqual(big);
  });
});

describe('encodeOnnxModel', () => {
  it('starts with ir_version 8 and names its producer', () => {
    const bytes = encodeOnnxModel({ name: 'g', nodes: [], initializers: [], inputs: [], outputs: [] }, 'p');
    expect(hex(bytes.subarray(0, 5))).toBe('0808120170'); // field 1 = 8, field 2 = "p"
  });

  it('refuses an initializer whose values do not fill its dims, and a non-integer int attribute', () => {
    const graph = (values: Float32Array, attribute: number) => ({
      name: 'g',
      nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'], attributes: { a: attribute } }],
      initializers: [{ name: 'w', dims: [2, 2], values }],
      inputs: [],
      outputs: [],
    });
    expect(() => encodeOnnxModel(graph(new Float32Array(3), 1), 'p')).toThrow(/3 values for dims \[2, 2\]/);
    expect(() => encodeOnnxModel(graph(new Float32Array(4), 0.5), 'p')).toThrow(/not an integer/);
  });
});
