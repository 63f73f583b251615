// Quadrature rules on [0, 1] for path integrals: Gauss–Legendre, left Riemann, midpoint, trapezoid.
import type { ScheduleName } from '../types.js';

/** Nodes in [0, 1] and their weights (which sum to 1). */
export interface Schedule {
  readonly points: Float64Array;
  readonly weights: Float64Array;
}

/** The rules offered as `schedule`. */
export const SCHEDULE_NAMES: readonly ScheduleName[] = ['gauss-legendre', 'left-riemann', 'midpoint', 'trapezoid'];

/** The `steps`-point rule `name` on [0, 1]. Left Riemann is the reference implementation's: s_i = i/steps, i < steps. */
export function schedule(name: ScheduleName, steps: number): Schedule {
  switch (name) {
    case 'gauss-legendre':
      return gaussLegendre(steps);
    case 'left-riemann':
      return uniform(steps, (i) => i / steps, () => 1 / steps);
    case 'midpoint':
      return uniform(steps, (i) => (i + 0.5) / steps, () => 1 / steps);
    case 'trapezoid':
      return steps === 1
        ? uniform(1, () => 0.5, () => 1)
        : uniform(steps, (i) => i / (steps - 1), (i) => (i === 0 || i === steps - 1 ? 0.5 : 1) / (steps - 1));
  }
}

/** `rule` mapped from [0, 1] onto [a, b]. */
export function onInterval(rule: Schedule, a: number, b: number): Schedule {
  return { points: rule.points.map((p) => a + (b - a) * p), weights: rule.weights.map((w) => (b - a) * w) };
}

/** Several schedules joined into one (points in the given order). */
export function concatSchedules(parts: readonly Schedule[]): Schedule {
  const total = parts.reduce((n, p) => n + p.points.length, 0);
  const points = new Float64Array(total);
  const weights = new Float64Array(total);
  let at = 0;
  for (const part of parts) {
    points.set(part.points, at);
    weights.set(part.weights, at);
    at += part.points.length;
  }
  return { points, weights };
}

/** n-point Gauss–Legendre on [0, 1]: exact for polynomials of degree 2n − 1. Newton on P_n from Chebyshev guesses. */
export function gaussLegendre(n: number): Schedule {
  const points = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      // P_n(x) and P_n'(x) by the three-term recurrence.
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
      const pn = n === 1 ? x : p1;
      const pPrev = n === 1 ? 1 : p0;
      derivative = (n * (x * pn - pPrev)) / (x * x - 1);
      const step = pn / derivative;
      x -= step;
      if (Math.abs(step) < 1e-15) break;
    }
    // Node x in [−1, 1] → (1 − x)/2 in [0, 1], ascending; weight 2/((1 − x²) P_n'(x)²), halved for the interval.
    points[i] = (1 - x) / 2;
    weights[i] = 1 / ((1 - x * x) * derivative * derivative);
  }
  return { points, weights };
}

function uniform(n: number, point: (i: number) => number, weight: (i: number) => number): Schedule {
  return { points: Float64Array.from({ length: n }, (_, i) => point(i)), weights: Float64Array.from({ length: n }, (_, i) => weight(i)) };
}
