// The student's weights format: student.json (architecture, tensor table, normalisation, training record) + student.bin.
import { architectureProblem, layerShapes, type StudentArchitecture, type StudentWeights } from './network.js';

/** The `format` field every student.json carries. */
export const STUDENT_FORMAT = 'blurig-student/2';

/** One weight in the .bin file: little-endian `dtype` values from byte `offset`, row-major `shape`. */
export interface StudentTensorEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
}

/** What student.json holds. `training` is free-form: how the weights were made, for the model card and reports. */
export interface StudentManifest {
  readonly format: typeof STUDENT_FORMAT;
  readonly name: string;
  readonly architecture: StudentArchitecture;
  readonly dtype: 'float32' | 'float16';
  /** The weights file, relative to student.json. */
  readonly weights: string;
  readonly bytes: number;
  readonly normalisation: { readonly mean: readonly number[]; readonly std: readonly number[] };
  readonly tensors: readonly StudentTensorEntry[];
  readonly training?: Readonly<Record<string, unknown>>;
}

/** Checks a parsed student.json and reads its weights out of the .bin bytes; returns a reason instead on a mismatch. */
export function decodeStudent(manifest: StudentManifest, bin: Uint8Array): StudentWeights | string {
  if (manifest.format !== STUDENT_FORMAT) return `format is "${String(manifest.format)}", expected "${STUDENT_FORMAT}"`;
  if (manifest.architecture?.kind !== 'tdnn') return `architecture "${String(manifest.architecture?.kind)}" is not one this version reads (tdnn)`;
  const problem = architectureProblem(manifest.architecture);
  if (problem !== null) return problem;
  if (manifest.dtype !== 'float32' && manifest.dtype !== 'float16') return `dtype "${String(manifest.dtype)}" is neither float32 nor float16`;
  if (bin.byteLength !== manifest.bytes) return `the weights file has ${bin.byteLength} bytes, student.json says ${manifest.bytes}`;
  const bands = manifest.architecture.inputShape[1];
  const { mean, std } = manifest.normalisation;
  if (mean.length !== bands || std.length !== bands || std.some((s) => !(s > 0))) return `normalisation needs ${bands} means and ${bands} positive deviations`;
  const shapes = layerShapes(manifest.architecture);
  const names = shapes.flatMap((_shape, i) => [`layer${i}/kernel`, `layer${i}/bias`]);
  const bytesPer = manifest.dtype === 'float32' ? 4 : 2;
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const arrays: Float32Array[] = [];
  for (const [j, name] of names.entries()) {
    const entry = manifest.tensors.find((t) => t.name === name);
    const [inputs, outputs] = shapes[j >> 1];
    const shape = j % 2 === 0 ? [inputs, outputs] : [outputs];
    if (entry === undefined) return `tensor ${name} is missing`;
    if (entry.shape.length !== shape.length || entry.shape.some((d, k) => d !== shape[k])) return `tensor ${name} has shape [${entry.shape.join(',')}], the architecture needs [${shape.join(',')}]`;
    const count = shape.reduce((a, b) => a * b, 1);
    if (entry.offset < 0 || entry.offset + count * bytesPer > bin.byteLength) return `tensor ${name} lies outside the weights file`;
    const values = new Float32Array(count);
    for (let k = 0; k < count; k++) {
      const at = entry.offset + k * bytesPer;
      values[k] = bytesPer === 4 ? view.getFloat32(at, true) : halfToFloat(view.getUint16(at, true));
    }
    arrays.push(values);
  }
  const layers = shapes.map((_shape, i) => ({ kernel: arrays[2 * i], bias: arrays[2 * i + 1] }));
  return { architecture: manifest.architecture, mean: Float32Array.from(mean), std: Float32Array.from(std), layers };
}

/** The manifest (without `training`, which the caller adds) and .bin bytes for `weights`. */
export function encodeStudent(weights: StudentWeights, name: string, dtype: 'float32' | 'float16', binName = 'student.bin'): { manifest: StudentManifest; bin: Uint8Array } {
  const shapes = layerShapes(weights.architecture);
  const bytesPer = dtype === 'float32' ? 4 : 2;
  const parts = weights.layers.flatMap((layer, i) => [
    { name: `layer${i}/kernel`, shape: shapes[i], values: layer.kernel },
    { name: `layer${i}/bias`, shape: [shapes[i][1]], values: layer.bias },
  ]);
  const bytes = parts.reduce((n, p) => n + p.values.length * bytesPer, 0);
  const bin = new Uint8Array(bytes);
  const view = new DataView(bin.buffer);
  const tensors: StudentTensorEntry[] = [];
  let offset = 0;
  for (const part of parts) {
    tensors.push({ name: part.name, shape: part.shape, offset });
    for (const v of part.values) {
      if (bytesPer === 4) view.setFloat32(offset, v, true);
      else view.setUint16(offset, floatToHalf(v), true);
      offset += bytesPer;
    }
  }
  const round = (x: number): number => Number(x.toPrecision(7));
  const manifest: StudentManifest = {
    format: STUDENT_FORMAT,
    name,
    architecture: weights.architecture,
    dtype,
    weights: binName,
    bytes,
    normalisation: { mean: Array.from(weights.mean, round), std: Array.from(weights.std, round) },
    tensors,
  };
  return { manifest, bin };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function floatToHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) return exponent < -10 ? sign : sign | ((mantissa | 0x800000) >> (1 - exponent + 13));
  if (exponent >= 31) return sign | 0x7c00;
  const rounded = (exponent << 10) | (mantissa >> 13);
  return sign | (rounded + ((mantissa >> 12) & 1)); // round half up on the dropped bits
}
