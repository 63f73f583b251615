// Tells decoded audio from numbers that cannot be audio: NaN, ±Infinity, or magnitudes far over full scale (pure).

/**
 * Largest |sample| accepted: 64 (2^6), 36 dB over full scale. Float files may go past ±1 (unnormalised mixes,
 * inter-sample peaks: a few dB, rarely 20), so the bound leaves room for those; a sample of 1e6 (120 dB over) is
 * not a level anyone mixed but a damaged file or integers stored as floats, and it swamps the log-mel front-end.
 */
export const MAX_SAMPLE_MAGNITUDE = 64;

/** Index of the first sample that is not finite or exceeds `maxMagnitude` in magnitude, or −1 when all are audio. */
export function firstBadSample(samples: Float32Array, maxMagnitude: number = MAX_SAMPLE_MAGNITUDE): number {
  for (let i = 0; i < samples.length; i++) {
    // One range test per sample; NaN fails both comparisons, so it is caught too.
    const x = samples[i];
    if (!(x >= -maxMagnitude && x <= maxMagnitude)) return i;
  }
  return -1;
}

/** What is wrong with one bad sample, in words: `a NaN sample`, `an infinite sample`, `a sample of 1000000 (120 dB over full scale)`. */
export function describeBadSample(value: number): string {
  if (Number.isNaN(value)) return 'a NaN sample';
  if (!Number.isFinite(value)) return `a sample of ${value > 0 ? '+' : '−'}Infinity`;
  const overDb = 20 * Math.log10(Math.abs(value));
  return `a sample of ${formatMagnitude(value)} (${overDb.toFixed(0)} dB over full scale)`;
}

function formatMagnitude(value: number): string {
  return Math.abs(value) >= 1e6 ? value.toExponential(1).replace('e+', 'e') : String(Math.round(value * 10) / 10);
}
