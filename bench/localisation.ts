// Issue 9: where each explanation puts a class's evidence on the samples, score against logit, Blur IG against IG,
// and what it costs in model evaluations; and the defaults' detections against samples/samples.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { explainFile } from '../pipelines/explainFile.js';
import { AttributionPool } from '../src/engine/workerPool/attributionPool.js';
import { localise } from '../src/evaluate/localisation.js';
import type { AttributePatchesOptions, Detection, FrameAttribution, PatchAttribution } from '../src/types.js';
import { REPO } from './harness.js';

interface SampleEvent { readonly class: string; readonly startSec: number; readonly endSec: number }
const SAMPLES: { file: string; events: SampleEvent[] }[] = JSON.parse(readFileSync(join(REPO, 'samples', 'samples.json'), 'utf8'));
const MODEL = process.env.BLURIG_MODEL ?? join(REPO, '..', 'shared', 'models', 'yamnet', 'yamnet_spectra_in.tflite');

/** What each row explains: the recorded class in every patch (as a user asking `--class LABEL` would), by one method and output. */
const CONFIGURATIONS: { label: string; options: Omit<AttributePatchesOptions, 'classes'> }[] = [
  { label: 'Blur IG with IDGI, score (the default since issue 12)', options: { output: 'score' } },
  { label: 'Blur IG, score (the default of issue 9)', options: { output: 'score', method: 'blur-ig' } },
  { label: 'Blur IG, logit (before issue 9)', options: { output: 'logit', method: 'blur-ig' } },
  { label: 'IG from silence, score', options: { output: 'score', method: 'integrated-gradients' } },
  { label: 'IG from silence, logit', options: { output: 'logit', method: 'integrated-gradients' } },
];

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
const percent = (value: number): string => `${(100 * value).toFixed(0)} %`;

async function run(pool: AttributionPool, file: string, options: AttributePatchesOptions) {
  const events = await lastValueFrom(explainFile(join(REPO, 'samples', file), pool, options).pipe(toArray()));
  const frames = events.flatMap((e) => (e.kind === 'frame' ? [e.frame] : [])) as FrameAttribution[];
  const patches = events.flatMap((e) => (e.kind === 'patch' ? [e.patch] : [])) as PatchAttribution[];
  const detections = events.flatMap((e) => (e.kind === 'detection' && e.state === 'end' ? [e.detection] : [])) as Detection[];
  return { frames, patches, detections };
}

async function main(): Promise<void> {
  const pool = await AttributionPool.create({ modelPath: MODEL, workers: 2 });
  console.log(`engine ${pool.engine}, 2 workers; started ${new Date().toISOString()}`);
  try {
    console.log('\n## Recorded class explained in every patch (`--class LABEL`)\n');
    console.log('| configuration | inside-share, median (worst) | pointing game | evaluations per patch, median | per event |');
    console.log('|---|---|---|---|---|');
    for (const { label, options } of CONFIGURATIONS) {
      const shares: number[] = [];
      const evaluations: number[] = [];
      const cells: string[] = [];
      let pointed = 0;
      let count = 0;
      for (const sample of SAMPLES) {
        for (const event of sample.events) {
          const { frames, patches } = await run(pool, sample.file, { ...options, classes: [event.class] });
          const classIndex = pool.classNames.indexOf(event.class);
          const result = localise(frames, classIndex, sample.events.filter((e) => e.class === event.class));
          shares.push(result.insideShare);
          pointed += result.pointingGame ? 1 : 0;
          count++;
          evaluations.push(...patches.map((p) => p.evaluations));
          cells.push(`${sample.file} ${event.class}: ${percent(result.insideShare)}${result.pointingGame ? '' : ' ✗'}`);
          process.stderr.write('.');
        }
      }
      console.log(`| ${label} | ${percent(median(shares))} (${percent(Math.min(...shares))}) | ${pointed} of ${count} | ${median(evaluations)} | ${cells.join('; ')} |`);
    }

    console.log('\n## The defaults (`blurig explain FILE`): detected classes in the patches their events cover\n');
    console.log('| sample | recorded event | detection | evidence | inside-share | pointing | patches explained | evaluations (all patches) |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const sample of SAMPLES) {
      const { frames, patches, detections } = await run(pool, sample.file, {});
      const total = patches.reduce((n, p) => n + p.evaluations, 0);
      for (const event of sample.events) {
        const found = detections.find((d) => d.name === event.class && d.startSec < event.endSec && d.endSec > event.startSec);
        const result = found ? localise(frames, found.classIndex, sample.events.filter((e) => e.class === event.class)) : undefined;
        const explained = patches.filter((p) => found && p.classes.some((c) => c.classIndex === found.classIndex)).length;
        console.log(
          `| ${sample.file} | ${event.class} ${event.startSec}–${event.endSec} s | ${found ? `${found.startSec}–${found.endSec} s, peak ${found.peakScore.toFixed(2)}` : 'missed'} | ${found?.evidence ? `${found.evidence.startSec}–${found.evidence.endSec} s` : '–'} | ${result ? percent(result.insideShare) : '–'} | ${result?.pointingGame ? 'yes' : 'no'} | ${explained} of ${patches.length} | ${total} |`,
        );
      }
      process.stderr.write('.');
    }
    process.stderr.write('\n');
  } finally {
    await pool.dispose();
  }
}

await main();
