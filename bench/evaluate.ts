// Issue 12: every attribution method on every sample (the labelled classes of samples/samples.json), as `blurig
// evaluate` measures them: faithfulness (deletion/insertion, two references), localisation, sanity and cost.
// Run: npx tsx bench/evaluate.ts [--engine onnx|tfjs] [--files a.wav,b.wav] [--methods a,b] [--sanity-patches N]
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { from, lastValueFrom, toArray } from 'rxjs';
import { evaluateFile } from '../pipelines/evaluateFile.js';
import { chooseMethods, DEFAULT_METHOD_NAME } from '../src/evaluate/methods.js';
import { mean, type MethodReport } from '../src/evaluate/summary.js';
import { createYamnet } from '../src/model/createYamnet.js';
import { evaluationSettings } from '../src/operators/evaluatePatches.js';
import { summariseEvaluation } from '../src/operators/summariseEvaluation.js';
import type { EngineName, LabelledSpan } from '../src/types.js';
import { REPO } from './harness.js';

const { values } = parseArgs({ options: { engine: { type: 'string' }, files: { type: 'string' }, methods: { type: 'string' }, 'sanity-patches': { type: 'string' } } });
const SAMPLES: { file: string; events: LabelledSpan[] }[] = JSON.parse(readFileSync(join(REPO, 'samples', 'samples.json'), 'utf8'));
const MODEL = process.env.BLURIG_MODEL ?? join(REPO, '..', 'shared', 'models', 'yamnet', 'yamnet_spectra_in.tflite');
// speech.mp3 is speech.wav through a codec: the same events, so it adds time and no information.
const files = values.files?.split(',') ?? SAMPLES.map((s) => s.file).filter((f) => f !== 'speech.mp3');
const options = { randomizationLevels: [1, 3, 8], sanityPatches: Number(values['sanity-patches'] ?? 2), seed: 0, curveIntervals: 16 };

const fmt = (v: number | null, digits = 3): string => (v === null ? '–' : v.toFixed(digits));

async function main(): Promise<void> {
  const started = Date.now();
  const model = await createYamnet({ modelPath: MODEL, engine: (values.engine as EngineName | undefined) ?? 'onnx', download: false });
  const { run: methods, unsupported } = chooseMethods(values.methods?.split(','), model);
  console.log(`engine ${model.engine}, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}; ${new Date().toISOString()}`);
  for (const u of unsupported) console.log(`not run: ${u.name}: ${u.reason}`);
  const perFile: { file: string; reports: MethodReport[] }[] = [];
  try {
    for (const file of files) {
      const spans = SAMPLES.find((s) => s.file === file)?.events ?? [];
      const classes = [...new Set(spans.map((s) => s.class))];
      const t0 = Date.now();
      const evaluated = await lastValueFrom(evaluateFile(join(REPO, 'samples', file), model, methods, { ...options, classes, spans }).pipe(toArray()));
      const summary = await lastValueFrom(from(evaluated).pipe(summariseEvaluation(model.classNames, methods, { spans, defaultName: DEFAULT_METHOD_NAME, intervals: evaluationSettings(options).intervals })));
      perFile.push({ file, reports: [...summary.methods] });
      process.stderr.write(`${file}: ${summary.patches} patches, ${classes.join(' + ')}, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
      printTable(`${file} (${classes.join(', ')} in every patch)`, summary.methods);
    }
  } finally {
    model.dispose();
  }
  // Over all samples: the mean of each figure over the files (each file's figure is its mean over patches and classes).
  const pooled = methods.map((m, k) => pool(m.name, perFile.map((f) => f.reports[k])));
  printTable('All samples (mean over files)', pooled);
  const control = pooled.find((m) => m.name === 'random');
  if (control !== undefined) {
    console.log('\nBeats the random control (deletion lower, insertion higher) on every file, against both references:');
    for (const m of methods) {
      const wins = perFile.every(({ reports }) => {
        const [r, c] = [reports.find((x) => x.name === m.name)!, reports.find((x) => x.name === 'random')!];
        return (['silence', 'blur'] as const).every((ref) => r.deletionAuc[ref]! < c.deletionAuc[ref]! && r.insertionAuc[ref]! > c.insertionAuc[ref]!);
      });
      console.log(`- ${m.name}: ${wins ? 'yes' : 'no'}`);
    }
  }
  console.log(`\ntotal ${((Date.now() - started) / 60000).toFixed(1)} min, load ${loadavg()[0].toFixed(1)} at the end`);
}

function pool(name: string, reports: MethodReport[]): MethodReport {
  const avg = (pick: (r: MethodReport) => number | null): number | null => mean(reports.map(pick));
  return {
    ...reports[0],
    name,
    deletionAuc: { silence: avg((r) => r.deletionAuc.silence), blur: avg((r) => r.deletionAuc.blur) },
    insertionAuc: { silence: avg((r) => r.insertionAuc.silence), blur: avg((r) => r.insertionAuc.blur) },
    insideShare: avg((r) => r.insideShare),
    pointingGame: avg((r) => r.pointingGame),
    evidenceIou: avg((r) => r.evidenceIou),
    randomizationRankCorrelation: avg((r) => r.randomizationRankCorrelation),
    randomization: reports[0].randomization.map(({ layers }) => ({ layers, rankCorrelation: avg((r) => r.randomization.find((l) => l.layers === layers)?.rankCorrelation ?? null) })),
    completenessError: avg((r) => r.completenessError),
    evaluationsPerPatch: avg((r) => r.evaluationsPerPatch) ?? 0,
    msPerPatch: avg((r) => r.msPerPatch) ?? 0,
  };
}

function printTable(title: string, reports: readonly MethodReport[]): void {
  console.log(`\n### ${title}\n`);
  const levels = reports[0]?.randomization.map((l) => l.layers).join(' / ') ?? '';
  console.log(`| method | deletion, silence ↓ | deletion, blur ↓ | insertion, silence ↑ | insertion, blur ↑ | inside-share ↑ | pointing game ↑ | evidence IoU ↑ | randomisation ρ, top ${levels} layers ↓ | completeness error | evaluations / patch | ms / patch |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of reports) {
    const cells = [r.deletionAuc.silence, r.deletionAuc.blur, r.insertionAuc.silence, r.insertionAuc.blur, r.insideShare, r.pointingGame, r.evidenceIou].map((v) => fmt(v));
    const rho = r.randomization.map((l) => fmt(l.rankCorrelation, 2)).join(' / ');
    console.log(`| ${r.name}${r.default ? ' (default)' : ''} | ${cells.join(' | ')} | ${rho} | ${fmt(r.completenessError)} | ${r.evaluationsPerPatch.toFixed(0)} | ${r.msPerPatch.toFixed(0)} |`);
  }
}

await main();
