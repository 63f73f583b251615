// Shared by the CLI benchmarks (realtime.ts, memory.ts): arguments and configurations, the machine, a fresh dist/,
// looped test audio, and `blurig` run as a child process with its stdout read line by line and never kept.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ffmpegBinary } from '../src/ffmpeg/ffmpegPath.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Seconds of audio between patch starts (48 frames of 10 ms): each patch adds this much audio to explain. */
export const PATCH_HOP_SEC = 0.48;

/** One run of the CLI: a label and the flags added to its command line. */
export interface Configuration {
  readonly label: string;
  readonly flags: readonly string[];
}

/** The options every CLI benchmark takes, plus its own numeric ones. */
export interface BenchArgs {
  readonly configurations: readonly Configuration[];
  readonly numbers: ReadonlyMap<string, number>;
  readonly switches: ReadonlySet<string>;
  readonly strings: ReadonlyMap<string, string>;
}

/**
 * `--config "label=flags"` (repeatable, added after the defaults unless `--no-defaults`), `--flags "…"` (added to
 * every configuration), `--no-defaults`, `--no-build`, `--source`, and the script's own options. Values are taken
 * verbatim, so they may start with `--` (which node:util parseArgs refuses).
 */
export function parseBenchArgs(
  argv: readonly string[],
  defaults: readonly Configuration[],
  own: { readonly numbers?: readonly string[]; readonly strings?: readonly string[]; readonly switches?: readonly string[] } = {},
): BenchArgs {
  const switchNames = ['no-defaults', 'no-build', 'source', ...(own.switches ?? [])];
  const extra: Configuration[] = [];
  const numbers = new Map<string, number>();
  const strings = new Map<string, string>();
  const switches = new Set<string>();
  let common: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    // `--name=value` or `--name value`; only the first `=` splits, so `--config=2 workers=--workers 2` works too.
    const at = argv[i].startsWith('--') ? argv[i].indexOf('=') : -1;
    const [name, inline] = at > 0 ? [argv[i].slice(0, at), argv[i].slice(at + 1)] : [argv[i], undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    if (name === '--config') {
      const text = value();
      const eq = text.indexOf('=');
      if (eq < 1) throw new Error(`Expected --config "label=flags", got "${text}"`);
      extra.push({ label: text.slice(0, eq).trim(), flags: splitFlags(text.slice(eq + 1)) });
    } else if (name === '--flags') common = [...common, ...splitFlags(value())];
    else if (switchNames.includes(name.slice(2)) && inline === undefined) switches.add(name.slice(2));
    else if (own.numbers?.includes(name.slice(2))) {
      const text = value();
      const n = Number(text);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`Expected ${name} to be a positive number, got "${text}"`);
      numbers.set(name.slice(2), n);
    } else if (own.strings?.includes(name.slice(2))) strings.set(name.slice(2), value());
    else throw new Error(`Unknown argument "${argv[i]}" (see bench/README.md)`);
  }
  const chosen = [...(switches.has('no-defaults') ? [] : defaults), ...extra];
  if (chosen.length === 0) throw new Error('No configuration to run: --no-defaults needs at least one --config');
  return { configurations: chosen.map((c) => ({ label: c.label, flags: [...c.flags, ...common] })), numbers, switches, strings };
}

