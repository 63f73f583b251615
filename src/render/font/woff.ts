// Reads a WOFF 1.0 file into its sfnt tables (each zlib-compressed unless stored as is), so fonts ship as npm WOFFs.
import { inflateSync } from 'node:zlib';
import { ShapeError } from '../../errors/ShapeError.js';

/** The font's tables by tag ('head', 'glyf', …), each decompressed. */
export type SfntTables = ReadonlyMap<string, Uint8Array>;

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'
const HEADER_BYTES = 44;
const DIRECTORY_ENTRY_BYTES = 20;

/** The tables of a WOFF 1.0 font (see the W3C WOFF File Format 1.0, §4–5). */
export function readWoff(file: Uint8Array): SfntTables {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.byteLength < HEADER_BYTES || view.getUint32(0) !== WOFF_SIGNATURE) {
    throw new ShapeError('WOFF 1.0 header (signature wOFF)', [HEADER_BYTES], [file.byteLength]);
  }
  const numTables = view.getUint16(12);
  const tables = new Map<string, Uint8Array>();
  for (let i = 0; i < numTables; i++) {
    const entry = HEADER_BYTES + i * DIRECTORY_ENTRY_BYTES;
    const tag = String.fromCharCode(...file.subarray(entry, entry + 4));
    const offset = view.getUint32(entry + 4);
    const compressedBytes = view.getUint32(entry + 8);
    const originalBytes = view.getUint32(entry + 12);
    const stored = file.subarray(offset, offset + compressedBytes);
    // A table that would not shrink is stored uncompressed, with both lengths equal.
    const table = compressedBytes === originalBytes ? stored : new Uint8Array(inflateSync(stored));
    if (table.byteLength !== originalBytes) throw new ShapeError(`WOFF table '${tag}'`, [originalBytes], [table.byteLength]);
    tables.set(tag, table);
  }
  return tables;
}
