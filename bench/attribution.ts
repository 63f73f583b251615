// Relative completeness error of the top class's logit against model evaluations, on real YAMNet patches of the
// shipped samples: Blur IG per schedule and step count, adaptive Blur IG, the Python reference, IG from silence
// (npx tsx bench/attribution.ts [--quick]). Tables go to stdout as Markdown, progress to stderr.
import { existsSync, readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { BLUR_IG_DEFAULTS, blurIG } from '../src/attribution/blurIG.js';
import { integratedGradients } from '../src/attribution/integratedGradients.js';
import { logMelPatches } from '../src/audio/logMel.js';
import { selectBackend } from '../src/engine/backend.js';
import { classTarget } from '../src/model/classTarget.js';
import { loadYamnet, type YamnetModel } from '../src/model/yamnet.js';
import type { AttributionResult, BlurDirection, ExplainedFunction, Patch, ScheduleName } from '../src/types.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
const PATCH_SECONDS = 0.975; // 96 frames of 25 ms windows at a 10 ms hop
const TOLERANCE = 0.01;

type Schedule = ScheduleName | 'increments';
const SCHEDULES: readonly Schedule[] = ['increments', 'gauss-legendre', 'left-riemann', 'midpoint', 'trapezoid'];
const FIXED_STEPS = QUICK ? [8, 32] : [8, 16, 32, 64, 128, 256];
const TOLERANCES = QUICK ? [0.05, 0.01] : [0.05, 0.01, 0.003];
const PAIR_STEPS = [100, 32];
const IG_STEPS = QUICK ? [32] : [32, 128];
const PATHS: readonly BlurDirection[] = QUICK ? [] : ['time', 'frequency'];

/** Which patches: the middle complete patch inside each event span (file, event class in samples.json). */
const PICKS: readonly (readonly [string, string])[] = QUICK
  ? [['siren.wav', 'Siren'], ['speech.wav', 'Speech']]
  : [['siren.wav', 'Siren'], ['speech.wav', 'Speech'], ['tones.wav', 'Sine wave'], ['tones.wav', 'Beep, bleep'], ['mixture.wav', 'Speech'], ['mixture.wav', 'Siren']];

interface Case {
  readonly label: string;
  readonly span: string;
  readonly patch: Patch;
  readonly topIndex: number;
  readonly topName: string;
  readonly topScore: number;
  readonly f: ExplainedFunction;
}

/** One attribution of one patch: what completeness it reached at what cost. */
interface Run {
  readonly relError: number;
  readonly steps: number;
  readonly evaluations: number;
  readonly ms: number;
  readonly fInput: number;
  readonly fBaseline: number;
}

interface SampleEntry {
  readonly file: string;
  readonly events: readonly { readonly class: string; readonly startSec: number; readonly endSec: number }[];
}

/** 16-bit PCM mono WAV at 16 kHz (what samples/ holds) to [−1, 1) floats. */
function readWav(path: string): Float32Array {
  const data = readFileSync(path);
  if (data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path}: not a WAV file`);
  let format: { channels: number; rate: number; bits: number } | undefined;
  for (let at = 12; at + 8 <= data.length; ) {
    const id = data.toString('ascii', at, at + 4);
    const size = data.readUInt32LE(at + 4);
    if (id === 'fmt ') format = { channels: data.readUInt16LE(at + 10), rate: data.readUInt32LE(at + 12), bits: data.readUInt16LE(at + 22) };
    if (id === 'data') {
      if (format?.channels !== 1 || format.rate !== 16_000 || format.bits !== 16) throw new Error(`${path}: expected 16 kHz mono 16-bit PCM`);
      const count = Math.floor(Math.min(size, data.length - at - 8) / 2);
      return Float32Array.from({ length: count }, (_, i) => data.readInt16LE(at + 8 + 2 * i) / 32768);
    }
    at += 8 + size + (size & 1);
  }
  throw new Error(`${path}: no data chunk`);
}

async function pickCases(model: YamnetModel): Promise<Case[]> {
  const entries = JSON.parse(readFileSync(join(REPO, 'samples', 'samples.json'), 'utf8')) as SampleEntry[];
  const patchesOf = new Map<string, Patch[]>();
  return PICKS.map(([file, eventClass]) => {
    const event = entries.find((e) => e.file === file)?.events.find((e) => e.class === eventClass);
    if (event === undefined) throw new Error(`samples.json has no ${eventClass} event in ${file}`);
    let all = patchesOf.get(file);
    if (all === undefined) patchesOf.set(file, (all = logMelPatches(readWav(join(REPO, 'samples', file)))));
    const inside = all.filter((p) => p.startSec >= event.startSec && p.startSec + PATCH_SECONDS <= event.endSec);
    if (inside.length === 0) throw new Error(`no complete patch inside ${eventClass} of ${file}`);
    const patch = inside[(inside.length - 1) >> 1];
    const scores = tf.tidy(() => model.scores(tf.tensor3d(patch.logMel, [1, 96, 64])).dataSync() as Float32Array);
    const topIndex = scores.reduce((best, s, i) => (s > scores[best] ? i : best), 0);
    return {
      label: `${file} ${eventClass.split(',')[0].toLowerCase()}`,
      span: `${event.startSec.toFixed(2)}–${event.endSec.toFixed(2)}`,
      patch,
      topIndex,
      topName: model.classNames[topIndex],
      topScore: scores[topIndex],
      f: classTarget(model, topIndex),
    };
  });
}

async function measure(attribute: () => Promise<AttributionResult>): Promise<Run> {
  const start = performance.now();
  const result = await attribute();
  const ms = performance.now() - start;
  const { relError, fInput, fBaseline } = result.completeness;
  return { relError, steps: result.steps, evaluations: result.evaluations, ms, fInput, fBaseline };
}

/** Runs `attribute` on every case; progress to stderr. */
async function overCases(cases: readonly Case[], what: string, attribute: (c: Case) => Promise<AttributionResult>): Promise<Run[]> {
  const runs: Run[] = [];
  for (const c of cases) runs.push(await measure(() => attribute(c)));
  const total = runs.reduce((sum, r) => sum + r.ms, 0);
  process.stderr.write(`  ${what}: ${(total / 1000).toFixed(1)} s, median error ${pct(median(runs.map((r) => r.relError)))}\n`);
  return runs;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const worst = (values: readonly number[]): number => Math.max(...values);

function pct(e: number): string {
  const p = 100 * e;
  if (!Number.isFinite(p)) return String(p);
  if (p >= 100) return `${p.toFixed(0)}%`;
  if (p >= 10) return `${p.toFixed(1)}%`;
  if (p >= 0.01) return `${p.toFixed(2)}%`;
  return `${p.toExponential(1)}%`;
}
const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const errors = (runs: readonly Run[]) => runs.map((r) => r.relError);
const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]): string =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

async function main(): Promise<void> {
  const wallStart = performance.now();
  const modelPath = process.env.BLURIG_MODEL || join(REPO, '..', 'shared', 'models', 'yamnet', 'yamnet_spectra_in.tflite');
  if (!existsSync(modelPath)) throw new Error(`YAMNet not found at ${modelPath}: set BLURIG_MODEL`);
  const backend = await selectBackend('wasm');
  const model = await loadYamnet(modelPath);
  const modelTensors = tf.memory().numTensors;
  const cpu = cpus();
  const loadAtStart = loadavg();
  console.log(`machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${platform()} ${arch()}, Node ${process.version}, tfjs ${tf.version_core}, backend ${backend} (${tf.getBackend()})`);
  console.log(`load average at start: ${loadAtStart.map((l) => l.toFixed(2)).join(' ')} (other processes skew the ms figures, not the errors)`);
  console.log(`model: ${modelPath}${QUICK ? '\nmode: --quick (a subset: 2 patches, fewer step counts)' : ''}`);
  console.log(
    'error: relative completeness error of the top class logit, |Σ attribution − (F(x) − F(baseline))| / |F(x) − F(baseline)|; ' +
      'evaluations: input-gradient evaluations of the model (the forward pass for F(x) and F(baseline) is not counted); ms: wall time per patch (batch 32, one thread)\n',
  );

  const cases = await pickCases(model);
  // Warm-up: the first batch-32 gradient call of a process is slower than the rest.
  await blurIG(cases[0].f, cases[0].patch, { schedule: 'gauss-legendre', steps: 32, maxSteps: 32 });

  process.stderr.write('fixed steps\n');
  const fixed = new Map<string, Run[]>();
  for (const schedule of SCHEDULES) {
    for (const steps of FIXED_STEPS) {
      fixed.set(`${schedule}/${steps}`, await overCases(cases, `${schedule} ${steps}`, (c) => blurIG(c.f, c.patch, { schedule, steps, maxSteps: steps })));
    }
  }
  process.stderr.write('adaptive\n');
  const adaptive = new Map<number, Run[]>();
  for (const tolerance of TOLERANCES) adaptive.set(tolerance, await overCases(cases, `tolerance ${tolerance}`, (c) => blurIG(c.f, c.patch, { tolerance })));
  process.stderr.write('reference\n');
  const pair = new Map<number, Run[]>();
  // batchSize 32 for speed: this implementation weights every step by its own Δσ, so the result does not depend on it.
  for (const steps of PAIR_STEPS) pair.set(steps, await overCases(cases, `pair ${steps}`, (c) => blurIG(c.f, c.patch, { compat: 'pair', steps, batchSize: 32 })));
  process.stderr.write('integrated gradients\n');
  const ig = new Map<number, Run[]>();
  for (const steps of IG_STEPS) ig.set(steps, await overCases(cases, `IG ${steps}`, (c) => integratedGradients(c.f, c.patch, { baseline: 'silence', schedule: 'gauss-legendre', steps })));
  process.stderr.write('paths\n');
  const paths = new Map<BlurDirection, Run[]>();
  for (const path of PATHS) paths.set(path, await overCases(cases, `path ${path}`, (c) => blurIG(c.f, c.patch, { path })));

  // 1. Patches.
  const blurEnds = adaptive.get(TOLERANCE)!;
  const pairEnds = pair.get(100)!;
  const silenceEnds = ig.get(IG_STEPS[0])!;
  console.log('### 1. Patches (the middle complete patch inside each event span; top class by YAMNet score, its logit explained)\n');
  console.log(
    table(
      ['patch', 'span s', 'patch start s', 'top class (score)', 'F(x)', 'F(blur baseline)', 'F(x) − F(b): blur', 'pair σ 50', 'silence'],
      cases.map((c, i) => [
        c.label,
        c.span,
        c.patch.startSec.toFixed(2),
        `${c.topName} (${c.topScore.toFixed(2)})`,
        blurEnds[i].fInput.toFixed(2),
        blurEnds[i].fBaseline.toFixed(2),
        (blurEnds[i].fInput - blurEnds[i].fBaseline).toFixed(2),
        (pairEnds[i].fInput - pairEnds[i].fBaseline).toFixed(2),
        (silenceEnds[i].fInput - silenceEnds[i].fBaseline).toFixed(2),
      ]),
    ),
  );
  console.log('\nblur baseline: the default path\'s end (time–frequency, reflect, σ_max 96 × 64 frames × bands); pair: the reference\'s zero-padded σ = 50; silence: −6.9078 everywhere.\n');

  // 2. Fixed steps.
  console.log(`### 2. Blur IG, path time–frequency, fixed steps (maxSteps = steps): median / worst error over ${cases.length} patches\n`);
  console.log(table(['schedule', ...FIXED_STEPS.map(String)], SCHEDULES.map((s) => [s, ...FIXED_STEPS.map((n) => `${pct(median(errors(fixed.get(`${s}/${n}`)!)))} / ${pct(worst(errors(fixed.get(`${s}/${n}`)!)))}`)])));
  console.log('\nms per patch (median):\n');
  console.log(table(['schedule', ...FIXED_STEPS.map(String)], SCHEDULES.map((s) => [s, ...FIXED_STEPS.map((n) => ms(median(fixed.get(`${s}/${n}`)!.map((r) => r.ms))))])));
  console.log('\n(increments: `steps` nodes, both ends included, so steps − 1 cells; the others: `steps` nodes of the rule.)\n');

  // 3. Adaptive.
  const { schedule: defaultSchedule, steps: defaultSteps, maxSteps: defaultMax } = BLUR_IG_DEFAULTS;
  console.log(`### 3. Blur IG adaptive (defaults: schedule ${defaultSchedule}, starts at ${defaultSteps} nodes, maxSteps ${defaultMax})\n`);
  console.log(
    table(
      ['tolerance', 'met', 'steps median (max)', 'evaluations median (max)', 'error median (max)', 'ms per patch median'],
      TOLERANCES.map((t) => {
        const runs = adaptive.get(t)!;
        return [
          String(t),
          `${runs.filter((r) => r.relError <= t).length}/${runs.length}`,
          `${median(runs.map((r) => r.steps))} (${worst(runs.map((r) => r.steps))})`,
          `${median(runs.map((r) => r.evaluations))} (${worst(runs.map((r) => r.evaluations))})`,
          `${pct(median(errors(runs)))} (${pct(worst(errors(runs)))})`,
          ms(median(runs.map((r) => r.ms))),
        ];
      }),
    ),
  );
  console.log('\nper patch at tolerance ' + TOLERANCE + ': ' + cases.map((c, i) => `${c.label} ${blurEnds[i].evaluations} ev → ${pct(blurEnds[i].relError)}`).join('; ') + '\n');

  // 4. Reference.
  console.log('### 4. The reference (compat `pair`: isotropic σ_max 50, zero padding, left Riemann in σ, forward difference) — the baseline\n');
  console.log(
    table(
      ['steps', 'evaluations', 'error median', 'error worst', 'ms per patch median'],
      PAIR_STEPS.map((n) => {
        const runs = pair.get(n)!;
        return [n === 100 ? '100 (default)' : String(n), String(median(runs.map((r) => r.evaluations))), pct(median(errors(runs))), pct(worst(errors(runs))), ms(median(runs.map((r) => r.ms)))];
      }),
    ),
  );
  const reference = pair.get(100)!;
  const ours = adaptive.get(TOLERANCE)!;
  const oursEvaluations = median(ours.map((r) => r.evaluations));
  const referenceError = median(errors(reference));
  const oursError = median(errors(ours));
  console.log(
    `\nratio, same run: the default (${defaultSchedule}, tolerance ${TOLERANCE}) reached median ${pct(oursError)} (worst ${pct(worst(errors(ours)))}, ≤1% on ${ours.filter((r) => r.relError <= TOLERANCE).length}/${ours.length}) ` +
      `with median ${oursEvaluations} evaluations = ${(oursEvaluations / 100).toFixed(2)}× the reference's 100, ` +
      `at which the reference's median error is ${pct(referenceError)} (${(referenceError / oursError).toFixed(0)}× the default's). ` +
      `Per patch, evaluations default/reference: ${ours.map((r) => (r.evaluations / 100).toFixed(2)).join(', ')}; ` +
      `error reference/default: ${ours.map((r, i) => (reference[i].relError / r.relError).toFixed(0)).join(', ')}.\n`,
  );

  // 5. IG.
  console.log('### 5. Integrated Gradients from silence (−6.9078), Gauss–Legendre\n');
  console.log(table(['steps', 'error median', 'error worst', 'ms per patch median'], IG_STEPS.map((n) => [String(n), pct(median(errors(ig.get(n)!))), pct(worst(errors(ig.get(n)!))), ms(median(ig.get(n)!.map((r) => r.ms)))])));
  console.log('');

  // 6. Paths.
  if (PATHS.length > 0) {
    console.log(`### 6. Blur IG paths with the defaults (${defaultSchedule}, ${defaultSteps} nodes to start, tolerance ${TOLERANCE}, maxSteps ${defaultMax})\n`);
    const rows = [['time-frequency', ours] as const, ...PATHS.map((p) => [p, paths.get(p)!] as const)];
    console.log(
      table(
        ['path', 'met', 'steps median (max)', 'error median (max)', 'F(x) − F(b) median', 'ms per patch median'],
        rows.map(([p, runs]) => [
          p,
          `${runs.filter((r) => r.relError <= TOLERANCE).length}/${runs.length}`,
          `${median(runs.map((r) => r.steps))} (${worst(runs.map((r) => r.steps))})`,
          `${pct(median(errors(runs)))} (${pct(worst(errors(runs)))})`,
          median(runs.map((r) => r.fInput - r.fBaseline)).toFixed(2),
          ms(median(runs.map((r) => r.ms))),
        ]),
      ),
    );
    console.log('');
  }

  // Summary: what reaches ≤ 1%, and how cheaply.
  console.log('### Summary (computed)\n');
  const cheap: string[] = [];
  for (const schedule of SCHEDULES) {
    for (const steps of FIXED_STEPS.filter((n) => n <= 32)) {
      const runs = fixed.get(`${schedule}/${steps}`)!;
      const met = runs.filter((r) => r.relError <= TOLERANCE).length;
      if (met > 0) cheap.push(`${schedule} ${steps}: ${met}/${runs.length}`);
    }
  }
  for (const steps of PAIR_STEPS.filter((n) => n <= 32)) {
    const met = pair.get(steps)!.filter((r) => r.relError <= TOLERANCE).length;
    if (met > 0) cheap.push(`pair ${steps}: ${met}/${cases.length}`);
  }
  for (const steps of IG_STEPS.filter((n) => n <= 32)) {
    const met = ig.get(steps)!.filter((r) => r.relError <= TOLERANCE).length;
    if (met > 0) cheap.push(`IG ${steps}: ${met}/${cases.length}`);
  }
  for (const [label, runs] of [...TOLERANCES.map((t) => [`adaptive tolerance ${t}`, adaptive.get(t)!] as const), ...PATHS.map((p) => [`path ${p}`, paths.get(p)!] as const)]) {
    const met = runs.filter((r) => r.evaluations <= 32 && r.relError <= TOLERANCE).length;
    if (met > 0) cheap.push(`${label}: ${met}/${runs.length}`);
  }
  console.log(`- patches at ≤1% with ≤32 evaluations: ${cheap.length === 0 ? 'none, by any method' : cheap.join('; ')}`);
  for (const schedule of SCHEDULES) {
    const first = FIXED_STEPS.find((n) => median(errors(fixed.get(`${schedule}/${n}`)!)) <= TOLERANCE);
    const firstAll = FIXED_STEPS.find((n) => worst(errors(fixed.get(`${schedule}/${n}`)!)) <= TOLERANCE);
    console.log(
      `- ${schedule}, fixed: median ≤1% first at ${first ?? `none of ${FIXED_STEPS.join(', ')}`} steps; every patch ≤1% first at ${firstAll ?? `none of ${FIXED_STEPS.join(', ')}`}`,
    );
  }
  const loadAtEnd = loadavg();
  console.log(`\nload average at end: ${loadAtEnd.map((l) => l.toFixed(2)).join(' ')}; total run time ${((performance.now() - wallStart) / 1000).toFixed(0)} s; tensors left besides the model's: ${tf.memory().numTensors - modelTensors}`);
  model.dispose();
}

await main();
