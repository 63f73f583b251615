// Deletion and insertion curves of one attribution on one patch (DESIGN.md §8): how the explained output falls as the
// cells the attribution ranks highest are replaced by a reference, and how it rises as they are put back.
import { ModelError, OptionError, ShapeError } from '../errors/index.js';

export { type References, references } from './references.js';
export { classScore } from './classScore.js';

/**
 * The explained output of a batch of patches: `patches` is row-major [count × frames × bands]; the result holds one
 * value per patch ([count]), e.g. one class's sigmoid score. Called with 1 ≤ count ≤ `batchSize`.
 */
export type PatchScore = (patches: Float32Array, count: number) => Promise<Float32Array>;

/** A patch as row-major values with its dimensions. */
export interface PatchCells {
  /** Row-major [frames × bands] values (log-mel). */
  readonly values: Float32Array;
  /** Rows (10 ms frames). */
  readonly frames: number;
  /** Columns (mel bands). */
  readonly bands: number;
}

/** Options of {@link deletionInsertion}. */
export interface DeletionInsertionOptions {
  /**
   * n, the curve's intervals: each curve has n + 1 points, at the nominal fractions q_k = k / n (k = 0 … n) of the
   * N = frames × bands cells; an integer in [1, N].
   * @default 16
   */
  readonly intervals?: number;
  /** The same as `intervals` (the name the first draft of the API used); give one or the other, or both equal. */
  readonly fractions?: number;
  /**
   * Where the n + 1 points lie in q. `uniform`: q_k = k / n, equal steps (DESIGN.md §8). `ends`: q_k = (1 − cos(πk/n)) / 2,
   * dense at both ends, where the curves move: YAMNet's score falls within the first few per cent of cells deleted and
   * rises within the last few inserted, which equal steps of 1/16 cannot resolve. Both estimate the same area (the
   * trapezoid over the points), `ends` with less error for the same n.
   * @default 'uniform'
   */
  readonly spacing?: 'uniform' | 'ends';
  /** Most patches per call of `score`; a positive integer. The 2n patches scored take ceil(2n / batchSize) calls. @default 32 */
  readonly batchSize?: number;
}

/** The deletion and insertion curves of one attribution on one patch, against one reference. */
export interface CurvePair {
  /**
   * [n + 1] share of the cells moved at each point: m_k / N, where (`uniform`) m_k = round(k · N / n) with halves rounded
   * up (computed in integers: ⌊(2kN + n) / 2n⌋), so it starts at 0 and ends at 1 (equal to k / n when n divides N), or
   * (`ends`) m_k = round(N (1 − cos(πk/n)) / 2).
   */
  readonly fractions: Float64Array;
  /** [n + 1] the cell counts m_k themselves. */
  readonly cells: Int32Array;
  /**
   * [n + 1] raw explained output with the m_k top-ranked cells of the input replaced by the reference's:
   * `deletion[0]` = scoreAtInput, `deletion[n]` = scoreAtReference.
   */
  readonly deletion: Float64Array;
  /**
   * [n + 1] raw explained output of the reference with the m_k top-ranked cells of the input put back:
   * `insertion[0]` = scoreAtReference, `insertion[n]` = scoreAtInput.
   */
  readonly insertion: Float64Array;
  /** f(x): the explained output at the input patch. */
  readonly scoreAtInput: number;
  /** f(r): the explained output at the reference. */
  readonly scoreAtReference: number;
  /**
   * Trapezoidal area of deletion / f(x) over `fractions` (lower is better: the output falls fast). Not bounded by 1:
   * where f(r) > f(x) the curve rises above 1. Null when `skipped` is set.
   */
  readonly deletionAuc: number | null;
  /** Trapezoidal area of insertion / f(x) over `fractions` (higher is better). Null when `skipped` is set. */
  readonly insertionAuc: number | null;
  /**
   * deletion / f(x) at each point, as a plain array (JSON-ready, unlike the typed arrays above, which JSON.stringify
   * writes as objects); empty when `skipped` is set.
   */
  readonly deletionCurve: number[];
  /** insertion / f(x) at each point, as a plain array; empty when `skipped` is set. */
  readonly insertionCurve: number[];
  /**
   * Why the areas are null, or null when they are not: f(x) ≤ {@link MIN_SCORE_AT_INPUT} (the class is absent from
   * the patch, or a logit is negative), so there is no output to delete and no f(x) to normalise by. The curves are
   * still reported; a caller counts such patches apart instead of averaging them.
   */
  readonly skipped: string | null;
  /** Patches scored: 2n (the input and the reference once each, then n − 1 inner points per curve). */
  readonly evaluations: number;
  /** Calls of `score`: ceil(evaluations / batchSize). */
  readonly modelCalls: number;
}

/** f(x) at or below this is treated as "nothing to delete": the normalised areas would divide by (almost) zero. */
export const MIN_SCORE_AT_INPUT = 1e-6;

/**
 * Deletion and insertion curves (DESIGN.md §8). The N = frames × bands cells are ranked by `attribution`, largest
 * first, ties broken by the lower cell index (so the order is deterministic). At point k the top m_k cells (see
 * {@link CurvePair.fractions}) are taken from `reference` into a copy of the input (deletion), or from the input into
 * a copy of `reference` (insertion), and `score` gives the explained output there. Only the ranking of `attribution`
 * matters, not its values or sign. Throws ShapeError when the three arrays differ in length from frames × bands,
 * OptionError for non-finite entries or bad options, and ModelError when `score` returns the wrong count or a
 * non-finite value.
 */
