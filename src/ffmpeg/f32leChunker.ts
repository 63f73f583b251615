// Turns ffmpeg's f32le byte stream into Float32Array chunks, carrying the bytes of a sample split across reads (pure).

/**
 * Stateful converter for one stream. Pipe reads end anywhere, not on 4-byte boundaries, so the tail of one read
 * is kept and put in front of the next. Each result owns a fresh, aligned buffer (Node's pooled Buffers may sit
 * at any offset, and Float32Array views need a multiple of 4). Assumes a little-endian host, as every platform
 * Node ships for is.
 */
export class F32leChunker {
  private carry = new Uint8Array(4);
  private carried = 0;

  /** Samples of this read (possibly empty); keeps up to 3 bytes for the next. */
  push(bytes: Uint8Array): Float32Array {
    const total = this.carried + bytes.length;
    const whole = total - (total % 4);
    const out = new Uint8Array(whole);
    out.set(this.carry.subarray(0, Math.min(this.carried, whole)), 0);
    if (whole >= this.carried) {
      out.set(bytes.subarray(0, whole - this.carried), this.carried);
      const rest = bytes.subarray(whole - this.carried);
      this.carry.set(rest, 0);
      this.carried = rest.length;
    } else {
      // Fewer than 4 bytes in all: append to the carry and wait for more.
      this.carry.set(bytes, this.carried);
      this.carried = total;
    }
    return new Float32Array(out.buffer, 0, whole / 4);
  }

  /** Bytes left over that do not make a whole sample (0 after a clean stream). */
  get remainder(): number {
    return this.carried;
  }
}
