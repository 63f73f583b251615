// Peak RSS of `blurig stream <file>` (file mode, NDJSON to stdout) over a long looped file, sampled from /proc, to show
// memory does not grow with length (npm run bench:memory -- [--minutes 60] [--config "label=flags"]… [--command explain]).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  attempt, blurigCommand, fixed, isFailed, machineLines, makeTestAudio, modelPath, onInterrupt, parseBenchArgs, runBlurig, showFlags, table, type Configuration, type Failed,
} from './harness.js';

/**
 * The CLI's defaults (Blur IG, top-1 class, onnx engine, one worker per core): an hour is 7 500 patches, about
 * 23 min here (1 353 s measured). Memory that grows with length (queues, buffers, unread stdout) does not depend on the method, so
 * `--no-defaults --config "gradient=--method gradient"` measures that part faster.
 */
const CONFIGURATIONS: readonly Configuration[] = [{ label: 'default', flags: [] }];
const DEFAULT_MINUTES = 60;
const SAMPLE_MS = 250;
const MB = 1024; // kB per MB: /proc reports kB

interface Sample {
  readonly ms: number;
  readonly patches: number;
  readonly nodeKb: number;
}

interface Run {
  readonly wallSec: number;
  readonly patches: number;
  readonly stdoutBytes: number;
  readonly lines: number;
  /** VmHWM of the node process: its true peak, as last read before it exited. */
  readonly nodePeakKb: number;
  /** Largest sampled sum of VmRSS over node and its descendants (ffmpeg): sampled, so a lower bound. */
  readonly treePeakKb: number;
  /** Largest VmHWM seen for any descendant (ffmpeg). */
  readonly childPeakKb: number;
  readonly samples: readonly Sample[];
}

/** VmRSS and VmHWM of `pid` in kB, or undefined once it has gone. */
function memoryOf(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    const rssKb = kb('VmRSS');
    return Number.isFinite(rssKb) ? { rssKb, hwmKb: kb('VmHWM') } : undefined;
  } catch {
    return undefined;
  }
}

/** Every descendant of `pid`, from each thread's `children` list. */
function descendants(pid: number): number[] {
  const dir = `/proc/${pid}/task`;
  if (!existsSync(dir)) return [];
  const children = new Set<number>();
  try {
    for (const task of readdirSync(dir)) {
      for (const child of readFileSync(`${dir}/${task}/children`, 'utf8').split(' ').filter(Boolean)) children.add(Number(child));
    }
  } catch {
    // the process or a thread ended while we read: take what we have
  }
  return [...children].flatMap((child) => [child, ...descendants(child)]);
}

