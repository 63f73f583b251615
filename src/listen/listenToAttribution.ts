// Hearing one class's evidence: the waveform through the attribution's STFT mask, and the rest (DESIGN.md §7).
import { frameCount } from '../audio/framing.js';
import { ShapeError } from '../errors/index.js';
import { YAMNET_FRONT_END } from '../types.js';
import { createFrameAnalyser, createFrameSynthesiser, STFT_BINS } from './frameTransforms.js';
import { melToLinearMask, type MelMaskOptions } from './melMask.js';
import { createOverlapAdder } from './overlapAdd.js';

const { hopSamples, melBands, fftLength } = YAMNET_FRONT_END;
// Hot loops read module-local copies: vitest and tsx turn imported bindings into property reads, several times slower.
const BINS = STFT_BINS;

/** Options of {@link listenToAttribution}: the mask's scaling and smoothing (see {@link MelMaskOptions}). */
export type ListenOptions = Pick<MelMaskOptions, 'scalePercentile' | 'smoothFrames'>;

/** The two halves of a waveform under an attribution mask; `evidence + rest` is the waveform. */
export interface ListenResult {
  /** The waveform through the gains g: what the attribution says the class heard. */
  readonly evidence: Float32Array;
  /** The waveform through 1 − g: everything else. */
  readonly rest: Float32Array;
}

/**
 * Splits a 16 kHz mono waveform by one class's attribution, row-major [frames × 64] with frame t on STFT frame t
 * (the log-mel frames of the same samples): g = {@link melToLinearMask}(attribution) (NaN counts as 0), the STFT
 * times g gives `evidence`, times 1 − g gives `rest`, both inverted by weighted overlap-add to the waveform's
 * length. STFT frames past the attribution's last frame get g = 0. `evidence + rest` is the waveform except where
 * `istft` fades (the first 23 samples, the last 22 of the last frame) and past the last frame, where both are
 * 0 (all of a waveform shorter than 400 samples). Each frame is transformed once and never stored: memory is the
 * mask and the two outputs. `frames` above the waveform's STFT frames is a ShapeError.
 */
export function listenToAttribution(
  waveform: Float32Array,
  attribution: Float32Array,
  frames: number,
  options: ListenOptions = {},
): ListenResult {
  const stftFrames = frameCount(waveform.length);
  const mask = melToLinearMask(attribution, frames, options); // validates options, frames and the attribution's length
  if (frames > stftFrames) {
    const what = `attribution (at most the waveform's ${stftFrames} STFT frames × ${melBands} bands)`;
    throw new ShapeError(what, [stftFrames, melBands], [frames, melBands]);
  }

  const analyse = createFrameAnalyser();
  const { spectrum, synthesise } = createFrameSynthesiser();
  const evidence = createOverlapAdder(stftFrames, waveform.length);
  const rest = createOverlapAdder(stftFrames, waveform.length);
  for (let t = 0; t < stftFrames; t++) {
    const x = analyse(waveform, t * hopSamples);
    // Y₁ = g·X and Y₂ = (1 − g)·X are spectra of real signals, so one inverse FFT of Y₁ + i·Y₂ returns
    // y₁ as its real part and y₂ as its imaginary part: half the inverse transforms.
    for (let k = 0; k < BINS; k++) {
      const g = t < frames ? mask[t * BINS + k] : 0;
      const h = 1 - g;
      const a = x[2 * k];
      if (k === 0 || k === BINS - 1) {
        // DC and Nyquist are real for a real signal.
        spectrum[2 * k] = g * a;
        spectrum[2 * k + 1] = h * a;
        continue;
      }
      const b = x[2 * k + 1];
      spectrum[2 * k] = g * a - h * b; // Y₁[k] + i·Y₂[k]
      spectrum[2 * k + 1] = g * b + h * a;
      spectrum[2 * (fftLength - k)] = g * a + h * b; // conj(Y₁[k]) + i·conj(Y₂[k])
      spectrum[2 * (fftLength - k) + 1] = h * a - g * b;
    }
    const signal = synthesise();
    evidence.add(signal, 0, 2);
    rest.add(signal, 1, 2);
  }
  return { evidence: evidence.finish(), rest: rest.finish() };
}
