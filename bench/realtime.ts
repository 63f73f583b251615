// Real-time factor of `blurig stream` on a looped test file: a file-mode pass for processing time / audio time, and a
// --realtime pass for drops and lag, per configuration (npm run bench:realtime -- [--seconds 60] [--config "label=flags"]…).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  attempt, blurigCommand, fixed, isFailed, machineLines, makeTestAudio, median, modelPath, onInterrupt, parseBenchArgs, PATCH_HOP_SEC, runBlurig, showFlags, table,
  type Configuration, type Failed,
} from './harness.js';

/** The first is the baseline every ratio is against; `--config` adds more, `--no-defaults` drops these. */
const CONFIGURATIONS: readonly Configuration[] = [
  // The baseline: issue 4's pipeline, tfjs wasm on the main thread.
  { label: 'tfjs, 1 worker', flags: ['--engine', 'tfjs', '--workers', '1'] },
  { label: 'tfjs, 2 workers', flags: ['--engine', 'tfjs', '--workers', '2'] },
  { label: 'onnx, 1 worker (2 threads)', flags: ['--engine', 'onnx', '--workers', '1'] },
  { label: 'default (onnx, 2 workers)', flags: [] },
];
const DEFAULT_SECONDS = 60;

/** `blurig stream <file>` without --realtime: patches back to back, never dropped. */
interface FilePass {
  readonly wallSec: number;
  readonly firstPatchSec: number;
  readonly patches: number;
  readonly secPerPatch: number;
  readonly evaluations: number;
  /** Relative completeness error of each explained class, median and worst over the patches. */
  readonly relErrorMedian: number;
  readonly relErrorMax: number;
}

/** `blurig stream <file> --realtime`: the file read at its real rate, as if live. */
interface LivePass {
  readonly wallSec: number;
  readonly firstPatchSec: number;
  readonly explained: number;
  readonly dropped: number;
  readonly lagMedianSec: number;
  readonly lagMaxSec: number;
  readonly busySecPerPatch: number;
  readonly busySamples: number;
}

const PATCH_PREFIX = '{"type":"patch"';

async function filePass(command: readonly string[], file: string, flags: readonly string[]): Promise<FilePass> {
  const patchMs: number[] = [];
  const evaluations: number[] = [];
  const relErrors: number[] = [];
  const { wallSec } = await runBlurig(command, ['stream', file, ...flags], (line, ms) => {
    if (!line.startsWith(PATCH_PREFIX)) return;
    patchMs.push(ms);
    const patch = JSON.parse(line) as { evaluations: number; classes: { relError: number }[] };
    evaluations.push(patch.evaluations);
    // NaN (methods without a baseline, e.g. gradient) stays out of the error figures.
    relErrors.push(...patch.classes.map((c) => c.relError).filter(Number.isFinite));
  });
  const n = patchMs.length;
  return {
    wallSec,
    firstPatchSec: (patchMs[0] ?? Number.NaN) / 1000,
    patches: n,
    // Steady state: start-up (model load, warm-up) and the first patch are outside the span first → last patch.
    secPerPatch: n > 1 ? (patchMs[n - 1] - patchMs[0]) / 1000 / (n - 1) : Number.NaN,
    evaluations: median(evaluations),
    relErrorMedian: relErrors.length > 0 ? median(relErrors) : Number.NaN,
    relErrorMax: relErrors.length > 0 ? Math.max(...relErrors) : Number.NaN,
  };
}

async function livePass(command: readonly string[], file: string, flags: readonly string[]): Promise<LivePass> {
  const lags: number[] = [];
  const busy: number[] = [];
  let explained = 0;
  let dropped = 0;
  let firstPatchMs = Number.NaN;
  let previousPatchMs = Number.NaN;
  let saturated = false;
  const { wallSec } = await runBlurig(command, ['stream', file, '--realtime', ...flags], (line, ms) => {
    if (line.startsWith(PATCH_PREFIX)) {
      explained++;
      // A patch was already waiting when the previous one finished, so this one ran straight after it.
      if (saturated) busy.push((ms - previousPatchMs) / 1000);
      if (explained === 1) firstPatchMs = ms;
      previousPatchMs = ms;
    } else if (line.startsWith('{"type":"drop"')) dropped++;
    else if (line.startsWith('{"type":"lag"')) {
      const { lagSec } = JSON.parse(line) as { lagSec: number };
      lags.push(lagSec);
      saturated = lagSec > 0;
    }
  });
  return {
    wallSec,
    firstPatchSec: firstPatchMs / 1000,
    explained,
    dropped,
    lagMedianSec: median(lags),
    lagMaxSec: lags.length > 0 ? Math.max(...lags) : Number.NaN,
    busySecPerPatch: median(busy),
    busySamples: busy.length,
  };
}

const DEFINITIONS = `Definitions (hop = ${PATCH_HOP_SEC} s of audio per patch):
- file RTF = processing time / audio time, from \`blurig stream <file>\` without --realtime (patches back to back):
  (time of the last patch line − time of the first) / (patches − 1) / ${PATCH_HOP_SEC} s. Start-up and the first
  patch are left out; "end-to-end" is wall time / audio time with them. RTF ≤ 1 keeps up with live audio.
- live: \`blurig stream <file> --realtime\`. Every patch is explained or dropped. lag = audio seconds between the newest
  patch and the one just finished (the CLI's lag events). busy s/patch = median time between consecutive patch lines
  when a patch was already waiting (the engine never idle; with several workers, the inverse of throughput);
  live RTF = busy s/patch / ${PATCH_HOP_SEC} s, over the patches that were explained, not dropped.`;

