// Where each file's output folder goes, written whole or not at all: a shared folder today, the seam for an object store later.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { cannotWriteBatch } from './storeErrors.js';

/**
 * A run's output store. Outputs are written into a staged local folder and then committed, so a reader (or a rerun)
 * never sees half a folder; an object store would upload the staged folder under the folder's prefix on commit.
 */
export interface OutputStore {
  /** A new, empty, private folder to write one file's outputs into. */
  stage(folder: string): string;
  /**
   * Makes `staged` the contents of `folder`, at once. An existing folder is replaced only when `replace` (the file
   * changed, or its settings); otherwise another process committed it first and this copy is dropped: returns false.
   */
  commit(folder: string, staged: string, replace: boolean): boolean;
  /** Drops a staged folder (a failed or stopped file). */
  discard(staged: string): void;
  exists(folder: string): boolean;
  readText(folder: string, name: string): string;
  /** Removes staged folders left by processes that died mid-file: those of `folder`, or every one. Returns how many. */
  sweep(folder?: string): number;
}

/** Staged folders are hidden siblings of their folder: `.NAME.tmp-HOST-PID-N` (and `.NAME.old-…` while replacing). */
const LEFTOVER = /^\..+\.(tmp|old)-[^/]+$/;
let counter = 0;

/** The store of a shared (or local) folder `outDir`: commit is one rename, atomic within a file system. */
export function folderStore(outDir: string): OutputStore {
  const tag = () => `${hostname()}-${process.pid}-${counter++}`;
  return {
    stage(folder) {
      const staged = join(outDir, dirname(folder), `.${basename(folder)}.tmp-${tag()}`);
      try {
        mkdirSync(staged, { recursive: true });
      } catch (error) {
        throw cannotWriteBatch(staged, error);
      }
      return staged;
    },
    commit(folder, staged, replace) {
      const target = join(outDir, folder);
      const old = join(outDir, dirname(folder), `.${basename(folder)}.old-${tag()}`);
      let movedAside = false;
      try {
        if (replace && existsSync(target)) {
          renameSync(target, old);
          movedAside = true;
        }
        renameSync(staged, target);
      } catch (error) {
        // The previous folder goes back where it was unless another copy took its place: never lose both.
        if (movedAside && !existsSync(target)) {
          renameSync(old, target);
          movedAside = false;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') {
          rmSync(staged, { recursive: true, force: true }); // another attempt of the same job got there first: one copy
          return false;
        }
        throw cannotWriteBatch(target, error);
      } finally {
        if (movedAside) rmSync(old, { recursive: true, force: true });
      }
      return true;
    },
    discard(staged) {
      rmSync(staged, { recursive: true, force: true });
    },
    exists(folder) {
      return existsSync(join(outDir, folder));
    },
    readText(folder, name) {
      return readFileSync(join(outDir, folder, name), 'utf8');
    },
    sweep(folder) {
      const dirs = folder === undefined ? allDirs(join(outDir, 'files')) : [join(outDir, dirname(folder))];
      const prefix = folder === undefined ? '' : `.${basename(folder)}.`;
      let removed = 0;
      for (const dir of dirs) {
        for (const name of safeList(dir)) {
          if (!name.startsWith(prefix) || !LEFTOVER.test(name)) continue;
          rmSync(join(dir, name), { recursive: true, force: true });
          removed++;
        }
      }
      return removed;
    },
  };
}

/** `dir` and every folder below it that is not itself a leftover. */
function allDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out = [dir];
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory() && !LEFTOVER.test(entry.name)) out.push(...allDirs(join(dir, entry.name)));
  return out;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
