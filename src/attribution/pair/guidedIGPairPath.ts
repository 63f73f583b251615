// PAIR saliency's guided_ig_impl (@7b72b67) as a float64 state machine: a gradient at the current point in, one step out.
import { kthSmallest } from '../guidedPath.js';

/** The reference's `GetMask` arguments (its `x_steps`, `fraction`, `max_dist`). */
export interface GuidedIGPairSettings {
  readonly steps: number;
  readonly fraction: number;
  readonly maxDist: number;
}

/** PAIR's defaults (`GuidedIG.GetMask`): zero baseline, 200 steps, fraction 0.25, max_dist 0.02. */
export const GUIDED_IG_PAIR_DEFAULTS = { baseline: 'zeros', steps: 200, fraction: 0.25, maxDist: 0.02 } as const;

/** The reference's `EPSILON`, the relative and absolute tolerance of its `math.isclose` stopping rule. */
const EPSILON = 1e-9;

/**
 * One guided path of the reference, in float64 throughout (it casts the input and the baseline, and accumulates the
 * mask in float64). Each {@link advance} is one of its steps: it takes the gradient at {@link point} (the step's
 * start, as the reference does), moves the point, and adds (x − x_old) ⊙ g after every move: a left-point Riemann sum.
 * Where the reference would loop for ever (no finite |g| left to select) or fail its `gamma > 0` assertion, the step
 * ends there instead; no fixture reaches either.
 */
export class PairGuidedPath {
  /** The reference's `attr`, accumulated in float64. */
  readonly mask: Float64Array;
  /** Where the next gradient is wanted: the current x of the path (float64, the caller's to read, not to change). */
  readonly point: Float64Array;
  private readonly l1Total: number;
  private step = 0;

  constructor(
    private readonly input: Float64Array,
    private readonly baseline: Float64Array,
    private readonly settings: GuidedIGPairSettings,
  ) {
    this.mask = new Float64Array(input.length);
    this.point = Float64Array.from(baseline);
    this.l1Total = numpySum(input.map((v, i) => Math.abs(v - baseline[i])));
  }

  /** Whether the path has taken all its steps; true at once when input = baseline (the reference returns zeros). */
  get done(): boolean {
    return this.l1Total === 0 || this.step >= this.settings.steps;
  }

  /** Step `step + 1` of the reference, with `gradient` = ∇F at {@link point}. */
  advance(gradient: ArrayLike<number>): void {
    const { steps, fraction, maxDist } = this.settings;
    const [x, input, baseline, n] = [this.point, this.input, this.baseline, this.input.length];
    const grad = Float64Array.from(gradient); // marked +inf where a feature reached x_max; `gradient` stays intact
    const alpha = (this.step + 1) / steps;
    const alphaMin = Math.max(alpha - maxDist, 0);
    const alphaMax = Math.min(alpha + maxDist, 1);
    const xMin = input.map((v, i) => baseline[i] + (v - baseline[i]) * alphaMin);
    const xMax = input.map((v, i) => baseline[i] + (v - baseline[i]) * alphaMax);
    const l1Target = this.l1Total * (1 - (this.step + 1) / steps);
    this.step++;
    const abs = new Float64Array(n);
    const selected = new Uint8Array(n);
    for (;;) {
      const xOld = Float64Array.from(x);
      for (let i = 0; i < n; i++) {
        // α of each feature; NaN (input = baseline) counts as α_max, so such features are never snapped.
        const d = input[i] - baseline[i];
        const xAlpha = d !== 0 ? (x[i] - baseline[i]) / d : alphaMax;
        if (xAlpha < alphaMin) x[i] = xMin[i];
      }
      const l1Current = numpySum(x.map((v, i) => Math.abs(v - input[i])));
      if (isClose(l1Target, l1Current)) {
        this.accumulate(xOld, gradient);
        return;
      }
      for (let i = 0; i < n; i++) {
        if (x[i] === xMax[i]) grad[i] = Infinity;
        abs[i] = Math.abs(grad[i]);
      }
      // np.quantile(|g|, fraction, method='lower') over all N features, the +inf ones included.
      const threshold = kthSmallest(Float64Array.from(abs), Math.floor((n - 1) * fraction));
      for (let i = 0; i < n; i++) selected[i] = abs[i] <= threshold && grad[i] !== Infinity ? 1 : 0;
      const l1Selected = numpySum(x.map((v, i) => Math.abs(v - xMax[i]) * selected[i]));
      if (l1Selected === 0) return; // nothing finite left to move: the reference would never leave this loop
      const gamma = (l1Current - l1Target) / l1Selected;
      if (gamma <= 0) return; // the reference asserts gamma > 0
      for (let i = 0; i < n; i++) {
        if (selected[i] === 1) x[i] = gamma > 1 ? xMax[i] : x[i] + (xMax[i] - x[i]) * gamma;
      }
      this.accumulate(xOld, gradient);
      if (gamma <= 1) return; // a partial move ends the step without checking L1 again
    }
  }

  private accumulate(xOld: Float64Array, gradient: ArrayLike<number>): void {
    for (let i = 0; i < this.mask.length; i++) this.mask[i] += (this.point[i] - xOld[i]) * gradient[i];
  }
}

/**
 * The reference's mask for one output, driven by `gradientAt(x)` (∇F at a float64 point, one call per step):
 * what `GuidedIG().GetMask(input, model, x_baseline=baseline, x_steps, fraction, max_dist)` returns, and its calls.
 */
export async function guidedIGPairMask(
  input: Float64Array,
  baseline: Float64Array,
  gradientAt: (x: Float64Array) => ArrayLike<number> | Promise<ArrayLike<number>>,
  settings: GuidedIGPairSettings,
): Promise<{ mask: Float64Array; calls: number }> {
  const path = new PairGuidedPath(input, baseline, settings);
  let calls = 0;
  while (!path.done) {
    const gradient = await gradientAt(Float64Array.from(path.point));
    calls++;
    path.advance(gradient);
  }
  return { mask: path.mask, calls };
}

/** Python's math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9). */
function isClose(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= Math.max(EPSILON * Math.max(Math.abs(a), Math.abs(b)), EPSILON);
}

/** NumPy's float64 sum (pairwise, 8 accumulators per block of ≤ 128), so the L1 figures round as the reference's do. */
export function numpySum(values: ArrayLike<number>, start = 0, n = values.length): number {
  if (n < 8) {
    let sum = 0;
    for (let i = start; i < start + n; i++) sum += values[i];
    return sum;
  }
  if (n <= 128) {
    const r = Array.from({ length: 8 }, (_, j) => values[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
    let sum = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) sum += values[start + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return numpySum(values, start, half) + numpySum(values, start + half, n - half);
}
