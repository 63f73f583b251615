// STFT and inverse STFT on Float32Array with exactly YAMNet's framing, so STFT frame t is log-mel frame t.
import { frameCount } from '../audio/framing.js';
import { OptionError, ShapeError } from '../errors/index.js';
import { YAMNET_FRONT_END } from '../types.js';
import { createFrameAnalyser, createFrameSynthesiser, STFT_BINS } from './frameTransforms.js';
import { createOverlapAdder } from './overlapAdd.js';

const { hopSamples, fftLength } = YAMNET_FRONT_END;
// Hot loops read module-local copies: vitest and tsx turn imported bindings into property reads, several times slower.
const BINS = STFT_BINS;

/** A complex spectrogram: row-major [frames × bins] real and imaginary parts, bin k at k·31.25 Hz. */
export interface Spectrogram {
  /** Frames: 1 + floor((N − 400) / 160), or 0 when N < 400; frame t starts at sample 160·t. */
  readonly frames: number;
  /** Bins per frame: 257. */
  readonly bins: number;
  /** Real parts, [frames × bins]. */
  readonly re: Float32Array;
  /** Imaginary parts, [frames × bins]. */
  readonly im: Float32Array;
}

/**
 * YAMNet's STFT of a 16 kHz waveform (DESIGN.md §1.2): 400-sample periodic Hann frames at hop 160, no centring and
 * no end padding, each zero-padded to 512 and transformed with a real FFT (sign e^{−iωn}, no scaling).
 */
export function stft(waveform: Float32Array): Spectrogram {
  const frames = frameCount(waveform.length);
  const re = new Float32Array(frames * BINS);
  const im = new Float32Array(frames * BINS);
  const analyse = createFrameAnalyser();
  for (let t = 0; t < frames; t++) {
    const spectrum = analyse(waveform, t * hopSamples);
    for (let k = 0; k < BINS; k++) {
      re[t * BINS + k] = spectrum[2 * k];
      im[t * BINS + k] = spectrum[2 * k + 1];
    }
  }
  return { frames, bins: BINS, re, im };
}

/**
 * Inverts {@link stft} by weighted overlap-add (DESIGN.md §7): each frame's inverse FFT (its first 400 samples, the
 * real part; an imaginary part at DC or bin 256 is ignored) times the same Hann window, summed at hop 160, divided
 * by Σ_t w²(n − 160t). So `istft(stft(x), x.length)` returns x to float32 precision wherever that sum is at least
 * {@link OVERLAP_FLOOR}: everywhere but the first 23 and the last 22 samples of the frames' span, where the output
 * is divided by the floor instead and fades to 0 (with a mask of ones, never beyond the input). Samples past the
 * last frame (from 160·(frames − 1) + 400) are 0; frames reaching past `sampleCount` are cut off.
 */
export function istft(spec: Spectrogram, sampleCount: number): Float32Array {
  checkSpectrogram(spec);
  if (!Number.isInteger(sampleCount) || sampleCount < 0) throw new OptionError('sampleCount', 'a non-negative integer', sampleCount);
  const { spectrum, synthesise } = createFrameSynthesiser();
  const adder = createOverlapAdder(spec.frames, sampleCount);
  for (let t = 0; t < spec.frames; t++) {
    for (let k = 0; k < BINS; k++) {
      const re = spec.re[t * BINS + k];
      const im = spec.im[t * BINS + k];
      spectrum[2 * k] = re;
      spectrum[2 * k + 1] = im;
      // Hermitian completion: bin 512 − k is the conjugate of bin k.
      if (k > 0 && k < BINS - 1) {
        spectrum[2 * (fftLength - k)] = re;
        spectrum[2 * (fftLength - k) + 1] = -im;
      }
    }
    adder.add(synthesise(), 0, 2);
  }
  return adder.finish();
}

/**
 * The spectrogram times a real [maskFrames × 257] gain mask (`complement`: times 1 − mask). Frames past the mask's
 * last frame get gain 0 (1 with `complement`).
 */
export function applyMask(spec: Spectrogram, mask: Float32Array, complement = false): Spectrogram {
  checkSpectrogram(spec);
  if (mask.length % BINS !== 0 || mask.length > spec.re.length) {
    throw new ShapeError(`mask (at most ${spec.frames} frames × ${BINS} bins)`, [spec.frames * BINS], [mask.length]);
  }
  const re = new Float32Array(spec.re.length);
  const im = new Float32Array(spec.im.length);
  for (let i = 0; i < re.length; i++) {
    const maskGain = i < mask.length ? mask[i] : 0;
    const gain = complement ? 1 - maskGain : maskGain;
    re[i] = spec.re[i] * gain;
    im[i] = spec.im[i] * gain;
  }
  return { frames: spec.frames, bins: spec.bins, re, im };
}

function checkSpectrogram(spec: Spectrogram): void {
  if (spec.bins !== BINS) throw new ShapeError('spectrogram', [spec.frames, BINS], [spec.frames, spec.bins]);
  const values = spec.frames * BINS;
  if (spec.re.length !== values || spec.im.length !== values) {
    throw new ShapeError('spectrogram re, im', [values, values], [spec.re.length, spec.im.length]);
  }
}
