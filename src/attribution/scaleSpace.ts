// The discrete Gaussian scale space of a patch (DESIGN.md §3): exact blur and its derivative along each axis.
import type { Boundary } from '../types.js';

/** The heat equation ∂L/∂t = ½ D L on one axis of n points, diagonalised: D = V diag(μ) Vᵀ. */
export interface AxisBasis {
  readonly n: number;
  /** Orthonormal eigenvectors as columns, row-major [n × n]: entry (i, k) = v_k[i]. */
  readonly vectors: Float64Array;
  /** Eigenvalues μ_k ≤ 0 of the second difference D with this boundary. */
  readonly eigenvalues: Float64Array;
}

/** Eigenbasis of the [1, −2, 1] second difference on n points: DCT-II for `reflect`, DST-I for a constant boundary. */
export function axisBasis(n: number, boundary: Boundary): AxisBasis {
  const vectors = new Float64Array(n * n);
  const eigenvalues = new Float64Array(n);
  const reflect = boundary === 'reflect';
  for (let k = 0; k < n; k++) {
    eigenvalues[k] = reflect ? -4 * Math.sin((Math.PI * k) / (2 * n)) ** 2 : -4 * Math.sin((Math.PI * (k + 1)) / (2 * (n + 1))) ** 2;
    const scale = reflect ? Math.sqrt((k === 0 ? 1 : 2) / n) : Math.sqrt(2 / (n + 1));
    for (let i = 0; i < n; i++) {
      vectors[i * n + k] = reflect ? scale * Math.cos((Math.PI * k * (i + 0.5)) / n) : scale * Math.sin((Math.PI * (k + 1) * (i + 1)) / (n + 1));
    }
  }
  return { n, vectors, eigenvalues };
}

/** The value the boundary holds the patch to (0 for `reflect`, where it does not matter). */
export function boundaryOffset(boundary: Boundary): number {
  return boundary === 'reflect' ? 0 : boundary.constant;
}

/** The second-difference matrix D [n × n] with this boundary (ghost value = mirror for reflect, 0 otherwise). */
export function secondDifference(n: number, boundary: Boundary): Float64Array {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    d[i * n + i] = -2;
    if (i > 0) d[i * n + i - 1] = 1;
    if (i < n - 1) d[i * n + i + 1] = 1;
  }
  if (boundary === 'reflect') {
    d[0] += 1; // the mirrored neighbour of the first point is itself
    d[(n - 1) * n + n - 1] += 1;
  }
  return d;
}

/** E(t) = V diag(exp(t μ / 2)) Vᵀ [n × n]: the discrete Gaussian of variance t on this axis (identity at t = 0). */
export function blurMatrix(basis: AxisBasis, variance: number): Float64Array {
  return spectralMatrix(basis, (mu) => Math.exp((variance * mu) / 2));
}

/** dE/dt = V diag(μ/2 · exp(t μ / 2)) Vᵀ = ½ D E(t) [n × n]. */
export function blurDerivativeMatrix(basis: AxisBasis, variance: number): Float64Array {
  return spectralMatrix(basis, (mu) => (mu / 2) * Math.exp((variance * mu) / 2));
}

/**
 * Blurs a row-major [frames × bands] patch with variance `varianceTime` along frames and `varianceFrequency` along
 * bands, in float64: c + E_T (X − c) E_F (E is symmetric).
 */
export function blurPatch(
  values: ArrayLike<number>,
  frames: number,
  bands: number,
  varianceTime: number,
  varianceFrequency: number,
  boundary: Boundary,
): Float64Array {
  const c = boundaryOffset(boundary);
  const eTime = blurMatrix(axisBasis(frames, boundary), varianceTime);
  const eFrequency = blurMatrix(axisBasis(bands, boundary), varianceFrequency);
  const centred = Float64Array.from(values, (v) => v - c);
  const out = multiply(multiply(eTime, centred, frames, frames, bands), eFrequency, frames, bands, bands);
  return out.map((v) => v + c);
}

/** Row-major product of [rows × inner] and [inner × cols]. */
export function multiply(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, inner: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < inner; k++) {
      const aik = a[i * inner + k];
      if (aik === 0) continue;
      for (let j = 0; j < cols; j++) out[i * cols + j] += aik * b[k * cols + j];
    }
  }
  return out;
}

function spectralMatrix(basis: AxisBasis, gain: (mu: number) => number): Float64Array {
  const { n, vectors, eigenvalues } = basis;
  const gains = eigenvalues.map(gain);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += vectors[i * n + k] * gains[k] * vectors[j * n + k];
      out[i * n + j] = sum;
    }
  }
  return out;
}
