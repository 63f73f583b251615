// The short summary `blurig explain` prints: per class, when it was detected and which bands and scales carried it.
import { melToHertz, hertzToMel } from '../audio/melFilterbank.js';
import type { EngineName, ExplainedClass, PatchAttribution } from '../types.js';
import { engineWords } from './openModel.js';

const BAND_CENTRES_HZ = Array.from({ length: 64 }, (_, j) => {
  const [low, high] = [hertzToMel(125), hertzToMel(7500)];
  return melToHertz(low + ((j + 1) * (high - low)) / 65);
});

/** Per class: patches where its score ≥ 0.5, the bands with the most positive attribution, the σ where evidence vanished. */
export function formatExplanation(input: string, header: { engine: EngineName; backend: string; model: string; method: string }, classes: readonly ExplainedClass[], patches: readonly PatchAttribution[]): string {
  const lines = [`${input} · ${header.model} · ${header.method} · ${engineWords(header)} · ${patches.length} patches`];
  for (const cls of classes) {
    const mine = patches.flatMap((p) => p.classes.filter((c) => c.classIndex === cls.index).map((c) => ({ patch: p, c })));
    const detected = mine.filter(({ c }) => c.score >= 0.5).map(({ patch }) => patch.startSec);
    const bandTotals = new Float64Array(64);
    for (const { c } of mine) for (let j = 0; j < c.attribution.length; j++) bandTotals[j % 64] += Math.max(0, c.attribution[j]);
    const topBands = Array.from(bandTotals.keys()).sort((a, b) => bandTotals[b] - bandTotals[a]).slice(0, 3);
    const peakSigmas = mine
      .map(({ c }) => c.scale.reduce((best, step) => (step.contribution > best.contribution ? step : best), c.scale[0]))
      .filter((step) => step !== undefined);
    const errors = mine.map(({ c }) => c.relError).sort((a, b) => a - b);
    lines.push(
      '',
      `${cls.name}: explained in ${mine.length} patches; score ≥ 0.5 in ${detected.length}${detected.length > 0 ? ` (${spans(detected)})` : ''}`,
      `  bands carrying it: ${topBands.map((j) => `${Math.round(BAND_CENTRES_HZ[j])} Hz`).join(', ')}`,
      peakSigmas.length > 0 ? `  evidence falls fastest at σ ≈ ${median(peakSigmas.map((s) => s.sigmaTime)).toFixed(1)} frames × ${median(peakSigmas.map((s) => s.sigmaFrequency)).toFixed(1)} bands (median over patches)` : '  no scale curve for this method',
      `  completeness error: median ${(100 * median(errors)).toFixed(2)}%, max ${(100 * errors[errors.length - 1]).toFixed(2)}%`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Patch start times merged into spans: 0.00–1.44 s, 2.40–3.36 s (each patch lasts 0.96 s). */
function spans(starts: number[]): string {
  const out: string[] = [];
  let [from, to] = [starts[0], starts[0] + 0.96];
  for (const start of starts.slice(1)) {
    if (start <= to) to = start + 0.96;
    else {
      out.push(`${from.toFixed(2)}–${to.toFixed(2)} s`);
      [from, to] = [start, start + 0.96];
    }
  }
  out.push(`${from.toFixed(2)}–${to.toFixed(2)} s`);
  return out.join(', ');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[sorted.length >> 1];
}
