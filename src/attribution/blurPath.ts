// The Blur IG path L(s) through scale space as tensors: blurred points and exact derivatives at any s in [0, 1].
import type { BlurDirection, Boundary } from '../types.js';
import * as tf from '@tensorflow/tfjs-core';
import type { PatchValues } from './explainedFunction.js';
import type { PathQuadrature } from './pathIntegral.js';
import type { Schedule } from './quadrature.js';
import { axisBasis, type AxisBasis, blurPatch, boundaryOffset, multiply } from './scaleSpace.js';

/** Where the path goes: σ(s) = maxSigma · s^scalePower on each blurred axis (variance t = σ²). */
export interface BlurPathSpec {
  readonly direction: BlurDirection;
  /** Largest σ along time, in frames (0 when time does not blur). */
  readonly maxSigmaTime: number;
  /** Largest σ along frequency, in mel bands (0 when frequency does not blur). */
  readonly maxSigmaFrequency: number;
  readonly boundary: Boundary;
  /** Exponent p of σ(s) = σ_max s^p; p > 1 spends more of the path at fine scales, where YAMNet's logit moves most. */
  readonly scalePower: number;
}

/** A path for one patch; owns its basis tensors, so call `dispose()`. */
export class BlurPath {
  readonly sigmaTimeMax: number;
  readonly sigmaFrequencyMax: number;
  private readonly time: AxisBasis;
  private readonly frequency: AxisBasis;
  private readonly offset: number;
  private readonly vTime: tf.Tensor2D; // [T, T]
  private readonly vFrequencyT: tf.Tensor2D; // [F, F], transposed
  private readonly coefficients: tf.Tensor2D; // [T, F]: V_Tᵀ (X − c) V_F

  constructor(
    private readonly patch: PatchValues,
    private readonly spec: BlurPathSpec,
  ) {
    this.sigmaTimeMax = spec.direction === 'frequency' ? 0 : spec.maxSigmaTime;
    this.sigmaFrequencyMax = spec.direction === 'time' ? 0 : spec.maxSigmaFrequency;
    const { frames, bands } = patch;
    this.time = axisBasis(frames, spec.boundary);
    this.frequency = axisBasis(bands, spec.boundary);
    this.offset = boundaryOffset(spec.boundary);
    const centred = Float64Array.from(patch.values, (v) => v - this.offset);
    const vTimeT = transpose(this.time.vectors, frames);
    const spectral = multiply(multiply(vTimeT, centred, frames, frames, bands), this.frequency.vectors, frames, bands, bands);
    this.vTime = tf.tensor2d(Float32Array.from(this.time.vectors), [frames, frames]);
    this.vFrequencyT = tf.tensor2d(Float32Array.from(transpose(this.frequency.vectors, bands)), [bands, bands]);
    this.coefficients = tf.tensor2d(Float32Array.from(spectral), [frames, bands]);
  }

  /** σ along time and frequency at path parameter s. */
  sigmas(s: number): { sigmaTime: number; sigmaFrequency: number } {
    const g = s ** this.spec.scalePower;
    return { sigmaTime: this.sigmaTimeMax * g, sigmaFrequency: this.sigmaFrequencyMax * g };
  }

  /** L(1), the baseline, in float64 then rounded to float32: [T × F]. */
  baseline(): Float32Array {
    const { frames, bands } = this.patch;
    return Float32Array.from(blurPatch(this.patch.values, frames, bands, this.sigmaTimeMax ** 2, this.sigmaFrequencyMax ** 2, this.spec.boundary));
  }

  /** Points L(s_n) and directions −∂L/∂s(s_n) (oriented from baseline to input) for the nodes of `schedule`. */
  quadrature(schedule: Schedule): PathQuadrature {
    return { count: schedule.points.length, weights: schedule.weights, make: (start, end) => this.make(schedule.points.subarray(start, end)) };
  }

  dispose(): void {
    tf.dispose([this.vTime, this.vFrequencyT, this.coefficients]);
  }

