// IDGI (Yang, Wang and Bilgic, CVPR 2023): each path step's change of F, shared among the features in proportion to g².

/**
 * Adds one IDGI step to `sum`: g_i² / Σ g² · ΔF per feature, where g is ∇F at the step's start and ΔF = F(end) −
 * F(start). Returns the share added in all, ΔF itself; a zero gradient adds nothing (and returns 0), never NaN.
 * Each feature's sign comes from ΔF, not from the sign of its gradient.
 */
export function addIdgiStep(sum: Float64Array, gradient: ArrayLike<number>, change: number): number {
  let norm = 0;
  for (let i = 0; i < gradient.length; i++) norm += gradient[i] * gradient[i];
  if (norm === 0 || change === 0) return 0;
  for (let i = 0; i < gradient.length; i++) sum[i] += ((gradient[i] * gradient[i]) / norm) * change;
  return change;
}

/**
 * IDGI along an ordered path of n points (the IDGI code's `IDGI(Gradients, Predictions)`): `gradients[j]` is ∇F at
 * point j (j < n − 1 are used; the last point's gradient is not needed) and `values[j]` is F there, j < n. The mask
 * sums to F(last) − F(first) (to rounding) wherever no step's gradient is zero; `shares[j]` is step j's part of it.
 */
export function idgiAlongPath(gradients: readonly ArrayLike<number>[], values: ArrayLike<number>): { mask: Float64Array; shares: Float64Array } {
  const mask = new Float64Array(gradients[0]?.length ?? 0);
  const shares = new Float64Array(Math.max(0, values.length - 1));
  for (let j = 0; j < values.length - 1; j++) shares[j] = addIdgiStep(mask, gradients[j], values[j + 1] - values[j]);
  return { mask, shares };
}
