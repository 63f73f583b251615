// One-line errors for the corpus runner's writes (manifest, folders, summary), naming the cause and the fix.
import { BlurigError } from '../errors/index.js';

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device: free some disk space',
  EDQUOT: 'disk quota exceeded: free some space',
  EROFS: 'the file system is read-only: choose an --out on a writable disk',
  EACCES: 'permission denied: choose an --out you may write to',
  EPERM: 'permission denied: choose an --out you may write to',
  ENOTDIR: 'a part of the path is not a folder',
};

/** `Cannot write "<path>" (<code>): <reason>.` */
export function cannotWriteBatch(path: string, error: unknown): BlurigError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reason = REASONS[code] ?? `${code || (error as Error).message}: check that --out is a writable folder`;
  return new BlurigError(`Cannot write "${path}" (${code || 'error'}): ${reason}.`, { cause: error });
}
