// One YAMNet log-mel frame from 400 samples: periodic Hann, 512-point real FFT magnitude, mel weights, log.
import FFT from 'fft.js';
import { YAMNET_FRONT_END } from '../types.js';
import { melWeightMatrix } from './melFilterbank.js';

const { windowSamples, fftLength, melBands, logOffset } = YAMNET_FRONT_END;
const BINS = fftLength / 2 + 1;

/** Computes log-mel frames; holds the FFT tables and scratch buffers, so make one and reuse it. */
export type LogMelFrameComputer = (samples: Float32Array, start: number, out?: Float32Array) => Float32Array;

/** A frame computer: `compute(samples, start)` reads samples[start … start+400) and returns 64 log-mel values. */
export function createLogMelFrameComputer(): LogMelFrameComputer {
  const fft = new FFT(fftLength);
  // Periodic Hann (denominator N, not N − 1), as tf.signal.hann_window(periodic=True).
  const window = new Float64Array(windowSamples);
  for (let n = 0; n < windowSamples; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / windowSamples);
  const weights = melWeightMatrix();
  // Each band's triangle covers a few bins only; summing just those gives the same float64 sums, far sooner.
  const firstBin = new Int32Array(melBands);
  const lastBin = new Int32Array(melBands);
  for (let j = 0; j < melBands; j++) {
    firstBin[j] = BINS;
    for (let k = 1; k < BINS; k++) {
      if (weights[k * melBands + j] === 0) continue;
      firstBin[j] = Math.min(firstBin[j], k);
      lastBin[j] = k;
    }
  }
  const frame = new Float64Array(fftLength); // samples 400…511 stay zero: the zero padding to 512
  const spectrum = new Float64Array(2 * fftLength);
  const magnitude = new Float64Array(BINS);

  return (samples, start, out = new Float32Array(melBands)) => {
    for (let n = 0; n < windowSamples; n++) frame[n] = samples[start + n] * window[n];
    fft.realTransform(spectrum, frame);
    for (let k = 0; k < BINS; k++) magnitude[k] = Math.hypot(spectrum[2 * k], spectrum[2 * k + 1]);
    for (let j = 0; j < melBands; j++) {
      let mel = 0;
      for (let k = firstBin[j]; k <= lastBin[j]; k++) mel += magnitude[k] * weights[k * melBands + j];
      out[j] = Math.log(mel + logOffset);
    }
    return out;
  };
}
