// Guided IG's path (Kapishnikov et al., CVPR 2021) in float64: at each step, the features with the smallest |∇F| move first.

/** Validated settings of a guided path. */
export interface GuidedPathSettings {
  readonly steps: number;
  readonly fraction: number;
  readonly maxDist: number;
}

/** Relative slack on the L1 target of a step (of the whole L1 distance), for the rounding of the α updates. */
const TARGET_SLACK = 1e-12;

/**
 * One guided path from the baseline b to the input x, tracked in α per feature (x_i = b_i + α_i (x_i − b_i)).
 * Step j (of `steps`) brings the L1 distance to the input down to (1 − j/steps) of the whole, as the paper does: first
 * every feature lagging behind α − maxDist is snapped forward to it, then, among the features still short of
 * α + maxDist, the `fraction` with the smallest |g| (g = ∇F at the step's start; the threshold is the 0-based
 * ⌊(M − 1)·fraction⌋-th smallest of their |g|, ties included) move up to α + maxDist, repeatedly, the last group only
 * as far as the target needs. Features whose input equals the baseline never move. Unlike PAIR's implementation, the
 * selection counts only the M features still free to move (PAIR sorts all N, with +∞ for the others, so its
 * effective fraction grows along the path), and the last step ends exactly at the input.
 */
export class GuidedPath {
  /** The current point (float64), where the next gradient is wanted. */
  readonly point: Float64Array;
  private readonly alphas: Float64Array;
  private readonly weights: Float64Array; // |x_i − b_i|: what a unit of α_i takes off the L1 distance
  private readonly total: number;
  private step = 0;

  constructor(
    private readonly input: Float64Array,
    private readonly baseline: Float64Array,
    private readonly settings: GuidedPathSettings,
  ) {
    this.point = Float64Array.from(baseline);
    this.alphas = new Float64Array(input.length);
    this.weights = input.map((v, i) => Math.abs(v - baseline[i]));
    this.total = this.weights.reduce((sum, w) => sum + w, 0);
  }

  /** Whether the path is at the input: after `steps` steps, or at once when input = baseline. */
  get done(): boolean {
    return this.total === 0 || this.step >= this.settings.steps;
  }

  /** Takes the next step, guided by `gradient` = ∇F at {@link point}. */
  advance(gradient: ArrayLike<number>): void {
    const { steps, fraction, maxDist } = this.settings;
    this.step++;
    if (this.step === steps) {
      this.alphas.fill(1);
      this.point.set(this.input);
      return;
    }
    const alpha = this.step / steps;
    const alphaMin = Math.max(alpha - maxDist, 0);
    const alphaMax = Math.min(alpha + maxDist, 1);
    const [alphas, weights] = [this.alphas, this.weights];
    let progress = 0;
    for (let i = 0; i < alphas.length; i++) {
      if (alphas[i] < alphaMin) alphas[i] = alphaMin;
      progress += weights[i] * alphas[i];
    }
    let gap = alpha * this.total - progress; // L1 still to cover in this step
    const free = new Int32Array(alphas.length);
    const magnitudes = new Float64Array(alphas.length);
    while (gap > TARGET_SLACK * this.total) {
      let count = 0;
      for (let i = 0; i < alphas.length; i++) {
        if (weights[i] > 0 && alphas[i] < alphaMax) {
          free[count] = i;
          magnitudes[count] = Math.abs(gradient[i]);
          count++;
        }
      }
      if (count === 0) break;
      const threshold = kthSmallest(magnitudes.slice(0, count), Math.floor((count - 1) * fraction));
      let capacity = 0;
      for (let n = 0; n < count; n++) if (magnitudes[n] <= threshold) capacity += weights[free[n]] * (alphaMax - alphas[free[n]]);
      const whole = capacity <= gap; // else the group moves only as far as the target needs
      const gamma = gap / capacity;
      for (let n = 0; n < count; n++) {
        const i = free[n];
        if (magnitudes[n] <= threshold) alphas[i] = whole ? alphaMax : alphas[i] + gamma * (alphaMax - alphas[i]);
      }
      gap = whole ? gap - capacity : 0;
    }
    for (let i = 0; i < alphas.length; i++) this.point[i] = this.baseline[i] + alphas[i] * (this.input[i] - this.baseline[i]);
  }
}

/** The k-th smallest of `values` (0-based), as sorted(values)[k], by quickselect: `values` is reordered. */
export function kthSmallest(values: Float64Array, k: number): number {
  let [low, high] = [0, values.length - 1];
  while (low < high) {
    const pivot = values[(low + high) >> 1];
    let [i, j] = [low, high];
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i++] = values[j];
        values[j--] = swap;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return values[k];
  }
  return values[k];
}
