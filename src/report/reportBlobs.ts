// The report's binary blobs: bytes gzip-compressed (node:zlib) and base64-encoded, each into its own inert script element.
import { gzipSync } from 'node:zlib';
import type { BlobId } from './reportTypes.js';

/** Collects blobs under short ids while the report data is built, then writes them as script elements. */
export class ReportBlobs {
  private readonly entries: { id: BlobId; base64: string }[] = [];

  /** Stores `bytes` (compressed) and returns the id the data refers to it by. */
  add(bytes: Uint8Array): BlobId {
    const id = `blob-${this.entries.length}`;
    // Level 6: level 9 costs about twice the time for a few per cent on these arrays.
    this.entries.push({ id, base64: gzipSync(bytes, { level: 6 }).toString('base64') });
    return id;
  }

  /** Total base64 characters, for reporting the file's make-up. */
  get base64Chars(): number {
    return this.entries.reduce((n, e) => n + e.base64.length, 0);
  }

  /** The script elements; base64 holds no `<`, so nothing in it can close the element. */
  html(): string {
    return this.entries.map((e) => `<script type="application/octet-stream" id="${e.id}">${e.base64}</script>`).join('\n');
  }
}

/** The bytes of a typed array, as stored (platform byte order: little-endian on every machine Node and browsers run on). */
export function bytesOf(array: Int8Array | Uint8Array | Float32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
