// Adaptive Blur IG: Gauss–Legendre panels on the path, the worst split in two until completeness meets the tolerance.
import type { AttributionResult, Explainable } from '../types.js';
import { type BlurPath } from './blurPath.js';
import { endValues, scaleCurve } from './blurPathEnds.js';
import type { PatchValues } from './explainedFunction.js';
import { integrateAlongPath } from './pathIntegral.js';
import { concatSchedules, gaussLegendre, onInterval } from './quadrature.js';
import { attributionResult, unmet } from './result.js';

/** Nodes per panel: 4-point Gauss–Legendre is exact to degree 7 on each piece, and a split costs 8 evaluations. */
const PANEL_NODES = 4;

interface Panel {
  readonly a: number;
  readonly b: number;
  readonly nodes: Float64Array;
  /** Per output: Σ over the panel's nodes of w ∇F ⊙ d, [T × F]. */
  readonly sums: Float64Array[];
  /** Per output, per node: the node's contribution. */
  readonly shares: Float64Array[];
  /** Error estimate relative to |F(x) − F(baseline)|, the largest over outputs; drives which panel splits next. */
  readonly error: number;
}

export interface AdaptiveSettings {
  readonly steps: number;
  readonly tolerance: number;
  readonly absTolerance: number;
  readonly maxSteps: number;
  readonly batchSize: number;
}

/**
 * Starts from ⌈steps / 4⌉ equal panels of 4-point Gauss–Legendre, then splits the panels with the largest error
 * estimate (|parent − (left + right)| once split; the panel's whole contribution before that) until every output's
 * relative completeness error is ≤ tolerance (or absolute error ≤ absTolerance) or another split would pass maxSteps. Untouched panels keep their
 * evaluations; a split panel's own nodes are replaced by its halves'. `steps` reports the nodes of the final rule,
 * `evaluations` every (node, output) pair evaluated on the way.
 */
export async function adaptiveBlurIG(f: Explainable, patch: PatchValues, path: BlurPath, settings: AdaptiveSettings): Promise<AttributionResult> {
  const ends = await endValues(f, patch, path);
  const width = ends.width;
  const change = ends.fInput.map((v, k) => Math.abs(v - ends.fBaseline[k]) || 1);
  const nodesPerPanel = Math.min(PANEL_NODES, settings.steps);
  const initialCount = Math.ceil(settings.steps / nodesPerPanel);
  let evaluations = 0;
  let calls = 0;

  const evaluatePanels = async (intervals: [number, number][], parents: (Panel | undefined)[]): Promise<Panel[]> => {
    const rules = intervals.map(([a, b]) => onInterval(gaussLegendre(nodesPerPanel), a, b));
    const schedule = concatSchedules(rules);
    const of = Int32Array.from({ length: schedule.points.length }, (_, n) => Math.floor(n / nodesPerPanel));
    const quadrature = { ...path.quadrature(schedule), groups: { count: intervals.length, of } };
    const integral = await integrateAlongPath(f, patch, quadrature, width, settings.batchSize);
    evaluations += schedule.points.length * width;
    calls += integral.calls;
    const panels = intervals.map(([a, b], g): Panel => {
      const range = [g * nodesPerPanel, (g + 1) * nodesPerPanel] as const;
      const shares = integral.contributions.map((c) => c.slice(...range));
      return { a, b, nodes: schedule.points.slice(...range), sums: Array.from({ length: width }, (_, k) => integral.groupSums[g * width + k]), shares, error: 0 };
    });
    // Siblings share their parent's disagreement; an unsplit panel's only estimate is its own size.
    return panels.map((panel, g) => {
      const parent = parents[g];
      const sibling = panels[g ^ 1];
      const error = Math.max(
        ...change.map((scale, k) =>
          parent === undefined ? Math.abs(total(panel.shares[k])) / scale : Math.abs(total(parent.shares[k]) - total(panel.shares[k]) - total(sibling.shares[k])) / (2 * scale),
        ),
      );
      return { ...panel, error };
    });
  };

  let panels = await evaluatePanels(
    Array.from({ length: initialCount }, (_, i) => [i / initialCount, (i + 1) / initialCount]),
    [],
  );
  const completenessUnmet = (): boolean =>
    change.some((scale, k) =>
      unmet(Math.abs(panels.reduce((sum, p) => sum + total(p.shares[k]), 0) - (ends.fInput[k] - ends.fBaseline[k])), scale, settings.tolerance, settings.absTolerance),
    );

  for (;;) {
    if (!completenessUnmet()) break;
    const room = Math.floor((settings.maxSteps - panels.length * nodesPerPanel) / nodesPerPanel); // panels that can still split
    if (room < 1) break;
    const perRound = Math.max(1, Math.min(room, Math.floor(settings.batchSize / (2 * nodesPerPanel * width))));
    const worst = [...panels].sort((p, q) => q.error - p.error).slice(0, perRound);
    const intervals: [number, number][] = [];
    const parents: Panel[] = [];
    for (const panel of worst) {
      const middle = (panel.a + panel.b) / 2;
      intervals.push([panel.a, middle], [middle, panel.b]);
      parents.push(panel, panel);
    }
    const children = await evaluatePanels(intervals, parents);
    panels = panels.filter((p) => !worst.includes(p)).concat(children).sort((p, q) => p.a - q.a);
  }

  const size = patch.values.length;
  const attributions = Array.from({ length: width }, (_, k) => {
    const sum = new Float64Array(size);
    for (const panel of panels) for (let j = 0; j < size; j++) sum[j] += panel.sums[k][j];
    return sum;
  });
  const nodes = Float64Array.from(panels.flatMap((p) => Array.from(p.nodes)));
  return attributionResult({
    method: 'blur-ig',
    patch,
    attributions,
    fInput: ends.fInput,
    fBaseline: ends.fBaseline,
    scale: Array.from({ length: width }, (_, k) => scaleCurve(path, nodes, panels.flatMap((p) => Array.from(p.shares[k])))),
    steps: nodes.length,
    evaluations,
    modelCalls: calls,
  });
}

function total(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}
