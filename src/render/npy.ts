// NumPy .npy export of per-frame attribution, so it can be studied with NumPy, Matplotlib or any array tool.
import { endianness } from 'node:os';
import { ShapeError } from '../errors/ShapeError.js';
import type { ExplainedClass, FrameAttribution } from '../types.js';
import { YAMNET_FRONT_END } from '../types.js';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

/**
 * Encode `data` as a NumPy .npy file, format version 1.0: dtype '<f4', C (row-major) order, header padded with
 * spaces and ended by a newline so the data starts at a multiple of 64 bytes.
 */
export function encodeNpy(data: Float32Array, shape: readonly number[]): Buffer {
  const size = shape.reduce((n, d) => n * d, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0) || size !== data.length) {
    throw new ShapeError('npy data', shape, [data.length]);
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const preamble = MAGIC.length + 2 + 2; // magic, version (1, 0), uint16 header length
  const headerLength = Math.ceil((preamble + dict.length + 1) / 64) * 64 - preamble;
  const out = Buffer.alloc(preamble + headerLength + data.length * 4);
  MAGIC.copy(out, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(headerLength, 8);
  out.write(dict.padEnd(headerLength - 1, ' ') + '\n', preamble, 'latin1');
  const body = preamble + headerLength;
  if (endianness() === 'LE') {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), body);
  } else {
    for (let i = 0; i < data.length; i++) out.writeFloatLE(data[i], body + i * 4);
  }
  return out;
}

/**
 * The per-frame attribution as one [classes × frames × 64] array, in the order of `classes` and `frames`;
 * NaN where a frame has no attribution for a class (no covering patch explained it).
 */
export function frameAttributionArray(
  frames: readonly FrameAttribution[],
  classes: readonly ExplainedClass[],
): { data: Float32Array; shape: [number, number, number] } {
  const bands = YAMNET_FRONT_END.melBands;
  const data = new Float32Array(classes.length * frames.length * bands).fill(Number.NaN);
  classes.forEach((cls, c) => {
    frames.forEach((frame, t) => {
      const entry = frame.classes.find((fc) => fc.classIndex === cls.index);
      if (entry === undefined) return;
      if (entry.attribution.length !== bands) throw new ShapeError(`frame ${frame.index} attribution`, [bands], [entry.attribution.length]);
      data.set(entry.attribution, (c * frames.length + t) * bands);
    });
  });
  return { data, shape: [classes.length, frames.length, bands] };
}
