// encodeNpy against the .npy v1.0 format, and frameAttributionArray's layout; NumPy itself reads it back when present.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors/ShapeError.js';
import { encodeNpy, frameAttributionArray } from '../../src/render/npy.js';
import { CLASSES, syntheticFrames } from './synthetic.js';

function parseHeader(npy: Buffer): { version: number[]; headerLength: number; header: string } {
  expect([...npy.subarray(0, 6)]).toEqual([0x93, ...Buffer.from('NUMPY')]);
  const headerLength = npy.readUInt16LE(8);
  return { version: [npy[6], npy[7]], headerLength, header: npy.toString('latin1', 10, 10 + headerLength) };
}

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

describe('encodeNpy', () => {
  const data = Float32Array.from({ length: 24 }, (_, i) => (i - 7) / 3);
  const npy = encodeNpy(data, [2, 3, 4]);

  it('writes magic, version 1.0 and a header dict padded to a multiple of 64 bytes, ending in a newline', () => {
    const { version, headerLength, header } = parseHeader(npy);
    expect(version).toEqual([1, 0]);
    expect((10 + headerLength) % 64).toBe(0);
    expect(header.endsWith('\n')).toBe(true);
    expect(header.trimEnd()).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }");
  });

  it('stores the data little-endian, row-major, right after the header', () => {
    const body = npy.subarray(10 + parseHeader(npy).headerLength);
    expect(body.length).toBe(96);
    expect(Array.from({ length: 24 }, (_, i) => body.readFloatLE(4 * i))).toEqual([...data]);
  });

  it('writes a one-dimensional shape as a 1-tuple', () => {
    expect(parseHeader(encodeNpy(new Float32Array(5), [5])).header).toContain("'shape': (5,)");
  });

  it('rejects a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(ShapeError);
  });

  it.skipIf(!hasNumpy)('is read back by NumPy, NaN included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const withNaN = Float32Array.from(data);
    withNaN[5] = Number.NaN;
    writeFileSync(join(dir, 'a.npy'), encodeNpy(withNaN, [2, 3, 4]));
    const script = "import numpy as np, sys, json; a = np.load(sys.argv[1]); print(json.dumps([str(a.dtype), list(a.shape), bool(np.isfortran(a)), [None if np.isnan(v) else float(v) for v in a.ravel()]]))";
    const [dtype, shape, fortran, values] = JSON.parse(execFileSync('python3', ['-c', script, join(dir, 'a.npy')], { encoding: 'utf8' }));
    expect([dtype, shape, fortran]).toEqual(['float32', [2, 3, 4], false]);
    expect(values).toEqual([...withNaN].map((v) => (Number.isNaN(v) ? null : v)));
  });
});

describe('frameAttributionArray', () => {
  it('lays out [classes, frames, 64] with NaN where a class was not explained', () => {
    const frames = syntheticFrames(3);
    const { data, shape } = frameAttributionArray(frames, CLASSES);
    expect(shape).toEqual([2, 300, 64]);
    expect(data.length).toBe(2 * 300 * 64);
    expect(data.subarray(150 * 64, 151 * 64)).toEqual(frames[150].classes[0].attribution);
    // Dog (class 1) is explained from frame 100 on.
    expect(Number.isNaN(data[(300 + 99) * 64 + 7])).toBe(true);
    expect(data.subarray((300 + 100) * 64, (300 + 101) * 64)).toEqual(frames[100].classes[1].attribution);
  });
});