export async function deletionInsertion(
  score: PatchScore,
  patch: PatchCells,
  attribution: ArrayLike<number>,
  reference: ArrayLike<number>,
  options: DeletionInsertionOptions = {},
): Promise<CurvePair> {
  const size = patch.frames * patch.bands;
  if (!Number.isSafeInteger(patch.frames) || !Number.isSafeInteger(patch.bands) || patch.frames < 1 || patch.bands < 1) {
    throw new ShapeError('patch', [null, null], [patch.frames, patch.bands]);
  }
  for (const [name, array] of [['patch', patch.values], ['attribution', attribution], ['reference', reference]] as const) {
    if (array.length !== size) throw new ShapeError(name, [patch.frames, patch.bands], [array.length]);
    for (let i = 0; i < size; i++) if (!Number.isFinite(array[i])) throw new OptionError(name, 'finite numbers only', array[i]);
  }
  const n = integerOption('intervals', options.intervals ?? options.fractions, 16, 1, size);
  if (options.intervals !== undefined && options.fractions !== undefined && options.fractions !== options.intervals) {
    throw new OptionError('fractions', `absent or equal to \`intervals\` (${options.intervals})`, options.fractions);
  }
  const batchSize = integerOption('batchSize', options.batchSize, 32, 1, Number.MAX_SAFE_INTEGER);

  const spacing = options.spacing ?? 'uniform';
  if (spacing !== 'uniform' && spacing !== 'ends') throw new OptionError('spacing', '`uniform` or `ends`', spacing);
  const cells = spacing === 'uniform' ? Int32Array.from({ length: n + 1 }, (_, k) => Math.floor((2 * k * size + n) / (2 * n))) : endsCells(n, size);
  const order = rankCells(attribution);
  // Point p: 0 the input, 1 the reference, then deletion k = 1 … n − 1, then insertion k = 1 … n − 1.
  const points = 2 * n;
  const fill = (p: number, out: Float32Array): void => {
    const deleting = p === 0 || (p >= 2 && p < n + 1);
    const [base, moved] = deleting ? [patch.values, reference] : [reference, patch.values];
    for (let i = 0; i < size; i++) out[i] = base[i];
    const m = p < 2 ? 0 : cells[p < n + 1 ? p - 1 : p - n];
    for (let j = 0; j < m; j++) out[order[j]] = moved[order[j]];
  };
  const values = new Float64Array(points);
  let modelCalls = 0;
  for (let start = 0; start < points; start += batchSize) {
    const count = Math.min(batchSize, points - start);
    const batch = new Float32Array(count * size);
    for (let b = 0; b < count; b++) fill(start + b, batch.subarray(b * size, (b + 1) * size));
    const scores = await score(batch, count);
    modelCalls++;
    if (scores?.length !== count) throw new ModelError(`The score function returned ${scores?.length} values for ${count} patches: it must return one per patch`);
    for (let b = 0; b < count; b++) {
      if (!Number.isFinite(scores[b])) throw new ModelError(`The score function returned ${scores[b]} for a patch of the deletion/insertion curves: the model output is not finite`);
      values[start + b] = scores[b];
    }
  }

  const [scoreAtInput, scoreAtReference] = [values[0], values[1]];
  const deletion = Float64Array.from({ length: n + 1 }, (_, k) => (k === 0 ? scoreAtInput : k === n ? scoreAtReference : values[1 + k]));
  const insertion = Float64Array.from({ length: n + 1 }, (_, k) => (k === 0 ? scoreAtReference : k === n ? scoreAtInput : values[n + k]));
  const fractions = Float64Array.from(cells, (m) => m / size);
  const skipped = scoreAtInput > MIN_SCORE_AT_INPUT ? null : `f(x) = ${scoreAtInput} ≤ ${MIN_SCORE_AT_INPUT}: no output to delete or normalise by`;
  const normalised = (curve: Float64Array): number[] => (skipped === null ? Array.from(curve, (v) => v / scoreAtInput) : []);
  return {
    fractions,
    cells,
    deletion,
    insertion,
    scoreAtInput,
    scoreAtReference,
    deletionAuc: skipped === null ? trapezoid(fractions, deletion) / scoreAtInput : null,
    insertionAuc: skipped === null ? trapezoid(fractions, insertion) / scoreAtInput : null,
    deletionCurve: normalised(deletion),
    insertionCurve: normalised(insertion),
    skipped,
    evaluations: points,
    modelCalls,
  };
}

/** Cell indices by attribution, largest first; equal values keep index order. */
export function rankCells(attribution: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: attribution.length }, (_, i) => i);
  // The index tie-break makes the comparator a total order, so the ranking does not depend on the sort algorithm.
  return order.sort((i, j) => attribution[j] - attribution[i] || i - j);
}

/** m_k = round(N (1 − cos(πk/n)) / 2), exactly 0 and N at the ends and never decreasing. */
function endsCells(n: number, size: number): Int32Array {
  const cells = Int32Array.from({ length: n + 1 }, (_, k) => (k === n ? size : Math.round((size * (1 - Math.cos((Math.PI * k) / n))) / 2)));
  for (let k = 1; k <= n; k++) cells[k] = Math.max(cells[k], cells[k - 1]);
  return cells;
}

/** ∫ y dx by the trapezoidal rule over the points (x_k, y_k). */
function trapezoid(x: Float64Array, y: Float64Array): number {
  let area = 0;
  for (let k = 1; k < x.length; k++) area += ((x[k] - x[k - 1]) * (y[k] + y[k - 1])) / 2;
  return area;
}

function integerOption(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new OptionError(name, max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`, value);
  }
  return value;
}
