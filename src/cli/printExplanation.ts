// The short summary `blurig explain` prints: each detection with its span, evidence, peak, bands, scale and completeness.
import { frameTimeSec } from '../audio/framing.js';
import { hertzToMel, melToHertz } from '../audio/melFilterbank.js';
import type { ClassAttribution, Detection, ExplainedClass, PatchAttribution } from '../types.js';
import type { ExplainHeader } from '../render/explainJson.js';
import { YAMNET_FRONT_END } from '../types.js';
import { engineWords } from './openModel.js';

const { melBands, melMinHz, melMaxHz, patchFrames } = YAMNET_FRONT_END;
const PATCH_SEC = frameTimeSec(patchFrames);
const BAND_CENTRES_HZ = Array.from({ length: melBands }, (_, j) => {
  const [low, high] = [hertzToMel(melMinHz), hertzToMel(melMaxHz)];
  return melToHertz(low + ((j + 1) * (high - low)) / (melBands + 1));
});

/**
 * One block per detection (its span, the frame-accurate evidence span, peak, and over its explained patches the bands
 * with the most positive attribution, the σ where the evidence fell fastest, the completeness error), then one per
 * explained class that has no detection.
 */
export function formatExplanation(input: string, header: ExplainHeader, classes: readonly ExplainedClass[], patches: readonly PatchAttribution[], detections: readonly Detection[]): string {
  const { onThreshold, offThreshold } = header.detector;
  const lines = [`${input} · ${header.model} · ${header.method} of the ${header.output} · ${engineWords(header)} · ${patches.length} patches`, ''];
  lines.push(detections.length === 0 ? `No detections (an event opens at a score ≥ ${onThreshold}; --threshold lowers it).` : `Detections (score ≥ ${onThreshold}, lasting while ≥ ${offThreshold}):`);
  for (const d of detections) {
    const evidence = d.evidence === null ? 'no positive evidence explained' : `evidence ${seconds(d.evidence.startSec)}–${seconds(d.evidence.endSec)} s`;
    lines.push(`  ${d.name}  ${seconds(d.startSec)}–${seconds(d.endSec)} s · ${evidence} · peak ${d.peakScore.toFixed(2)} at ${seconds(d.peakSec)} s`);
    const inside = classPatches(patches, d.classIndex).filter(({ patch }) => patch.startSec >= d.startSec - 1e-9 && patch.startSec + PATCH_SEC <= d.endSec + 1e-9);
    lines.push(...detail(inside.map(({ c }) => c), '    '));
  }
  const undetected = classes.filter((cls) => !detections.some((d) => d.classIndex === cls.index));
  for (const cls of undetected) {
    const mine = classPatches(patches, cls.index).map(({ c }) => c);
    lines.push('', `${cls.name}: explained in ${mine.length} patches, not detected (peak score ${Math.max(...mine.map((c) => c.score)).toFixed(2)})`, ...detail(mine, '  '));
  }
  return lines.join('\n') + '\n';
}

function classPatches(patches: readonly PatchAttribution[], classIndex: number): { patch: PatchAttribution; c: ClassAttribution }[] {
  return patches.flatMap((patch) => patch.classes.filter((c) => c.classIndex === classIndex).map((c) => ({ patch, c })));
}

/** Bands, scale and completeness over a class's explained patches. */
function detail(explained: readonly ClassAttribution[], indent: string): string[] {
  if (explained.length === 0) return [`${indent}not explained (name it with --class to explain it)`];
  const bandTotals = new Float64Array(melBands);
  for (const c of explained) for (let j = 0; j < c.attribution.length; j++) bandTotals[j % melBands] += Math.max(0, c.attribution[j]);
  const topBands = Array.from(bandTotals.keys()).filter((j) => bandTotals[j] > 0).sort((a, b) => bandTotals[b] - bandTotals[a]).slice(0, 3);
  const peakSigmas = explained.flatMap((c) => (c.scale.length === 0 ? [] : [c.scale.reduce((best, step) => (step.contribution > best.contribution ? step : best))]));
  const errors = explained.map((c) => c.relError).filter(Number.isFinite).sort((a, b) => a - b);
  return [
    `${indent}bands carrying it: ${topBands.length === 0 ? 'none (no positive attribution)' : topBands.map((j) => `${Math.round(BAND_CENTRES_HZ[j])} Hz`).join(', ')}`,
    peakSigmas.length > 0
      ? `${indent}evidence falls fastest at σ ≈ ${median(peakSigmas.map((s) => s.sigmaTime)).toFixed(1)} frames × ${median(peakSigmas.map((s) => s.sigmaFrequency)).toFixed(1)} bands (median over ${explained.length} patch${explained.length === 1 ? '' : 'es'})`
      : `${indent}no scale curve for this method`,
    errors.length > 0
      ? `${indent}completeness error: median ${(100 * median(errors)).toFixed(2)}%, max ${(100 * errors[errors.length - 1]).toFixed(2)}%`
      : `${indent}completeness: not defined for this method (it has no baseline)`,
  ];
}

/** Seconds with two decimals, as patch times (multiples of 0.01 s) are. */
function seconds(value: number): string {
  return value.toFixed(2);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