  private make(nodes: Float64Array): { points: tf.Tensor3D; directions: tf.Tensor3D } {
    const { frames, bands } = this.patch;
    const m = nodes.length;
    // Per node: spectral gains e = exp(t μ / 2) per axis, and rates ½ μ dt/ds whose sum scales ∂L/∂s per mode.
    const gainTime = new Float32Array(m * frames);
    const gainFrequency = new Float32Array(m * bands);
    const rateTime = new Float32Array(m * frames);
    const rateFrequency = new Float32Array(m * bands);
    const p = this.spec.scalePower;
    nodes.forEach((s, n) => {
      const fill = (gains: Float32Array, rates: Float32Array, axis: AxisBasis, sigmaMax: number): void => {
        const variance = (sigmaMax * s ** p) ** 2;
        const varianceRate = 2 * p * sigmaMax ** 2 * s ** (2 * p - 1); // dt/ds
        axis.eigenvalues.forEach((mu, k) => {
          gains[n * axis.n + k] = Math.exp((variance * mu) / 2);
          rates[n * axis.n + k] = (mu / 2) * varianceRate;
        });
      };
      fill(gainTime, rateTime, this.time, this.sigmaTimeMax);
      fill(gainFrequency, rateFrequency, this.frequency, this.sigmaFrequencyMax);
    });
    const eT = tf.tensor3d(gainTime, [m, frames, 1]);
    const eF = tf.tensor3d(gainFrequency, [m, 1, bands]);
    const spectralPoints = tf.mul(this.coefficients, tf.mul(eT, eF)); // [m, T, F]
    const rates = tf.add(tf.tensor3d(rateTime, [m, frames, 1]), tf.tensor3d(rateFrequency, [m, 1, bands])); // [m, T, F]
    const spectralSlopes = tf.mul(spectralPoints, rates); // [m, T, F]: spectral ∂L/∂s
    const points = tf.add(this.synthesise(spectralPoints), this.offset) as tf.Tensor3D; // [m, T, F]
    const directions = tf.neg(this.synthesise(spectralSlopes)) as tf.Tensor3D; // [m, T, F]
    return { points, directions };
  }

  /** L(s) at each of `nodes` as a tensor [m, T, F] (the caller owns it; use inside tf.tidy). */
  pointsAt(nodes: ArrayLike<number>): tf.Tensor3D {
    return tf.add(this.synthesise(tf.mul(this.coefficients, this.gains(Array.from(nodes)))), this.offset) as tf.Tensor3D; // [m, T, F]
  }

  /** Spectral gains exp(t μ / 2) of both axes at each path parameter, as their outer product [m, T, F]. */
  private gains(nodes: readonly number[]): tf.Tensor3D {
    const { frames, bands } = this.patch;
    const eT = new Float32Array(nodes.length * frames);
    const eF = new Float32Array(nodes.length * bands);
    nodes.forEach((s, n) => {
      const { sigmaTime, sigmaFrequency } = this.sigmas(s);
      this.time.eigenvalues.forEach((mu, k) => (eT[n * frames + k] = Math.exp((sigmaTime ** 2 * mu) / 2)));
      this.frequency.eigenvalues.forEach((mu, k) => (eF[n * bands + k] = Math.exp((sigmaFrequency ** 2 * mu) / 2)));
    });
    return tf.mul(tf.tensor3d(eT, [nodes.length, frames, 1]), tf.tensor3d(eF, [nodes.length, 1, bands])) as tf.Tensor3D; // [m, T, F]
  }

  /** V_T A V_Fᵀ for a batch A [m, T, F]. */
  private synthesise(a: tf.Tensor3D | tf.Tensor): tf.Tensor3D {
    const [m, frames, bands] = a.shape as [number, number, number];
    const alongTime = tf.matMul(this.vTime, tf.reshape(tf.transpose(a, [1, 0, 2]), [frames, m * bands])); // [T, m·F]
    const back = tf.transpose(tf.reshape(alongTime, [frames, m, bands]), [1, 0, 2]); // [m, T, F]
    return tf.reshape(tf.matMul(tf.reshape(back, [m * frames, bands]), this.vFrequencyT), [m, frames, bands]); // [m, T, F]
  }
}

function transpose(matrix: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[j * n + i] = matrix[i * n + j];
  return out;
}
