// Writes a command's output to stdout (`-`) or to a path, without harming what the path points at.
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BlurigError } from '../errors/index.js';
import { writeStdout } from './stdout.js';

const STREAM_PATH = /^\/(dev|proc)\//;

/** What a target path is, as far as writing into it goes. */
export type OutputTargetKind = 'stdout' | 'new' | 'regular' | 'special' | 'directory';

/**
 * How `target` will be written: a new path or a regular file (through any symlinks) by a temporary file renamed
 * into place, so a failure leaves the old file whole; a device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named
 * pipe) by writing into it, since replacing it would destroy something that is not ours; a directory not at all.
 */
export function outputTargetKind(target: string): OutputTargetKind {
  if (target === '-') return 'stdout';
  let stats: Stats;
  try {
    stats = statSync(target); // follows symlinks: what matters is what they point at
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'new'; // also a dangling symlink: the path it names is created
    throw cannotWrite(target, error);
  }
  if (stats.isDirectory()) return 'directory';
  // /dev/stdout, /dev/fd/3, /proc/self/fd/1 may lead to a regular file the shell opened for us: write into it.
  if (STREAM_PATH.test(target)) return 'special';
  return stats.isFile() ? 'regular' : 'special';
}

/** Writes `text` (or bytes: PNG, .npy) whole to `target` (`-`: stdout), as {@link outputTargetKind} says. */
export function writeOutput(target: string, text: string | Uint8Array): void {
  const kind = outputTargetKind(target);
  if (kind === 'stdout') {
    writeStdout(text); // through the one stdout writer, so EPIPE and ENOSPC end the run with one line
    return;
  }
  if (kind === 'directory') throw new BlurigError(`Cannot write "${target}": it is a folder. Give a file name, e.g. ${join(target, 'out' + extensionOf(text))}.`);
  if (kind === 'special') {
    writeInto(target, text);
    return;
  }
  // A symlink is written through: its target is replaced, the link stays a link.
  const path = resolveLinks(target);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.part`);
  try {
    const mode = kind === 'regular' ? statSync(path).mode & 0o7777 : 0o666;
    writeFileSync(temporary, text, { mode });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw cannotWrite(target, error);
  }
}

/** A device, FIFO or socket: opened for writing (never created, never truncated by replacement) and written in full. */
function writeInto(target: string, text: string | Uint8Array): void {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let fd: number | undefined;
  try {
    fd = openSync(target, constants.O_WRONLY | constants.O_NOCTTY | constants.O_APPEND);
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at, bytes.byteLength - at);
  } catch (error) {
    throw cannotWrite(target, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The real path of `target`, or, for a dangling symlink, the path it names (created by the rename). */
function resolveLinks(target: string): string {
  try {
    return realpathSync(target);
  } catch {
    let path = target;
    for (let hops = 0; hops < 40; hops++) {
      const stats = lstatOrNull(path);
      if (stats === null || !stats.isSymbolicLink()) return path;
      const link = readlinkSync(path);
      path = link.startsWith('/') ? link : join(dirname(path), link);
    }
    return path;
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function extensionOf(text: string | Uint8Array): string {
  return typeof text === 'string' ? '.json' : '.png';
}

/** One line for a failed write, naming the real cause and what to do. */
export function cannotWrite(target: string, error: unknown): BlurigError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reasons: Record<string, string> = {
    ENOSPC: 'no space left on the device: free some disk space',
    EDQUOT: 'disk quota exceeded: free some space',
    EROFS: 'the file system is read-only: choose a path on a writable disk',
    EACCES: 'permission denied: choose a path you may write to',
    EPERM: 'permission denied: choose a path you may write to',
    ENOENT: 'its folder does not exist: create it first',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'it is a folder: give a file name',
    ENXIO: 'no process is reading that pipe',
    EPIPE: 'the reader closed the pipe',
  };
  const reason = reasons[code] ?? `${code || (error as Error).message}: check that its folder exists and is writable`;
  return new BlurigError(`Cannot write "${target}" (${code || 'error'}): ${reason}.`, { cause: error });
}
