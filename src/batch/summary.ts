// summary.json of a corpus: per class, its detections, the bands and scales that carry it, completeness and cost; built from each folder's explain.json.
import { hertzToMel, melToHertz } from '../audio/melFilterbank.js';
import type { ExplainReport } from '../render/explainJson.js';
import { YAMNET_FRONT_END } from '../types.js';
import type { BatchSettings, ManifestRecord } from './records.js';

const { melBands, melMinHz, melMaxHz } = YAMNET_FRONT_END;
/** Centre of each mel band in Hz, as `explain`'s summary names bands. */
export const BAND_CENTRES_HZ = Array.from({ length: melBands }, (_, j) => {
  const [low, high] = [hertzToMel(melMinHz), hertzToMel(melMaxHz)];
  return melToHertz(low + ((j + 1) * (high - low)) / (melBands + 1));
});
/** Bands listed per class: the ones with the largest share of its positive attribution. */
const TOP_BANDS = 5;

/** One class across the corpus. */
export interface ClassSummary {
  readonly classIndex: number;
  readonly name: string;
  /** Files with at least one detection of it, its detections, and their summed length in seconds. */
  readonly files: number;
  readonly detections: number;
  readonly detectedSec: number;
  readonly maxPeakScore: number | null;
  /** (patch, file) pairs in which it was explained. */
  readonly explainedPatches: number;
  /** The bands with the largest share of its positive attribution over every explained frame (shares of 1). */
  readonly bands: readonly { band: number; hz: number; share: number }[];
  /** Median over explained patches of the σ (frames × bands) where its evidence fell fastest; null without scale curves. */
  readonly scale: { sigmaTime: number; sigmaFrequency: number } | null;
  /** Relative completeness error over explained patches; null where the method has none. */
  readonly completeness: { median: number; max: number } | null;
  /** Its share of the files' explaining time (each file's time split by its explained (patch, class) pairs), ms. */
  readonly costMs: number;
}

/** The `summary.json` document. */
export interface CorpusSummary {
  readonly createdAt: string;
  readonly settings: BatchSettings & { readonly key: string };
  readonly models: readonly string[];
  readonly files: { readonly total: number; readonly done: number; readonly failed: number; readonly skipped: number };
  readonly audioSec: number;
  readonly patches: number;
  /** Summed per-file time (what it cost, whichever machine), this run's wall-clock time, and ms per second of audio. */
  readonly cost: { readonly fileMs: number; readonly wallMs: number; readonly msPerAudioSec: number | null };
  readonly classes: readonly ClassSummary[];
  readonly failures: readonly { readonly input: string; readonly folder: string; readonly error: string }[];
}

/** Accumulates one class over the files. */
interface Tally {
  name: string;
  files: number;
  detections: number;
  detectedSec: number;
  maxPeak: number | null;
  patches: number;
  bandMass: Float64Array;
  sigmas: { t: number; f: number }[];
  errors: number[];
  costMs: number;
}

/**
 * The summary of `records` (the run's files, last line each); `readReport(folder)` gives a done file's explain.json.
 * `skipped` counts the files done by an earlier run and not redone.
 */
export function summariseCorpus(records: readonly ManifestRecord[], readReport: (folder: string) => ExplainReport, context: { settings: BatchSettings & { key: string }; skipped: number; wallMs: number }): CorpusSummary {
  const tallies = new Map<number, Tally>();
  const done = records.filter((r) => r.status === 'done');
  for (const record of done) addFile(tallies, readReport(record.folder), record.timings.explainMs);
  const audioSec = done.reduce((s, r) => s + r.audioSec, 0);
  const fileMs = records.reduce((s, r) => s + r.timings.totalMs, 0);
  return {
    createdAt: new Date().toISOString(),
    settings: context.settings,
    models: [...new Set(done.map((r) => r.model).filter((m): m is string => m !== null))],
    files: { total: records.length, done: done.length, failed: records.length - done.length, skipped: context.skipped },
    audioSec: round(audioSec, 2),
    patches: done.reduce((s, r) => s + r.patches, 0),
    cost: { fileMs: round(fileMs, 0), wallMs: round(context.wallMs, 0), msPerAudioSec: audioSec > 0 ? round(fileMs / audioSec, 1) : null },
    classes: [...tallies.entries()].map(([classIndex, t]) => classSummary(classIndex, t)).sort((a, b) => b.detections - a.detections || b.explainedPatches - a.explainedPatches || a.classIndex - b.classIndex),
    failures: records.filter((r) => r.status === 'failed').map((r) => ({ input: r.input, folder: r.folder, error: r.error ?? 'failed' })),
  };
}

