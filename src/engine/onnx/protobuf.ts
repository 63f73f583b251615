// A minimal protocol-buffers writer: the wire format ONNX models are stored in, and nothing more.

/** Appends protobuf fields to a growing byte buffer; `finish()` returns the encoded message. */
export class ProtoWriter {
  private bytes = new Uint8Array(256);
  private length = 0;

  /** Field with a varint value (int32, int64, enum, bool); negative numbers take ten bytes, as protobuf requires. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.rawVarint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  /** Field with a 32-bit float. */
  float(field: number, value: number): this {
    this.tag(field, 5);
    this.ensure(4);
    new DataView(this.bytes.buffer, this.length, 4).setFloat32(0, value, true);
    this.length += 4;
    return this;
  }

  /** Length-delimited field: a string (UTF-8), raw bytes or an embedded message. */
  bytesField(field: number, value: string | Uint8Array): this {
    const data = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    this.tag(field, 2);
    this.rawVarint(BigInt(data.length));
    this.ensure(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Packed repeated varints (int64 lists such as dims and ints attributes). */
  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(BigInt.asUintN(64, BigInt(v)));
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(BigInt((field << 3) | wireType));
  }

  private rawVarint(value: bigint): void {
    this.ensure(10);
    let v = value;
    while (v >= 0x80n) {
      this.bytes[this.length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.bytes[this.length++] = Number(v);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}
