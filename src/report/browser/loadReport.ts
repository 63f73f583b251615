// Turns the page's data and blobs into what the views draw: byte grids with their pyramids, colour tables for both scales.
import type { ReportClass, ReportData } from '../reportTypes.js';
import { readBlob } from './blobs.js';
import { lookupTable } from './grid.js';
import { buildPyramid, type Pyramid } from './pyramid.js';

/** The attribution byte that means "not explained here". */
export const NOT_EXPLAINED = -128;
const HATCH: readonly [number, number, number] = [226, 226, 230];

export interface LoadedClass {
  readonly meta: ReportClass;
  readonly values: Int8Array;
  readonly pyramid: Pyramid;
  /** Colour tables: against the class's own scale limit, and against the largest limit of all classes. */
  readonly lut: { readonly own: Uint32Array; readonly shared: Uint32Array };
}

export interface LoadedReport {
  readonly data: ReportData;
  readonly spectrogram: { readonly values: Uint8Array; readonly pyramid: Pyramid; readonly lut: Uint32Array };
  readonly classes: readonly LoadedClass[];
  /** The shared scale's limit: the largest of the classes' limits. */
  readonly sharedLimit: number;
}

export async function loadReport(data: ReportData): Promise<LoadedReport> {
  const [spectrogramBytes, ...classBytes] = await Promise.all([readBlob(data.spectrogram.blob), ...data.classes.map((c) => readBlob(c.attribution))]);
  const sharedLimit = Math.max(1e-12, ...data.classes.map((c) => c.scaleLimit));
  const classes = data.classes.map((meta, k): LoadedClass => {
    const values = new Int8Array(classBytes[k].buffer, classBytes[k].byteOffset, classBytes[k].byteLength);
    const lut = (limit: number) =>
      lookupTable(data.palettes.diverging, (byte) => 128 + Math.round(((((byte << 24) >> 24) / 127) * meta.maxAbs * 127) / Math.max(1e-12, limit)), HATCH, (byte) => byte === 128);
    return { meta, values, pyramid: buildPyramid(values, data.frames, data.bands, 'signed', NOT_EXPLAINED), lut: { own: lut(meta.scaleLimit), shared: lut(sharedLimit) } };
  });
  return {
    data,
    spectrogram: { values: spectrogramBytes, pyramid: buildPyramid(spectrogramBytes, data.frames, data.bands, 'max'), lut: lookupTable(data.palettes.sequential, (byte) => byte) },
    classes,
    sharedLimit,
  };
}

/** The attribution of a stored byte, in the explained output's units. */
export function attributionOf(cls: LoadedClass, code: number): number | undefined {
  return code === NOT_EXPLAINED ? undefined : (code / 127) * cls.meta.maxAbs;
}
