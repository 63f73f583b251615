// A file's size and SHA-256, read in chunks: how a rerun knows a finished file is still the same file.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** `{ sizeBytes, hash: 'sha256:<hex>' }` of the file at `path`. */
export async function fileIdentity(path: string): Promise<{ sizeBytes: number; hash: string }> {
  const { size } = await stat(path);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sizeBytes: size, hash: `sha256:${hash.digest('hex')}` };
}

/** A short stable key of any JSON-able value (settings): the first 16 hex digits of its SHA-256. */
export function settingsKey(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted and undefined fields dropped, so equal settings give equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
