// One frame's forward and inverse 512-point FFT, with their tables and scratch buffers made once and reused.
import FFT from 'fft.js';
import { YAMNET_FRONT_END } from '../types.js';
import { HANN_WINDOW } from './window.js';

const { windowSamples, fftLength } = YAMNET_FRONT_END;

/** Linear-frequency bins of the real FFT: 512/2 + 1 = 257, bin k at k·31.25 Hz. */
export const STFT_BINS = fftLength / 2 + 1;

/**
 * Returns `analyse(samples, start)`: the spectrum of samples[start … start+400) under the periodic Hann window,
 * zero-padded to 512, as interleaved (re, im) pairs; bins 0…256 hold the result. The returned buffer is reused by
 * the next call.
 */
export function createFrameAnalyser(): (samples: Float32Array, start: number) => Float64Array {
  const fft = new FFT(fftLength);
  const window = HANN_WINDOW; // a local: vitest and tsx turn imported bindings into slower property reads
  const frame = new Float64Array(fftLength); // samples 400…511 stay zero: the zero padding to 512
  const spectrum = new Float64Array(2 * fftLength);
  return (samples, start) => {
    for (let n = 0; n < windowSamples; n++) frame[n] = samples[start + n] * window[n];
    fft.realTransform(spectrum, frame);
    return spectrum;
  };
}

/**
 * Returns `synthesise(spectrum)`: the inverse FFT (1/512 included) of a full 512-bin interleaved spectrum, written
 * into a reused buffer of interleaved (re, im) samples. The caller fills all 512 bins, so two Hermitian spectra can
 * travel as Y₁ + i·Y₂ and come back as the real and imaginary parts.
 */
export function createFrameSynthesiser(): { spectrum: Float64Array; synthesise: () => Float64Array } {
  const fft = new FFT(fftLength); // its inverseTransform divides by N itself
  const spectrum = new Float64Array(2 * fftLength);
  const signal = new Float64Array(2 * fftLength);
  return {
    spectrum,
    synthesise: () => {
      fft.inverseTransform(signal, spectrum);
      return signal;
    },
  };
}
