// Agreement between the student and its teacher (top-1 / top-3, overall, on clear events, per class) and on the samples.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logMelPatches } from '../../src/audio/logMel.js';
import { decodeWav } from '../../src/listen/wav.js';
import type { ClassifierModel } from '../../src/types.js';
import { PATCH_VALUES } from './dataset.js';

/** Patches agreeing, of `n`: `top1` student top-1 = teacher top-1; `top3` teacher top-1 within the student's top 3. */
export interface Agreement {
  readonly n: number;
  readonly top1: number;
  readonly top3: number;
}

export interface AgreementReport {
  readonly overall: Agreement;
  /** Patches whose teacher top score is ≥ 0.5. */
  readonly clearEvent: Agreement;
  /** By the teacher's top-1 class (clear-event patches only), most frequent first. */
  readonly perClass: readonly (Agreement & { readonly name: string })[];
}

/** Indices of the `k` largest values of `row`, largest first. */
export function topK(row: ArrayLike<number>, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < row.length; i++) {
    if (best.length < k || row[i] > row[best[best.length - 1]]) {
      best.push(i);
      best.sort((a, b) => row[b] - row[a]);
      if (best.length > k) best.pop();
    }
  }
  return best;
}

export const CLEAR_EVENT_SCORE = 0.5;

export function agreement(teacher: Float32Array, student: Float32Array, count: number, classNames: readonly string[]): AgreementReport {
  const classes = classNames.length;
  const tally = (): { n: number; top1: number; top3: number } => ({ n: 0, top1: 0, top3: 0 });
  const overall = tally();
  const clear = tally();
  const perClass = new Map<number, { n: number; top1: number; top3: number }>();
  for (let p = 0; p < count; p++) {
    const t = teacher.subarray(p * classes, (p + 1) * classes);
    const s = student.subarray(p * classes, (p + 1) * classes);
    const [best] = topK(t, 1);
    const mine = topK(s, 3);
    const hit1 = mine[0] === best ? 1 : 0;
    const hit3 = mine.includes(best) ? 1 : 0;
    const buckets = [overall];
    if (1 / (1 + Math.exp(-t[best])) >= CLEAR_EVENT_SCORE) {
      buckets.push(clear);
      if (!perClass.has(best)) perClass.set(best, tally());
      buckets.push(perClass.get(best) ?? tally());
    }
    for (const b of buckets) (b.n += 1), (b.top1 += hit1), (b.top3 += hit3);
  }
  return {
    overall,
    clearEvent: clear,
    perClass: [...perClass.entries()].map(([c, a]) => ({ name: classNames[c], ...a })).sort((a, b) => b.n - a.n || a.name.localeCompare(b.name)),
  };
}

/** One labelled event of samples/samples.json and how the patches wholly inside it were classified. */
export interface SampleEventResult {
  readonly file: string;
  readonly className: string;
  readonly startSec: number;
  readonly endSec: number;
  readonly patches: number;
  /** Patches whose top-1 (top-3) is the event's class. */
  readonly top1: number;
  readonly top3: number;
  /** The model's most frequent top-1 class over those patches. */
  readonly usualTop: string;
}

/** Classifies the WAV samples and checks, for each recorded event, the patches that lie wholly inside its span. */
export async function sampleEvents(model: Pick<ClassifierModel, 'logitsOf' | 'classNames'>, samplesDir: string): Promise<SampleEventResult[]> {
  const manifest = JSON.parse(await readFile(join(samplesDir, 'samples.json'), 'utf8')) as { file: string; events: { class: string; startSec: number; endSec: number }[] }[];
  const results: SampleEventResult[] = [];
  for (const entry of manifest.filter((e) => e.file.endsWith('.wav'))) {
    const { samples } = decodeWav(await readFile(join(samplesDir, entry.file)));
    const patches = logMelPatches(samples);
    const values = new Float32Array(patches.length * PATCH_VALUES);
    patches.forEach((p, i) => values.set(p.logMel, i * PATCH_VALUES));
    const logits = await model.logitsOf(values, patches.length);
    const classes = model.classNames.length;
    for (const event of entry.events) {
      const target = model.classNames.indexOf(event.class);
      const inside = patches.filter((p) => p.startSec >= event.startSec && p.startSec + 0.975 <= event.endSec);
      const tops = inside.map((p) => topK(logits.subarray(p.index * classes, (p.index + 1) * classes), 3));
      const counts = new Map<number, number>();
      for (const t of tops) counts.set(t[0], (counts.get(t[0]) ?? 0) + 1);
      const usual = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      results.push({
        file: entry.file,
        className: event.class,
        startSec: event.startSec,
        endSec: event.endSec,
        patches: inside.length,
        top1: tops.filter((t) => t[0] === target).length,
        top3: tops.filter((t) => t.includes(target)).length,
        usualTop: usual === undefined ? '—' : model.classNames[usual],
      });
    }
  }
  return results;
}