const flagCell = (config: Configuration): string => (config.flags.length === 0 ? '(none)' : `\`${showFlags(config.flags)}\``);

/** How `r` compares with the baseline `base`, in whatever both measured. */
function ratios(base: { file?: FilePass | Failed; live: LivePass | Failed }, r: { file?: FilePass | Failed; live: LivePass | Failed }): string {
  const parts: string[] = [];
  const { file: bf, live: bl } = base;
  const { file: rf, live: rl } = r;
  if (bf && rf && !isFailed(bf) && !isFailed(rf)) {
    parts.push(`file RTF ${fixed(rf.secPerPatch / PATCH_HOP_SEC)} vs ${fixed(bf.secPerPatch / PATCH_HOP_SEC)} (${fixed(bf.secPerPatch / rf.secPerPatch)}× faster)`);
  }
  if (!isFailed(bl) && !isFailed(rl)) {
    if (bl.busySamples > 0 && rl.busySamples > 0) parts.push(`live RTF ${fixed(rl.busySecPerPatch / PATCH_HOP_SEC)} vs ${fixed(bl.busySecPerPatch / PATCH_HOP_SEC)}`);
    parts.push(`explained ${rl.explained} vs ${bl.explained}, dropped ${rl.dropped} vs ${bl.dropped} patches`);
  }
  return parts.length > 0 ? parts.join(', ') : 'nothing to compare (a run failed)';
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), CONFIGURATIONS, { numbers: ['seconds'], switches: ['live-only'] });
  const seconds = args.numbers.get('seconds') ?? DEFAULT_SECONDS;
  const liveOnly = args.switches.has('live-only');
  const { argv: command, note } = blurigCommand(args);
  for (const line of machineLines(modelPath())) console.log(line);
  console.log(note);

  const dir = mkdtempSync(join(tmpdir(), 'blurig-realtime-'));
  onInterrupt(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const audio = join(dir, `looped-${seconds}s.wav`);
    makeTestAudio(seconds, audio);
    console.log(`audio: ${seconds} s, the shipped speech, siren, tones and mixture samples looped (16 kHz mono WAV in a temp dir)\n`);
    console.log(DEFINITIONS + '\n');

    const results: { config: Configuration; file?: FilePass | Failed; live: LivePass | Failed }[] = [];
    for (const config of args.configurations) {
      const shown = showFlags(config.flags);
      let file: FilePass | Failed | undefined;
      if (!liveOnly) {
        process.stderr.write(`${config.label}: file pass, blurig stream <file> ${shown}\n`);
        file = await attempt(config.label, () => filePass(command, audio, config.flags));
      }
      process.stderr.write(`${config.label}: live pass, blurig stream <file> --realtime ${shown}\n`);
      const live = await attempt(config.label, () => livePass(command, audio, config.flags));
      results.push({ config, file, live });
    }

    if (!liveOnly) {
      console.log('### File mode: processing time / audio time\n');
      console.log(
        table(
          ['configuration', 'flags', 'audio s', 'wall s', 'first patch s', 'patches', 'evaluations/patch median', 'completeness error median / max %', 's/patch', 'RTF', 'end-to-end RTF'],
          results.map(({ config, file: f }) => [
            config.label, flagCell(config), String(seconds),
            ...(isFailed(f) || f === undefined
              ? [`failed: ${f?.failed}`]
              : [fixed(f.wallSec, 1), fixed(f.firstPatchSec, 1), String(f.patches), fixed(f.evaluations, 0), `${fixed(100 * f.relErrorMedian, 2)} / ${fixed(100 * f.relErrorMax, 2)}`, fixed(f.secPerPatch, 3), fixed(f.secPerPatch / PATCH_HOP_SEC), fixed(f.wallSec / seconds)]),
          ]),
        ),
      );
      console.log('');
    }
    console.log('### Live (--realtime): drops and lag\n');
    console.log(
      table(
        ['configuration', 'audio s', 'wall s', 'first patch s', 'patches explained', 'dropped', 'dropped %', 'lag median s', 'lag max s', 'busy s/patch (n)', 'live RTF'],
        results.map(({ config, live: l }) => [
          config.label, String(seconds),
          ...(isFailed(l)
            ? [`failed: ${l.failed}`]
            : [
                fixed(l.wallSec, 1), fixed(l.firstPatchSec, 1), String(l.explained), String(l.dropped), fixed((100 * l.dropped) / (l.explained + l.dropped), 1),
                fixed(l.lagMedianSec), fixed(l.lagMaxSec), `${fixed(l.busySecPerPatch, 3)} (${l.busySamples})`,
                l.busySamples === 0 && l.dropped === 0 ? 'kept up (never behind)' : fixed(l.busySecPerPatch / PATCH_HOP_SEC),
              ]),
        ]),
      ),
    );

    const [base, ...others] = results;
    if (others.length > 0) {
      console.log(`\nratios against the baseline "${base.config.label}", same run:`);
      for (const r of others) console.log(`  ${r.config.label}: ${ratios(base, r)}`);
    }
    console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