/** Splits a flag string on whitespace, keeping '…' and "…" together: `--class "Sine wave"` → ['--class', 'Sine wave']. */
export function splitFlags(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The flags as one would type them: `--class "Sine wave"`; `(none)` for none. */
export function showFlags(flags: readonly string[]): string {
  return flags.length === 0 ? '(none)' : flags.map((f) => (/\s/.test(f) ? JSON.stringify(f) : f)).join(' ');
}

/** What the figures depend on: CPU, cores, Node, load, ffmpeg, model, backend. */
export function machineLines(modelPath: string | undefined): string[] {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].trim() ?? cpus()[0]?.model.trim() ?? 'unknown CPU';
  const ffmpeg = ffmpegBinary();
  const backend = process.env['BLURIG_BACKEND'] ? `BLURIG_BACKEND=${process.env['BLURIG_BACKEND']}` : `auto (tfjs-node ${existsSync(join(REPO, 'node_modules', '@tensorflow', 'tfjs-node', 'package.json')) ? 'installed' : 'not installed: wasm'})`;
  return [
    `machine: ${cpuModel}, ${cpus().length} cores, Node ${process.version}, ${process.platform} ${process.arch}`,
    `load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes skew every time below)`,
    `ffmpeg: ${ffmpeg.path} (${ffmpeg.source}); model: ${modelPath ?? 'as the CLI resolves it (BLURIG_MODEL, cache, download)'}; backend: ${backend}`,
    `source: ${sourceState()}`,
  ];
}

/** The commit measured, and whether src/ or pipelines/ differ from it (figures from a dirty tree are not that commit's). */
function sourceState(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: REPO, encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git('rev-parse', '--short', 'HEAD') || 'not a git checkout';
  const changed = git('status', '--porcelain', '--', 'src', 'pipelines').split('\n').filter(Boolean).length;
  return changed === 0 ? `commit ${commit}, src/ and pipelines/ clean` : `commit ${commit} plus ${changed} uncommitted changes in src/ and pipelines/`;
}

/** The YAMNet file the child gets through BLURIG_MODEL: the environment's, else the development checkout's `../shared` copy. */
export function modelPath(): string | undefined {
  if (process.env['BLURIG_MODEL']) return process.env['BLURIG_MODEL'];
  const shared = join(REPO, '..', 'shared', 'models', 'yamnet', 'yamnet_spectra_in.tflite');
  return existsSync(shared) ? shared : undefined;
}

/**
 * The command that runs `blurig`: the built bin/blurig.js (what users run), rebuilding dist/ first when a source
 * file is newer than its output; or with `--source` the TypeScript entry under tsx, as the tests do.
 */
