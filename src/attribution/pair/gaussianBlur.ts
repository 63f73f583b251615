// The Python reference's blur (scipy.ndimage.gaussian_filter, mode 'constant', truncate 4) on a 2-D patch, in float64.
import { positiveNumberOption } from '../validate.js';

/** scipy's default `truncate`: the kernel reaches out to int(4σ + 0.5) samples. */
const TRUNCATE = 4;

/**
 * The sampled Gaussian exp(−x²/2σ²), x = −r…r with r = int(4σ + 0.5), normalised to sum 1 (scipy's
 * `_gaussian_kernel1d`, order 0). σ = 0, or any σ whose radius is 0 (σ < 0.125), gives the identity kernel [1].
 */
export function gaussianKernel(sigma: number): Float64Array {
  positiveNumberOption('sigma', sigma, 0, true);
  const radius = sigma > 0 ? Math.trunc(TRUNCATE * sigma + 0.5) : 0;
  if (radius === 0) return Float64Array.of(1);
  const kernel = new Float64Array(2 * radius + 1);
  const scale = -0.5 / (sigma * sigma);
  let total = 0;
  for (let x = -radius; x <= radius; x++) total += kernel[x + radius] = Math.exp(scale * x * x);
  for (let i = 0; i < kernel.length; i++) kernel[i] /= total;
  return kernel;
}

/**
 * scipy.ndimage.gaussian_filter(x, sigma, mode='constant', cval=0) on a row-major [frames × bands] array: the same σ
 * on both axes, along axis 0 (time) first, then axis 1 (bands), as scipy orders them, with zero padding outside.
 * Returns a new float64 array; σ = 0 (or a radius of 0) returns an unchanged copy.
 */
export function gaussianBlur(values: ArrayLike<number>, frames: number, bands: number, sigma: number): Float64Array {
  const kernel = gaussianKernel(sigma);
  const input = Float64Array.from(values);
  if (kernel.length === 1) return input;
  const alongTime = new Float64Array(frames * bands);
  correlate(input, alongTime, kernel, { n: frames, lines: bands, lineStep: 1, pointStep: bands }); // axis 0: columns
  const result = new Float64Array(frames * bands);
  correlate(alongTime, result, kernel, { n: bands, lines: frames, lineStep: bands, pointStep: 1 }); // axis 1: rows
  return result;
}

/**
 * The same blur as two banded Toeplitz matrices, row-major: `time` [frames × frames] and `frequency` [bands × bands],
 * with gaussianBlur(X) = time · X · frequencyᵀ (both are symmetric, so the transpose is only for the record).
 */
export function gaussianBlurMatrices(sigma: number, frames: number, bands: number): { time: Float64Array; frequency: Float64Array } {
  return { time: gaussianBlurMatrix(sigma, frames), frequency: gaussianBlurMatrix(sigma, bands) };
}

/** One axis's blur on n points as a matrix [n × n]: entry (i, i + j) = kernel[r + j] for |j| ≤ r, else 0. */
export function gaussianBlurMatrix(sigma: number, n: number): Float64Array {
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = Math.max(-radius, -i); j <= Math.min(radius, n - 1 - i); j++) matrix[i * n + i + j] = kernel[radius + j];
  }
  return matrix;
}

/** Where the lines of one axis sit in a row-major array: point p of line l is at l·lineStep + p·pointStep. */
interface AxisLayout {
  readonly n: number;
  readonly lines: number;
  readonly lineStep: number;
  readonly pointStep: number;
}

/**
 * Correlates every line of `input` with the symmetric `kernel`, zero outside the line, into `output`. Sums pair the
 * two sides of the centre, as scipy's correlate1d does for symmetric kernels.
 */
function correlate(input: Float64Array, output: Float64Array, kernel: Float64Array, { n, lines, lineStep, pointStep }: AxisLayout): void {
  const radius = (kernel.length - 1) / 2;
  for (let l = 0; l < lines; l++) {
    const base = l * lineStep;
    for (let p = 0; p < n; p++) {
      const at = base + p * pointStep;
      const both = Math.min(radius, p, n - 1 - p); // taps with data on both sides of p
      let sum = kernel[radius] * input[at];
      for (let j = 1; j <= both; j++) sum += (input[at + j * pointStep] + input[at - j * pointStep]) * kernel[radius + j];
      for (let j = both + 1; j <= Math.min(radius, n - 1 - p); j++) sum += input[at + j * pointStep] * kernel[radius + j]; // zeros before
      for (let j = both + 1; j <= Math.min(radius, p); j++) sum += input[at - j * pointStep] * kernel[radius + j]; // zeros after
      output[base + p * pointStep] = sum;
    }
  }
}
