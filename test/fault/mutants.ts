// Seeded mutants of a TFLite file for fuzz tests: in-place field edits (shapes, strides, quantisation, wiring), byte flips, truncations.
import { mulberry32 } from '../../src/attribution/random.js';
import { locateFields, readField, writeField, type FieldLocation } from './tfliteFields.js';

/** One mutated file and what was done to it, for the failure message. */
export interface Mutant {
  readonly label: string;
  readonly bytes: Uint8Array;
}

/** Values a careless tool or a bit flip would leave in an integer field, besides ones near the original. */
const INTEGER_EDITS = [0, -1, 1, 2, 3, 5, 127, 128, 255, 1000, 65_536, 2 ** 31 - 1, -(2 ** 31)];
/** Values for a float field (quantisation scales). */
const FLOAT_EDITS = [0, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30, 1e-30, 1e-45, 3.4e38];

/**
 * `count` mutants of `bytes`, the same for the same seed: about 70 % field edits (drawn evenly over the field
 * families, so the few strides weigh as much as the many shape entries), 20 % flips of one byte outside the
 * weight data (the weights are most of the file, and a flipped weight is just another weight), 10 % truncations.
 */
export function mutants(bytes: Uint8Array, count: number, seed: number): Mutant[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const fields = locateFields(bytes);
  const families = new Map<string, FieldLocation[]>();
  for (const f of fields) families.set(f.family, [...(families.get(f.family) ?? []), f]);
  const familyNames = [...families.keys()].sort();
  const metadata = metadataBytes(fields, bytes.length);
  const out: Mutant[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.7) {
      const location = pick(families.get(pick(familyNames))!);
      const before = readField(bytes, location);
      const value = location.kind === 'float32' ? pick([...FLOAT_EDITS, before * 1e6, -before]) : pick([...INTEGER_EDITS, before + 1, before - 1, before * 2]);
      out.push({ label: `#${i} ${location.what}: ${before} → ${value}`, bytes: writeField(bytes, location, value) });
    } else if (roll < 0.9) {
      const at = pick(metadata);
      const copy = Uint8Array.from(bytes);
      const mask = 1 + Math.floor(random() * 255);
      copy[at] ^= mask;
      out.push({ label: `#${i} byte ${at} xor 0x${mask.toString(16)}`, bytes: copy });
    } else {
      const length = Math.floor(random() * bytes.length);
      out.push({ label: `#${i} truncated to ${length} of ${bytes.length} bytes`, bytes: bytes.slice(0, length) });
    }
  }
  return out;
}

/**
 * Byte offsets worth flipping: everything within 64 bytes of a located field (tables, vtables, vector headers and
 * the fields themselves), which leaves out the bulk of the weight data.
 */
function metadataBytes(fields: readonly FieldLocation[], length: number): number[] {
  const offsets = new Set<number>();
  for (let at = 0; at < Math.min(64, length); at++) offsets.add(at);
  for (const f of fields) for (let at = Math.max(0, f.offset - 64); at < Math.min(length, f.offset + 64); at++) offsets.add(at);
  return [...offsets].sort((a, b) => a - b);
}
