// Bounds-checked reads of FlatBuffers tables, so a truncated or corrupt file fails cleanly instead of reading zeros.
import { ByteBuffer } from 'flatbuffers';

/** A read fell outside the file: the bytes are truncated or are not a flatbuffer. */
export class FlatbufferRangeError extends Error {}

/** One table of a flatbuffer: `get*` take the schema's field id and return the default when the field is absent. */
export class FlatTable {
  private constructor(
    private readonly bb: ByteBuffer,
    readonly position: number,
  ) {}

  /** The root table of a buffer (the first 4 bytes hold its offset). */
  static root(bytes: Uint8Array): FlatTable {
    const bb = new ByteBuffer(bytes);
    check(bb, 0, 4, 'root offset');
    return FlatTable.at(bb, bb.readUint32(0), 'root table');
  }

  private static at(bb: ByteBuffer, position: number, what: string): FlatTable {
    check(bb, position, 4, what);
    const vtable = position - bb.readInt32(position);
    check(bb, vtable, 4, `${what} vtable`);
    check(bb, vtable, bb.readUint16(vtable), `${what} vtable`);
    return new FlatTable(bb, position);
  }

  /** Absolute position of a field's value, or 0 when the field is absent. */
  private field(id: number): number {
    const relative = this.bb.__offset(this.position, 4 + 2 * id);
    return relative === 0 ? 0 : this.position + relative;
  }

  has(id: number): boolean {
    return this.field(id) !== 0;
  }

  int8(id: number, fallback = 0): number {
    const at = this.field(id);
    return at === 0 ? fallback : (check(this.bb, at, 1, 'int8'), this.bb.readInt8(at));
  }

  uint8(id: number, fallback = 0): number {
    const at = this.field(id);
    return at === 0 ? fallback : (check(this.bb, at, 1, 'uint8'), this.bb.readUint8(at));
  }

  bool(id: number, fallback = false): boolean {
    return this.uint8(id, fallback ? 1 : 0) !== 0;
  }

  int32(id: number, fallback = 0): number {
    const at = this.field(id);
    return at === 0 ? fallback : (check(this.bb, at, 4, 'int32'), this.bb.readInt32(at));
  }

  uint32(id: number, fallback = 0): number {
    const at = this.field(id);
    return at === 0 ? fallback : (check(this.bb, at, 4, 'uint32'), this.bb.readUint32(at));
  }

  /** A ulong as a number (exact below 2^53, which covers any file offset). */
  uint64(id: number, fallback = 0): number {
    const at = this.field(id);
    return at === 0 ? fallback : (check(this.bb, at, 8, 'uint64'), Number(this.bb.readUint64(at)));
  }

  string(id: number): string | undefined {
    const at = this.field(id);
    if (at === 0) return undefined;
    const bytes = this.vectorBytes(at, 1, 'string');
    return new TextDecoder().decode(bytes);
  }

  table(id: number): FlatTable | undefined {
    const at = this.field(id);
    if (at === 0) return undefined;
    check(this.bb, at, 4, 'table offset');
    return FlatTable.at(this.bb, at + this.bb.readUint32(at), 'table');
  }

  tables(id: number): FlatTable[] {
    const at = this.field(id);
    if (at === 0) return [];
    const { start, length } = this.vector(at, 4, 'table vector');
    return Array.from({ length }, (_, i) => {
      const slot = start + 4 * i;
      return FlatTable.at(this.bb, slot + this.bb.readUint32(slot), 'table');
    });
  }

  int32s(id: number): number[] {
    return this.scalars(id, 4, (at) => this.bb.readInt32(at));
  }

  float32s(id: number): number[] {
    return this.scalars(id, 4, (at) => this.bb.readFloat32(at));
  }

  /** A [long] vector as numbers (zero points and the like are small). */
  int64s(id: number): number[] {
    return this.scalars(id, 8, (at) => Number(this.bb.readInt64(at)));
  }

  /** A [ubyte] vector as a view into the file (no copy), or undefined when absent. */
  bytes(id: number): Uint8Array | undefined {
    const at = this.field(id);
    return at === 0 ? undefined : this.vectorBytes(at, 1, 'byte vector');
  }

  private scalars(id: number, size: number, read: (at: number) => number): number[] {
    const at = this.field(id);
    if (at === 0) return [];
    const { start, length } = this.vector(at, size, 'vector');
    return Array.from({ length }, (_, i) => read(start + size * i));
  }

  private vectorBytes(at: number, size: number, what: string): Uint8Array {
    const { start, length } = this.vector(at, size, what);
    return this.bb.bytes().subarray(start, start + length * size);
  }

  /** Start and length of the vector whose offset sits at `at`, after checking it lies inside the file. */
  private vector(at: number, elementSize: number, what: string): { start: number; length: number } {
    check(this.bb, at, 4, `${what} offset`);
    const header = at + this.bb.readUint32(at);
    check(this.bb, header, 4, `${what} length`);
    const length = this.bb.readUint32(header);
    check(this.bb, header + 4, length * elementSize, what);
    return { start: header + 4, length };
  }
}

function check(bb: ByteBuffer, position: number, size: number, what: string): void {
  if (!Number.isSafeInteger(position) || position < 0 || size < 0 || position + size > bb.capacity()) {
    throw new FlatbufferRangeError(`${what} at byte ${position} (+${size}) lies outside the ${bb.capacity()} bytes`);
  }
}
