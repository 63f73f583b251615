// Blur IG with IDGI (`idgi: true`): the scale-space path's steps, each step's change of F shared among features by g².
import type { AttributionResult, Explainable, ScaleStep } from '../types.js';
import type { BlurPath } from './blurPath.js';
import { endValues } from './blurPathEnds.js';
import type { PatchValues } from './explainedFunction.js';
import { idgiOnPath } from './idgiPath.js';
import { attributionResult } from './result.js';

/**
 * Method `blur-ig+idgi`: the points L(s_j) on `steps` + 1 uniform values s_j = 1 − j/steps, from the baseline end
 * (s = 1, the largest σ) to the input (s = 0), built as Blur IG's (σ(s) = σ_max s^scalePower), and IDGI over
 * consecutive points: Σ_j ∇F(L(s_j))² / Σ ∇F(L(s_j))² · (F(L(s_{j+1})) − F(L(s_j))). Σ attribution telescopes to
 * F(x) − F(L(1)) (to rounding) whatever `steps`, so Blur IG's refinement options (`schedule`, `tolerance`,
 * `maxSteps`) do not apply. The scale curve gives each step's ΔF at its midpoint in s, in increasing s as Blur IG's.
 * Gradients at L(s_0) … L(s_{steps−1}): `steps` · K evaluations in ceil(steps · K / batchSize) calls, plus one
 * forward call for F(x) and F(L(1)).
 */
export async function blurIGIdgi(f: Explainable, patch: PatchValues, path: BlurPath, steps: number, batchSize: number): Promise<AttributionResult> {
  const ends = await endValues(f, patch, path);
  const nodes = Array.from({ length: steps + 1 }, (_, j) => 1 - j / steps);
  const makePoints = (start: number, end: number) => path.pointsAt(nodes.slice(start, end)); // [n, T, F]
  const { sums, shares, calls } = await idgiOnPath(f, patch, steps + 1, ends.width, batchSize, makePoints, ends.fBaseline, ends.fInput);
  const scale = shares.map((perStep) =>
    Array.from(perStep, (contribution, j): ScaleStep => {
      const middle = (nodes[j] + nodes[j + 1]) / 2;
      return { s: middle, ...path.sigmas(middle), contribution };
    }).reverse(),
  );
  return attributionResult({
    method: 'blur-ig+idgi',
    patch,
    attributions: sums,
    fInput: ends.fInput,
    fBaseline: ends.fBaseline,
    scale,
    steps,
    evaluations: steps * ends.width,
    modelCalls: calls,
  });
}