function addFile(tallies: Map<number, Tally>, report: ExplainReport, explainMs: number): void {
  const tally = (classIndex: number, name: string): Tally => {
    let t = tallies.get(classIndex);
    if (t === undefined) tallies.set(classIndex, (t = { name, files: 0, detections: 0, detectedSec: 0, maxPeak: null, patches: 0, bandMass: new Float64Array(melBands), sigmas: [], errors: [], costMs: 0 }));
    return t;
  };
  const names = new Map(report.classes.map((c) => [c.index, c.name]));
  const detected = new Set<number>();
  for (const d of report.detections) {
    const t = tally(d.classIndex, d.name);
    t.detections++;
    t.detectedSec += d.endSec - d.startSec;
    t.maxPeak = Math.max(t.maxPeak ?? -Infinity, d.peakScore);
    detected.add(d.classIndex);
  }
  for (const classIndex of detected) tallies.get(classIndex)!.files++;
  const msPerPair = report.patches.length > 0 ? explainMs / report.patches.length : 0;
  for (const p of report.patches) {
    const t = tally(p.classIndex, names.get(p.classIndex) ?? String(p.classIndex));
    t.patches++;
    t.costMs += msPerPair;
    if (Number.isFinite(p.relError)) t.errors.push(p.relError);
    const peak = p.scale.reduce<(typeof p.scale)[number] | undefined>((best, s) => (best === undefined || s.contribution > best.contribution ? s : best), undefined);
    if (peak !== undefined) t.sigmas.push({ t: peak.sigmaTime, f: peak.sigmaFrequency });
  }
  for (const frame of report.frames) {
    const t = tally(frame.classIndex, names.get(frame.classIndex) ?? String(frame.classIndex));
    frame.attribution.forEach((a, band) => {
      if (typeof a === 'number' && a > 0) t.bandMass[band] += a; // null: NaN in JSON, the class unexplained there
    });
  }
}

function classSummary(classIndex: number, t: Tally): ClassSummary {
  const mass = t.bandMass.reduce((s, m) => s + m, 0);
  const bands = Array.from(t.bandMass.keys())
    .filter((b) => t.bandMass[b] > 0)
    .sort((a, b) => t.bandMass[b] - t.bandMass[a])
    .slice(0, TOP_BANDS)
    .map((band) => ({ band, hz: Math.round(BAND_CENTRES_HZ[band]), share: round(t.bandMass[band] / mass, 4) }));
  const errors = [...t.errors].sort((a, b) => a - b);
  return {
    classIndex,
    name: t.name,
    files: t.files,
    detections: t.detections,
    detectedSec: round(t.detectedSec, 2),
    maxPeakScore: t.maxPeak === null ? null : round(t.maxPeak, 4),
    explainedPatches: t.patches,
    bands,
    scale: t.sigmas.length === 0 ? null : { sigmaTime: round(median(t.sigmas.map((s) => s.t)), 2), sigmaFrequency: round(median(t.sigmas.map((s) => s.f)), 2) },
    completeness: errors.length === 0 ? null : { median: round(median(errors), 6), max: round(errors[errors.length - 1], 6) },
    costMs: round(t.costMs, 0),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
