// Rejects a missing or empty input file before spawning ffmpeg, whose own messages for both are vague.
import { stat } from 'node:fs/promises';
import { DecodeError } from '../errors/index.js';
import type { DecodeSource } from './decodeArgs.js';

/**
 * True when `source.path` names a local file: not stdin, not a URL (`scheme://…`, `pipe:`), and no input format
 * was forced with `-f` (then it may be a lavfi graph or a device name).
 */
export function isLocalFile(source: DecodeSource): boolean {
  if (source.path === '-' || /^[a-z][a-z0-9+.-]+:/i.test(source.path)) return false;
  return !(source.inputOptions ?? []).includes('-f');
}

/** Resolves when the input is a non-empty file (or not a file at all); rejects with a DecodeError otherwise. */
export async function checkInputFile(source: DecodeSource): Promise<void> {
  if (!isLocalFile(source)) return;
  const input = source.path;
  const info = await stat(input).catch((cause: unknown) => {
    const exists = (cause as NodeJS.ErrnoException).code !== 'ENOENT';
    throw new DecodeError(exists ? `Input file "${input}" cannot be read: ${(cause as Error).message}` : `Input file "${input}" does not exist`, { input }, { cause });
  });
  if (info.isFile() && info.size === 0) throw new DecodeError(`Input file "${input}" is empty (0 bytes)`, { input });
}
