// Writes a command's output to stdout (`-`) or to a file, whole or not at all.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { BlurigError } from '../errors/index.js';

/** Writes `text` (or bytes: PNG, .npy) to stdout when `target` is `-`, else to a temporary file renamed into place, so a failure leaves no half file. */
export function writeOutput(target: string, text: string | Uint8Array): void {
  if (target === '-') {
    process.stdout.write(text);
    return;
  }
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.part`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new BlurigError(`Cannot write "${target}" (${reason}): check that its folder exists and is writable.`, { cause: error });
  }
}

