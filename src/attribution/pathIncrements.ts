// Blur IG by path increments: ½(∇F(a) + ∇F(b)) ⊙ (L(a) − L(b)) per cell, cells split where F's own change disagrees.
import type { AttributionResult, Explainable, ScaleStep } from '../types.js';
import type { BlurPath } from './blurPath.js';
import { evaluate, type PatchValues } from './explainedFunction.js';
import { type NodeEvaluation, pathGradients } from './pathGradients.js';
import { attributionResult, unmet } from './result.js';

/**
 * Cells split per refinement round. Small rounds stop closer to the tolerance: on four sample patches, reaching 1%
 * took 764 nodes in all with rounds of 32, 376 with 8, 260 with 4 and 236 with 2; 4 keeps the batches useful.
 */
const CELLS_PER_ROUND = 4;

export interface IncrementSettings {
  /** Nodes to start from, uniform in s (both ends included). */
  readonly steps: number;
  /** Stop refining once every output's relative completeness error is ≤ tolerance; undefined: no refinement. */
  readonly tolerance?: number;
  /** An output whose absolute completeness error is ≤ this needs no refinement, whatever its relative error. */
  readonly absTolerance: number;
  readonly maxSteps: number;
  readonly batchSize: number;
}

/**
 * Why this rule: YAMNet is piecewise linear in its input (ReLU6 of linear maps), so ∇F is piecewise constant along
 * the path and a cell that stays inside one linear region is integrated exactly by ½(∇F(a) + ∇F(b)) ⊙ (L(a) − L(b)),
 * with no derivative of the blur at all. Each node also yields F itself, so every cell's error against the exact change
 * F(L(a)) − F(L(b)) is known, and refinement splits the cells whose error is largest, reusing every node.
 */
export async function incrementBlurIG(f: Explainable, patch: PatchValues, path: BlurPath, settings: IncrementSettings): Promise<AttributionResult> {
  // The number of outputs: an async function states it, a tfjs one is asked once.
  const width = typeof f === 'function' ? (await evaluate(f, patch.values, 1, patch)).width : f.outputs;
  const size = patch.values.length;
  const initial = Math.max(2, settings.steps);
  let s = Array.from({ length: initial }, (_, j) => j / (initial - 1));
  const evaluated = new Map<number, NodeEvaluation>();
  let calls = 0;
  const evaluateAt = async (nodes: number[]): Promise<void> => {
    const result = await pathGradients(f, nodes.length, width, settings.batchSize, (start, end) => path.pointsAt(nodes.slice(start, end)));
    result.nodes.forEach((node, n) => evaluated.set(nodes[n], node));
    calls += result.calls;
  };
  await evaluateAt(s);

  // Each cell's shares are computed once: refinement rounds re-read every cell, and most cells survive a round.
  const shareCache = new Map<string, number[]>();
  const cellShares = (sa: number, sb: number): number[] => {
    const key = `${sa},${sb}`;
    let shares = shareCache.get(key);
    if (shares === undefined) {
      const [a, b] = [evaluated.get(sa)!, evaluated.get(sb)!];
      shares = Array.from({ length: width }, (_, k) => {
        let share = 0;
        for (let j = 0; j < size; j++) share += 0.5 * (a.gradients[k][j] + b.gradients[k][j]) * (a.point[j] - b.point[j]);
        return share;
      });
      shareCache.set(key, shares);
    }
    return shares;
  };
  const first = evaluated.get(0)!;
  const last = evaluated.get(1)!;
  const change = Array.from({ length: width }, (_, k) => Math.abs(first.values[k] - last.values[k]) || 1);
  // Relative error of each cell, the largest over outputs, and the relative completeness error of the whole path.
  const cellErrors = (): number[] =>
    s.slice(1).map((b, n) => {
      const [na, nb] = [evaluated.get(s[n])!, evaluated.get(b)!];
      const shares = cellShares(s[n], b);
      return Math.max(...shares.map((share, k) => Math.abs(share - (na.values[k] - nb.values[k])) / change[k]));
    });
  const completenessUnmet = (tolerance: number): boolean => {
    const sums = new Array<number>(width).fill(0);
    s.slice(1).forEach((b, n) => cellShares(s[n], b).forEach((share, k) => (sums[k] += share)));
    return sums.some((sum, k) => unmet(Math.abs(sum - (first.values[k] - last.values[k])), change[k], tolerance, settings.absTolerance));
  };

  while (settings.tolerance !== undefined && s.length < settings.maxSteps && completenessUnmet(settings.tolerance)) {
    const errors = cellErrors();
    const worst = errors.map((e, n) => [e, n] as const).sort((x, y) => y[0] - x[0]).slice(0, Math.min(CELLS_PER_ROUND, settings.maxSteps - s.length));
    const midpoints = worst.map(([, n]) => (s[n] + s[n + 1]) / 2);
    await evaluateAt(midpoints);
    s = [...s, ...midpoints].sort((x, y) => x - y);
  }

  const attributions = Array.from({ length: width }, () => new Float64Array(size));
  const scale: ScaleStep[][] = Array.from({ length: width }, () => []);
  s.slice(1).forEach((b, n) => {
    const [na, nb] = [evaluated.get(s[n])!, evaluated.get(b)!];
    for (let k = 0; k < width; k++) {
      const sum = attributions[k];
      let share = 0;
      for (let j = 0; j < size; j++) {
        const value = 0.5 * (na.gradients[k][j] + nb.gradients[k][j]) * (na.point[j] - nb.point[j]);
        sum[j] += value;
        share += value;
      }
      const middle = (s[n] + b) / 2;
      scale[k].push({ s: middle, ...path.sigmas(middle), contribution: share });
    }
  });
  return attributionResult({
    method: 'blur-ig',
    patch,
    attributions,
    fInput: Array.from(first.values),
    fBaseline: Array.from(last.values),
    scale,
    steps: s.length,
    evaluations: s.length * width,
    modelCalls: calls,
  });
}
