// Builds a report's data from an explanation's records: the spectrogram and each class's attribution quantised to bytes, score tracks, detections, audio.
import { hertzToMel, melToHertz } from '../audio/melFilterbank.js';
import { frameTimeSec } from '../audio/framing.js';
import type { ExplainHeader } from '../render/explainJson.js';
import { diverging, sequential } from '../render/colormaps.js';
import type { Detection, ExplainedClass, FrameAttribution, PatchAttribution } from '../types.js';
import { YAMNET_FRONT_END } from '../types.js';
import { encodeMulawWav } from './mulawWav.js';
import { bytesOf, ReportBlobs } from './reportBlobs.js';
import { type ClassSignals, detectionListening } from './reportListen.js';
import type { ReportClass, ReportData, ReportPatch } from './reportTypes.js';

const { melBands, melMinHz, melMaxHz, sampleRateHz, patchFrames } = YAMNET_FRONT_END;
/** Attribution byte meaning "not explained here" (the quantised values use −127 … 127). */
export const NOT_EXPLAINED = -128;
/** Share of explained cells whose |attribution| lies within the colour scale (the rest clip at its ends). */
const SCALE_QUANTILE = 0.995;

/** What a report is made from: the records `explain` collects, the classes to show, and the decoded audio. */
export interface ReportInput {
  readonly file: string;
  readonly header: ExplainHeader;
  readonly patches: readonly PatchAttribution[];
  readonly frames: readonly FrameAttribution[];
  readonly detections: readonly Detection[];
  readonly classes: readonly ExplainedClass[];
  /** The decoded 16 kHz mono waveform: embedded to play, and for each detection's evidence and rest. */
  readonly waveform?: Float32Array;
  /** Each class's `--listen` signals, when the caller has them already (made from `waveform` otherwise). */
  readonly signalsOf?: (cls: ExplainedClass) => ClassSignals;
}

/** The report's data and its blobs (written beside it into the page). */
export function buildReportData(input: ReportInput): { data: ReportData; blobs: ReportBlobs } {
  const blobs = new ReportBlobs();
  const frameTotal = input.frames.reduce((n, f) => Math.max(n, f.index + 1), 0);
  const listen = input.waveform === undefined ? new Map() : detectionListening(input.waveform, input.frames, input.classes, input.detections, blobs, input.signalsOf);
  const audioSec = input.waveform === undefined ? 0 : input.waveform.length / sampleRateHz;
  const data: ReportData = {
    title: { file: input.file, model: input.header.model, method: input.header.method, output: input.header.output, engine: input.header.engine, backend: input.header.backend },
    frameSec: frameTimeSec(1),
    frames: frameTotal,
    bands: melBands,
    bandCentresHz: bandCentresHz(),
    durationSec: Math.max(frameTimeSec(frameTotal), audioSec),
    spectrogram: spectrogram(input.frames, frameTotal, blobs),
    patchStartsSec: input.patches.map((p) => p.startSec),
    patchSec: frameTimeSec(patchFrames),
    classes: input.classes.map((cls) => reportClass(cls, input, frameTotal, blobs)),
    detections: input.detections.map((d) => ({
      classIndex: d.classIndex,
      name: d.name,
      startSec: d.startSec,
      endSec: d.endSec,
      peakScore: d.peakScore,
      peakSec: d.peakSec,
      evidence: d.evidence,
      listen: listen.get(d) ?? null,
    })),
    audio: input.waveform === undefined ? null : { blob: blobs.add(encodeMulawWav(input.waveform, sampleRateHz)), sampleRateHz },
    palettes: { sequential: palette((i) => sequential(i / 255)), diverging: palette((i) => diverging((i - 128) / 127)) },
  };
  return { data, blobs };
}

/** Band j's centre is the filterbank's edge j + 1 on the HTK mel scale. */
function bandCentresHz(): number[] {
  const lowMel = hertzToMel(melMinHz);
  const step = (hertzToMel(melMaxHz) - lowMel) / (melBands + 1);
  return Array.from({ length: melBands }, (_, j) => Math.round(melToHertz(lowMel + (j + 1) * step)));
}

function spectrogram(frames: readonly FrameAttribution[], frameTotal: number, blobs: ReportBlobs): ReportData['spectrogram'] {
  let min = Infinity;
  let max = -Infinity;
  for (const f of frames) for (const v of f.logMel) (min = Math.min(min, v)), (max = Math.max(max, v));
  if (!(max > min)) (min = Number.isFinite(min) ? min : 0), (max = min + 1);
  const bytes = new Uint8Array(frameTotal * melBands);
  const scale = 255 / (max - min);
  for (const f of frames) for (let b = 0; b < melBands; b++) bytes[f.index * melBands + b] = Math.round((f.logMel[b] - min) * scale);
  return { blob: blobs.add(bytes), min, max };
}

function reportClass(cls: ExplainedClass, input: ReportInput, frameTotal: number, blobs: ReportBlobs): ReportClass {
  let maxAbs = 0;
  for (const f of input.frames) for (const c of f.classes) if (c.classIndex === cls.index) for (const v of c.attribution) if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  const q = new Int8Array(frameTotal * melBands).fill(NOT_EXPLAINED);
  const histogram = new Float64Array(4096); // of |v| / maxAbs, for the colour scale's quantile in one pass
  const toCode = maxAbs > 0 ? 127 / maxAbs : 0;
  for (const f of input.frames) {
    const entry = f.classes.find((c) => c.classIndex === cls.index);
    if (entry === undefined) continue;
    for (let b = 0; b < melBands; b++) {
      const v = entry.attribution[b];
      q[f.index * melBands + b] = Number.isNaN(v) ? 0 : Math.round(v * toCode);
      histogram[Math.min(4095, Math.floor((Math.abs(v) / (maxAbs || 1)) * 4096))]++;
    }
  }
  return {
    index: cls.index,
    name: cls.name,
    attribution: blobs.add(bytesOf(q)),
    maxAbs,
    scaleLimit: histogramQuantile(histogram, SCALE_QUANTILE) * maxAbs || maxAbs,
    scores: input.patches.map((p) => p.scores[cls.index]),
    patches: input.patches.flatMap((p) => p.classes.filter((c) => c.classIndex === cls.index).map((c): ReportPatch => ({
      index: p.index,
      startSec: p.startSec,
      score: c.score,
      value: c.value,
      baselineValue: c.baselineValue,
      attributionSum: c.attributionSum,
      relError: c.relError,
      scale: c.scale.map((s) => ({ sigmaTime: s.sigmaTime, sigmaFrequency: s.sigmaFrequency, contribution: s.contribution })),
    }))),
  };
}

/** Upper edge (as a fraction of the range) of the bin where the cumulative count reaches `q` of the total. */
function histogramQuantile(histogram: Float64Array, q: number): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) if ((seen += histogram[i]) >= q * total) return (i + 1) / histogram.length;
  return 1;
}

function palette(colour: (i: number) => readonly [number, number, number]): number[] {
  return Array.from({ length: 256 }, (_, i) => colour(i)).flat();
}
