// The inputs of `blurig batch`: folders (walked), lists (`.txt`, one path a line) and globs, expanded to files with one output folder each.
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BlurigError } from '../errors/index.js';

/** File endings taken from a folder or a glob: what ffmpeg reads that people keep audio in. Lists take any file. */
export const AUDIO_EXTENSIONS = ['.wav', '.flac', '.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.aif', '.aiff', '.wma', '.webm', '.mp4', '.mkv', '.mov'];

/** One input file: the path as given, and its absolute path. */
export interface InputFile {
  readonly input: string;
  readonly path: string;
}

/** Expands the arguments, in order, without duplicates; a missing path or a glob that matches nothing is an error. */
export function expandInputs(args: readonly string[], cwd = process.cwd()): InputFile[] {
  const seen = new Set<string>();
  const out: InputFile[] = [];
  const add = (input: string) => {
    const path = resolve(cwd, input);
    if (!seen.has(path)) (seen.add(path), out.push({ input, path }));
  };
  for (const arg of args) {
    if (/[*?[]/.test(arg)) {
      const found = globFiles(arg, cwd);
      if (found.length === 0) throw new BlurigError(`No audio file matches "${arg}": check the pattern (quote it so blurig, not the shell, expands it).`);
      found.forEach(add);
      continue;
    }
    const stats = statOrNull(resolve(cwd, arg));
    if (stats === null) throw new BlurigError(`Input "${arg}" does not exist: give a folder, a list (.txt, one path a line) or audio files.`);
    if (stats.isDirectory()) walk(resolve(cwd, arg)).map((p) => relativeInput(arg, resolve(cwd, arg), p)).forEach(add);
    else if (arg.endsWith('.txt')) readList(arg, cwd).forEach(add);
    else add(arg);
  }
  return out;
}

/** The folder of each file below `--out`: `files/` plus its path below the inputs' deepest common folder. */
export function outputFolders(files: readonly InputFile[]): string[] {
  const root = files.map((f) => dirname(f.path)).reduce(commonFolder);
  return files.map((f) => join('files', relative(root, f.path)));
}

function commonFolder(a: string, b: string): string {
  const pa = a.split(sep);
  const pb = b.split(sep);
  let n = 0;
  while (n < pa.length && n < pb.length && pa[n] === pb[n]) n++;
  return pa.slice(0, n).join(sep) || sep;
}

/** Audio files below `dir`, sorted, hidden entries skipped. */
function walk(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(path));
    else if (isAudio(entry.name)) found.push(path);
  }
  return found;
}

function isAudio(name: string): boolean {
  const lower = name.toLowerCase();
  return AUDIO_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** A list file: one path a line, relative to the list's folder; blank lines and `#` comments skipped. */
function readList(list: string, cwd: string): string[] {
  const base = dirname(resolve(cwd, list));
  const lines = readFileSync(resolve(cwd, list), 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const paths = lines.map((l) => (isAbsolute(l) ? l : relative(cwd, join(base, l)) || '.'));
  const missing = paths.find((p) => statOrNull(resolve(cwd, p))?.isFile() !== true);
  if (missing !== undefined) throw new BlurigError(`"${missing}" (listed in ${list}) is not a file: fix the list.`);
  return paths;
}

/** `*` and `?` within a name, `**` across folders, `[abc]` classes; walked from the pattern's fixed prefix. */
function globFiles(pattern: string, cwd: string): string[] {
  const parts = pattern.split('/');
  const fixed = parts.findIndex((p) => /[*?[]/.test(p));
  const base = parts.slice(0, fixed).join('/') || (pattern.startsWith('/') ? '/' : '.');
  const regex = new RegExp(`^${parts.slice(fixed).map((part, i, all) => partRegex(part, i === all.length - 1)).join('/')}$`.replace(/\(\?:\.\*\/\)\?\//g, '(?:.*/)?'));
  const baseDir = resolve(cwd, base);
  if (statOrNull(baseDir)?.isDirectory() !== true) return [];
  return walk(baseDir)
    .filter((p) => regex.test(relative(baseDir, p).split(sep).join('/')))
    .map((p) => relativeInput(base, baseDir, p));
}

function partRegex(part: string, last: boolean): string {
  if (part === '**') return last ? '.*' : '(?:.*/)?';
  return part.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
}

/** A found file as the user would name it: below the folder argument as given. */
function relativeInput(given: string, givenAbs: string, path: string): string {
  return join(given, relative(givenAbs, path));
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