export function blurigCommand(args: BenchArgs): { argv: string[]; note: string } {
  if (args.switches.has('source')) {
    return { argv: ['--import', 'tsx', join(REPO, 'test', 'helpers', 'cliEntry.ts')], note: 'CLI: from source under tsx (--source); compile time is in the start-up figures' };
  }
  const bin = [join(REPO, 'bin', 'blurig.js')];
  const stale = staleSource();
  if (stale === undefined) return { argv: bin, note: 'CLI: node bin/blurig.js (dist/ up to date)' };
  if (args.switches.has('no-build')) return { argv: bin, note: `CLI: node bin/blurig.js — WARNING: dist/ is stale (${stale}) and --no-build was given` };
  process.stderr.write(`dist/ is stale (${stale}): running npm run build -- --noEmitOnError\n`);
  // --noEmitOnError: a tree that does not typecheck (someone mid-change) leaves dist/ as it was instead of half-built.
  const build = spawnSync('npm', ['run', 'build', '--', '--noEmitOnError'], { cwd: REPO, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status}); rerun with --no-build to measure the dist/ there is, or --source`);
  return { argv: bin, note: `CLI: node bin/blurig.js, after npm run build (dist/ was stale: ${stale})` };
}

/** The first source file whose compiled dist/ file is missing or older, as "src/x.ts newer than dist/src/x.js". */
function staleSource(): string | undefined {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []));
  const browserCode = join(REPO, 'src', 'report', 'browser'); // bundled into dist/browser/ by esbuild, not compiled by tsc
  for (const source of [...walk(join(REPO, 'src')), ...walk(join(REPO, 'pipelines'))].filter((file) => !file.startsWith(browserCode))) {
    const built = join(REPO, 'dist', relative(REPO, source)).replace(/\.ts$/, '.js');
    if (!existsSync(built)) return `${relative(REPO, built)} is missing`;
    if (statSync(built).mtimeMs < statSync(source).mtimeMs) return `${relative(REPO, source)} is newer than ${relative(REPO, built)}`;
  }
  return undefined;
}

/**
 * Writes `seconds` of 16 kHz mono 16-bit WAV to `path`: the shipped samples (speech, siren, tones, mixture, ~35.5 s)
 * concatenated in a loop by ffmpeg's concat demuxer, which streams, so an hour costs no memory here.
 */
export function makeTestAudio(seconds: number, path: string): void {
  const files = ['speech.wav', 'siren.wav', 'tones.wav', 'mixture.wav'];
  const entries = JSON.parse(readFileSync(join(REPO, 'samples', 'samples.json'), 'utf8')) as { file: string; durationSec: number }[];
  const cycleSec = files.reduce((sum, f) => sum + (entries.find((e) => e.file === f)?.durationSec ?? 0), 0);
  const lines = Array.from({ length: Math.ceil(seconds / cycleSec) }, () => files.map((f) => `file '${join(REPO, 'samples', f)}'`)).flat();
  const list = `${path}.txt`;
  writeFileSync(list, lines.join('\n') + '\n');
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-t', String(seconds), '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', path];
  const run = spawnSync(ffmpegBinary().path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) throw new Error(`ffmpeg could not make the test file: ${run.stderr.toString().trim().split('\n').at(-1)}`);
  const audioSec = (statSync(path).size - 44) / 32_000;
  if (Math.abs(audioSec - seconds) > 0.05) throw new Error(`test file holds ${audioSec.toFixed(2)} s, expected ${seconds}`);
}

/** A finished child: exit code, wall time and the end of its stderr. */
export interface ChildResult {
  readonly code: number | null;
  readonly wallSec: number;
  readonly stderrTail: string;
}

/**
 * Runs `blurig …cliArgs` with BLURIG_MODEL set, calls `onLine(line, msSinceSpawn)` for every stdout line as it
 * arrives (nothing is kept), and `onSpawn(child)` once started. Rejects on a nonzero exit with the stderr tail.
 */
export function runBlurig(
  command: readonly string[],
  cliArgs: readonly string[],
  onLine: (line: string, ms: number) => void,
  onSpawn: (child: ChildProcess) => void = () => {},
): Promise<ChildResult> {
  const model = modelPath();
  const env = model === undefined ? process.env : { ...process.env, BLURIG_MODEL: model };
  const start = performance.now();
  const child = spawn(process.execPath, [...command, ...cliArgs], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  onSpawn(child);
  let stderrTail = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderrTail = (stderrTail + text).slice(-4000)));
  createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => onLine(line, performance.now() - start));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      const result = { code, wallSec: (performance.now() - start) / 1000, stderrTail: stderrTail.trim() };
      if (code === 0) resolvePromise(result);
      else reject(new Error(`exit ${code}: ${result.stderrTail.split('\n').at(-1) || 'no stderr'}\n(blurig ${showFlags(cliArgs)})\n${result.stderrTail}`));
    });
  });
}

const running = new Set<ChildProcess>();

/** A configuration whose run failed (e.g. a flag this CLI does not know yet): its one-line reason, for the table. */
export interface Failed {
  readonly failed: string;
}

/** Runs `fn`; a failure is reported on stderr and returned as {@link Failed}, so the other configurations still run. */
export async function attempt<T>(label: string, fn: () => Promise<T>): Promise<T | Failed> {
  try {
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${label} failed: ${message}\n`);
    return { failed: message.split('\n')[0] };
  }
}

export const isFailed = (value: unknown): value is Failed => typeof value === 'object' && value !== null && 'failed' in value;

/** On Ctrl-C or SIGTERM: stop the children this script started (each stops its own ffmpeg), run `cleanup`, exit. */
export function onInterrupt(cleanup: () => void): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGINT');
      cleanup();
      process.exit(code);
    });
  }
}

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Markdown table, as the other bench scripts print. */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

/** A number with `digits` decimals, or – when it is not finite (nothing measured). */
export const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');
