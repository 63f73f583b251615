// Names why the model cache could not be written, read-only folder or full disk, since the fix differs (pure).
import { resolve } from 'node:path';
import { ModelError } from '../errors/index.js';

/** errno codes of a folder that may not be written: a read-only mount, or no permission. */
const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);
/** errno codes of a full disk or a spent quota. */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

/**
 * The ModelError for a failed mkdir/open/write/rename in `folder` while installing the model: a read-only or
 * forbidden folder says so and to set BLURIG_CACHE_DIR to a writable one (naming BLURIG_CACHE_DIR when it chose
 * the folder); a full disk says to free space (`neededBytes`, when known); anything else keeps the system's words.
 */
export function writeFailure(folder: string, error: unknown, neededBytes?: number, env: NodeJS.ProcessEnv = process.env): ModelError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const reason = error instanceof Error ? error.message : String(error);
  const cacheFromEnv = env.BLURIG_CACHE_DIR !== undefined && env.BLURIG_CACHE_DIR !== '' ? resolve(env.BLURIG_CACHE_DIR) : undefined;
  const named = cacheFromEnv === resolve(folder) ? `BLURIG_CACHE_DIR ${folder}` : `The model cache folder ${folder}`;
  if (NOT_WRITABLE.has(code)) {
    const state = code === 'EROFS' ? 'is on a read-only file system' : 'is not writable';
    return new ModelError(`${named} ${state} (${code}): set BLURIG_CACHE_DIR to a writable folder`, folder, { cause: error });
  }
  if (NO_SPACE.has(code)) {
    const need = neededBytes === undefined ? '' : ` (YAMNet needs ${(neededBytes / 1e6).toFixed(1)} MB)`;
    return new ModelError(`Could not write the model into ${folder}: the disk is full (${code}): free some disk space${need}, or set BLURIG_CACHE_DIR to a folder on another disk`, folder, { cause: error });
  }
  return new ModelError(`Could not write the model into ${folder} (${reason}): set BLURIG_CACHE_DIR to a writable folder with free space`, folder, { cause: error });
}