async function measure(command: readonly string[], cliArgs: readonly string[]): Promise<Run> {
  const samples: Sample[] = [];
  let patches = 0;
  let lines = 0;
  let stdoutBytes = 0;
  let nodePeakKb = 0;
  let treePeakKb = 0;
  let childPeakKb = 0;
  let timer: NodeJS.Timeout | undefined;
  const start = performance.now();
  const sample = (child: ChildProcess) => {
    const node = child.pid === undefined ? undefined : memoryOf(child.pid);
    if (node === undefined) return;
    let treeKb = node.rssKb;
    for (const pid of descendants(child.pid!)) {
      const m = memoryOf(pid);
      if (m === undefined) continue;
      treeKb += m.rssKb;
      childPeakKb = Math.max(childPeakKb, m.hwmKb);
    }
    nodePeakKb = Math.max(nodePeakKb, node.hwmKb);
    treePeakKb = Math.max(treePeakKb, treeKb);
    samples.push({ ms: performance.now() - start, patches, nodeKb: node.rssKb });
  };
  try {
    const result = await runBlurig(
      command,
      cliArgs,
      (line) => {
        // Counted, never kept: the parent must not be what grows.
        lines++;
        stdoutBytes += Buffer.byteLength(line) + 1;
        if (line.startsWith('{"type":"patch"')) patches++;
      },
      (child) => (timer = setInterval(() => sample(child), SAMPLE_MS)),
    );
    return { wallSec: result.wallSec, patches, stdoutBytes, lines, nodePeakKb, treePeakKb, childPeakKb, samples };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Node's RSS when the run was `fraction` done: by patches explained when stdout has patch lines (stream), else by
 * wall time (explain prints only at the end).
 */
function rssAt(run: Run, fraction: number): number {
  const { samples } = run;
  const done = run.patches > 0 ? samples.find((s) => s.patches >= fraction * run.patches) : samples.find((s) => s.ms >= fraction * run.wallSec * 1000);
  return done?.nodeKb ?? Number.NaN;
}

/** When node's sampled RSS was highest, as % of the wall time: early means a queue filled up front, late means growth. */
function peakAtPercent(run: Run): number {
  const top = run.samples.reduce<Sample | undefined>((best, s) => (best === undefined || s.nodeKb > best.nodeKb ? s : best), undefined);
  return top === undefined ? Number.NaN : (100 * top.ms) / (run.wallSec * 1000);
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), CONFIGURATIONS, { numbers: ['minutes'], strings: ['command'] });
  const minutes = args.numbers.get('minutes') ?? DEFAULT_MINUTES;
  const subcommand = args.strings.get('command') ?? 'stream';
  if (subcommand !== 'stream' && subcommand !== 'explain') throw new Error(`Expected --command stream or explain, got "${subcommand}"`);
  const { argv: command, note } = blurigCommand(args);
  for (const line of machineLines(modelPath())) console.log(line);
  console.log(note);

  const dir = mkdtempSync(join(tmpdir(), 'blurig-memory-'));
  onInterrupt(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const audio = join(dir, `looped-${minutes}min.wav`);
    makeTestAudio(minutes * 60, audio);
    console.log(`audio: ${minutes} min, the shipped speech, siren, tones and mixture samples looped (16 kHz mono WAV in a temp dir, deleted after)`);
    console.log(
      subcommand === 'stream'
        ? 'command: blurig stream <file> <flags> (file mode: NDJSON patch and frame lines on stdout, counted by this script and discarded)'
        : 'command: blurig explain <file> <flags> (keeps every patch and frame for its JSON/PNG/.npy outputs; stdout is the summary)',
    );
    console.log(
      `RSS: from /proc every ${SAMPLE_MS} ms. node peak = the node process's VmHWM (exact); node + ffmpeg = largest sampled sum of VmRSS over node ` +
        'and its descendants (a lower bound). RSS at 10/50/90% = node VmRSS when that share of the patches was out. ' +
        'To see growth with length, compare the node peak of two --minutes values (a queue filled at the start shows in the peak, not in 10→90%). ' +
        'The growing part of memory does not depend on the method or its steps; the per-patch working set does (Blur IG batches up to 32 path points).\n',
    );

    const runs: { config: Configuration; run: Run | Failed }[] = [];
    for (const config of args.configurations) {
      process.stderr.write(`${config.label}: blurig ${subcommand} <${minutes} min file> ${showFlags(config.flags)}\n`);
      runs.push({ config, run: await attempt(config.label, () => measure(command, [subcommand, audio, ...config.flags])) });
    }
    const mb = (kb: number) => fixed(kb / MB, 0);
    console.log(
      table(
        ['configuration', 'flags', 'audio min', 'wall s', 'patches', 'stdout MB', 'node peak MB', 'node + ffmpeg peak MB', 'ffmpeg peak MB', 'RSS at 10% / 50% / 90% MB', 'growth 10→90% MB', 'highest RSS at % of wall'],
        runs.map(({ config, run }) => [
          config.label, config.flags.length === 0 ? '(none)' : `\`${showFlags(config.flags)}\``, String(minutes),
          ...(isFailed(run)
            ? [`failed: ${run.failed}`]
            : [
                fixed(run.wallSec, 0), String(run.patches), fixed(run.stdoutBytes / 2 ** 20, 0), mb(run.nodePeakKb), mb(run.treePeakKb), mb(run.childPeakKb),
                [0.1, 0.5, 0.9].map((f) => mb(rssAt(run, f))).join(' / '), mb(rssAt(run, 0.9) - rssAt(run, 0.1)), fixed(peakAtPercent(run), 0),
              ]),
        ]),
      ),
    );
    const [base, ...others] = runs;
    if (others.length > 0 && !isFailed(base.run)) {
      console.log(`\nratios against the baseline "${base.config.label}", same run:`);
      for (const { config, run } of others) {
        if (isFailed(run)) console.log(`  ${config.label}: failed`);
        else console.log(`  ${config.label}: node peak ${fixed(run.nodePeakKb / base.run.nodePeakKb)}× (${mb(run.nodePeakKb)} vs ${mb(base.run.nodePeakKb)} MB)`);
      }
    }
    console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
