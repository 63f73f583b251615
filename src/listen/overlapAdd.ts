// Weighted overlap-add at hop 160, streaming: each output sample is final, normalised and written once.
import { ShapeError } from '../errors/index.js';
import { YAMNET_FRONT_END } from '../types.js';
import { HANN_WINDOW, INTERIOR_WINDOW_SQUARE_SUM, OVERLAP_FLOOR, windowSquareSum } from './window.js';

const { windowSamples, hopSamples } = YAMNET_FRONT_END;

/** Accepts `frames` inverse-FFT frames in order and returns `sampleCount` samples. */
export interface OverlapAdder {
  /** Adds frame t (the next one): w[n]·buffer[offset + stride·n] for n = 0…399, at sample 160t. */
  add(buffer: Float64Array, offset: number, stride: number): void;
  /** The output once every frame has been added; samples past the last frame are 0. */
  finish(): Float32Array;
}

/**
 * An overlap-adder for `frames` frames into `sampleCount` samples: sums the synthesis-windowed frames and divides
 * each sample by Σ_t w²(n − 160t), or by {@link OVERLAP_FLOOR} where that sum is smaller. Samples past
 * `sampleCount` are dropped. Only a 400-sample float64 accumulator is held, so hours of audio cost linear time.
 */
export function createOverlapAdder(frames: number, sampleCount: number): OverlapAdder {
  const output = new Float32Array(sampleCount);
  const pending = new Float64Array(windowSamples); // samples [160·added, 160·added + 400)
  let added = 0;
  // Locals: vitest and tsx turn imported bindings into property reads, several times slower in these loops.
  const window = HANN_WINDOW;
  const interiorSum = INTERIOR_WINDOW_SQUARE_SUM;

  // From sample 400 to the last frame's start every covering frame exists, and the normaliser repeats every 160.
  const interiorEnd = hopSamples * (frames - 1);
  function flush(first: number, count: number): void {
    for (let i = 0; i < count && first + i < sampleCount; i++) {
      const sample = first + i;
      const norm =
        sample >= windowSamples && sample < interiorEnd
          ? interiorSum[sample % hopSamples]
          : Math.max(windowSquareSum(sample, frames), OVERLAP_FLOOR);
      output[sample] = pending[i] / norm;
    }
  }

  return {
    add(buffer, offset, stride) {
      if (added >= frames) throw new ShapeError('overlap-add frames', [frames], [added + 1]);
      for (let n = 0; n < windowSamples; n++) pending[n] += window[n] * buffer[offset + stride * n];
      // No later frame reaches below 160·(added + 1): those samples are done.
      flush(added * hopSamples, hopSamples);
      pending.copyWithin(0, hopSamples);
      pending.fill(0, windowSamples - hopSamples);
      added++;
    },
    finish() {
      if (added !== frames) throw new ShapeError('overlap-add frames', [frames], [added]);
      if (frames > 0) flush(frames * hopSamples, windowSamples - hopSamples);
      return output;
    },
  };
}
