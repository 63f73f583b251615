// Hearing the evidence (DESIGN.md §7): a known answer (a tone in noise), complementarity, and agreement with stft → mask → istft.
import { describe, expect, it } from 'vitest';
import { hertzToMel, melToHertz } from '../../src/audio/melFilterbank.js';
import { OptionError, ShapeError } from '../../src/errors/index.js';
import { applyMask, istft, listenToAttribution, melToLinearMask, STFT_BINS, stft } from '../../src/listen/index.js';
import { noise, seededRandom } from '../helpers/signals.js';

const SAMPLE_RATE_HZ = 16_000;
const TONE_START = 8_000; // 0.5 s
const TONE_END = 24_000; // 1.5 s
// Frames whose whole 400-sample window lies in the tone: 160t ≥ 8000 and 160t + 400 ≤ 24 000.
const FIRST_TONE_FRAME = 50;
const LAST_TONE_FRAME = 147;
const TONE_BINS = [30, 34] as const; // 1000 Hz = bin 32; the periodic Hann's main lobe is ±2.56 bins of 31.25 Hz

/** 2 s of white noise (uniform, seeded, RMS 0.1) plus a 1 kHz sine of amplitude 0.3 from 0.5 s to 1.5 s. */
function toneInNoise(): Float32Array {
  const waveform = noise(2 * SAMPLE_RATE_HZ, 0.1 * Math.sqrt(3), 2024); // uniform on [−a, a] has RMS a/√3
  for (let n = TONE_START; n < TONE_END; n++) waveform[n] += 0.3 * Math.sin((2 * Math.PI * 1000 * n) / SAMPLE_RATE_HZ);
  return waveform;
}

/** The two mel bands whose centres are nearest 1 kHz (they bracket it: 972 Hz and 1033 Hz). */
function bandsNearest1kHz(): number[] {
  const lowMel = hertzToMel(125);
  const stepMel = (hertzToMel(7500) - lowMel) / 65;
  const distance = (band: number): number => Math.abs(melToHertz(lowMel + (band + 1) * stepMel) - 1000);
  return Array.from({ length: 64 }, (_unused, band) => band).sort((a, b) => distance(a) - distance(b)).slice(0, 2);
}

/** Energy in bins 30–34 over energy in every other bin, in dB, over the frames inside the tone's span. */
function toneToNoiseDb(signal: Float32Array): number {
  const spec = stft(signal);
  let tone = 0;
  let other = 0;
  for (let t = FIRST_TONE_FRAME; t <= LAST_TONE_FRAME; t++) {
    for (let k = 0; k < STFT_BINS; k++) {
      const energy = spec.re[t * STFT_BINS + k] ** 2 + spec.im[t * STFT_BINS + k] ** 2;
      if (k >= TONE_BINS[0] && k <= TONE_BINS[1]) tone += energy;
      else other += energy;
    }
  }
  return 10 * Math.log10(tone / other);
}

describe('listenToAttribution (DESIGN.md §7)', () => {
  const waveform = toneInNoise();
  const frames = 1 + Math.floor((waveform.length - 400) / 160); // 198
  const bands = bandsNearest1kHz();
  const attribution = new Float32Array(frames * 64);
  for (let t = FIRST_TONE_FRAME; t <= LAST_TONE_FRAME; t++) for (const band of bands) attribution[t * 64 + band] = 1;
  const { evidence, rest } = listenToAttribution(waveform, attribution, frames);

  it('a tone in noise, attributed to its mel bands while it sounds: evidence ≥ 15 dB cleaner, rest dirtier', () => {
    expect(bands.sort()).toEqual([19, 20]);
    const inputDb = toneToNoiseDb(waveform);
    const evidenceDb = toneToNoiseDb(evidence);
    const restDb = toneToNoiseDb(rest);
    console.log(
      `tone-to-noise (bins 30–34 vs the rest, 0.5–1.5 s): input ${inputDb.toFixed(1)} dB, evidence ${evidenceDb.toFixed(1)} dB ` +
        `(+${(evidenceDb - inputDb).toFixed(1)} dB), rest ${restDb.toFixed(1)} dB`,
    );
    expect(evidenceDb - inputDb).toBeGreaterThanOrEqual(15);
    expect(restDb).toBeLessThan(inputDb);
  });

  it('keeps ≥ 95 % of the evidence’s energy inside the tone’s span, with one window (400 samples) of slack', () => {
    let inside = 0;
    let total = 0;
    for (let n = 0; n < evidence.length; n++) {
      total += evidence[n] ** 2;
      if (n >= TONE_START - 400 && n < TONE_END + 400) inside += evidence[n] ** 2;
    }
    console.log(`evidence energy within 0.5–1.5 s (± 400 samples): ${((100 * inside) / total).toFixed(4)} %, outside: ${((total - inside) / total).toExponential(1)}`);
    expect(inside / total).toBeGreaterThanOrEqual(0.95);
  });

  it('evidence + rest is the input, away from the first and last 400 samples (g + (1 − g) = 1; tolerance 1e-4)', () => {
    let worst = 0;
    for (let n = 400; n < waveform.length - 400; n++) worst = Math.max(worst, Math.abs(evidence[n] + rest[n] - waveform[n]));
    expect(worst).toBeLessThan(1e-4);
  });

  it('equals istft(applyMask(stft(x), g)) and its complement, the unfused path (tolerance 1e-5)', () => {
    const random = seededRandom(9);
    const short = noise(4_000, 0.5, 13);
    const stftFrames = 1 + Math.floor((short.length - 400) / 160); // 23
    const given = 20; // fewer than the STFT frames: frames 20…22 get g = 0
    const values = Float32Array.from({ length: given * 64 }, () => (random() < 0.2 ? Number.NaN : random() - 0.3));
    const mask = melToLinearMask(values, given);
    const spec = stft(short);
    expect(spec.frames).toBe(stftFrames);
    const expectedEvidence = istft(applyMask(spec, mask), short.length);
    const expectedRest = istft(applyMask(spec, mask, true), short.length);
    const result = listenToAttribution(short, values, given);
    for (let n = 0; n < short.length; n++) {
      expect(Math.abs(result.evidence[n] - expectedEvidence[n])).toBeLessThan(1e-5);
      expect(Math.abs(result.rest[n] - expectedRest[n])).toBeLessThan(1e-5);
    }
  });

  it('rejects more attribution frames than STFT frames, naming both counts, and bad options', () => {
    const short = new Float32Array(1_000); // 4 STFT frames
    expect(() => listenToAttribution(short, new Float32Array(5 * 64), 5)).toThrow(ShapeError);
    expect(() => listenToAttribution(short, new Float32Array(5 * 64), 5)).toThrow(/4 STFT frames.*got \[5,64\]/);
    expect(() => listenToAttribution(short, new Float32Array(4 * 64), 4, { smoothFrames: 0 })).toThrow(OptionError);
    expect(() => listenToAttribution(short, new Float32Array(3 * 64), 4)).toThrow(ShapeError);
  });
});
