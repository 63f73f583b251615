// Occlusion: how much F drops when a box of the patch is replaced by the baseline, slid over time and frequency.
import type { AttributionResult, Explainable, OcclusionOptions, PatchInput } from '../types.js';
import { OptionError } from '../errors/index.js';
import { baselineValues } from './baselines.js';
import { evaluate, evaluateInBatches, type PatchValues, patchValues } from './explainedFunction.js';
import { attributionResult } from './result.js';
import { positiveIntegerOption } from './validate.js';

/** The default box side, in frames and in bands (clipped to the patch when the patch is smaller). */
export const OCCLUSION_BOX_DEFAULT = 8;

/** Box size and stride on both axes, checked against the patch. */
export interface OcclusionGeometry {
  readonly boxFrames: number;
  readonly boxBands: number;
  readonly strideFrames: number;
  readonly strideBands: number;
}

/**
 * Occlusion, method `occlusion`: boxes of box.frames × box.bands cells start every stride along each axis, the last
 * one flush with the far edge so every cell is covered (every box is whole: none hangs over an edge). Each occluded
 * patch is the input with one box's cells replaced by the baseline's cells, and for every output k
 *
 *   attribution_k(c) = mean over the boxes B that cover c of (F_k(x) − F_k(x with B occluded)) / |B|.
 *
 * Completeness: Σ attribution_k is compared with F_k(x) − F_k(b), b the baseline everywhere. When the boxes tile the
 * patch (stride = box and the box divides both axes) each cell lies in exactly one box and
 * Σ attribution = Σ_B (F(x) − F(x_B)), which equals F(x) − F(b) exactly for linear F. With overlapping boxes (or a last
 * box pulled back to the edge) Σ attribution = Σ_B w_B ΔF_B, w_B the mean of 1/n_c over the cells c of B (n_c: the
 * boxes covering c). For linear F each cell's effect then counts Σ_{B∋c} w_B times: once where the coverage is even
 * (n boxes of weight 1/n), not exactly once near the edges, where it thins; `completeness`
 * reports that gap, it does not enforce it. For nonlinear F, occluding one box at a time also misses interactions.
 *
 * Forward calls only, no gradients: `steps` = `evaluations` = the number of occluded patches (each gives every output
 * at once), `modelCalls` = ceil(boxes / batchSize) calls of `f`; F(x) and F(b) take one more forward call, not
 * counted, as in the gradient methods. A box larger than the patch is an OptionError; the default box is clipped.
 */
export async function occlusion(f: Explainable, x: PatchInput, options: OcclusionOptions = {}): Promise<AttributionResult> {
  const batchSize = positiveIntegerOption('batchSize', options.batchSize, 32);
  const patch = patchValues(x);
  const geometry = occlusionGeometry(options, patch);
  const baseline = baselineValues(options.baseline ?? 'silence', patch);
  return occlude(f, patch, baseline, geometry, batchSize);
}

/** Checks `box` and `stride` against the patch: box sides 1…the patch's, strides 1…the box's (default half, rounded up). */
export function occlusionGeometry(options: Pick<OcclusionOptions, 'box' | 'stride'>, patch: Pick<PatchValues, 'frames' | 'bands'>): OcclusionGeometry {
  const box = objectOption('box', options.box);
  const stride = objectOption('stride', options.stride);
  const boxFrames = sideOption('box.frames', box.frames, Math.min(OCCLUSION_BOX_DEFAULT, patch.frames), patch.frames, "the patch's", 'frames');
  const boxBands = sideOption('box.bands', box.bands, Math.min(OCCLUSION_BOX_DEFAULT, patch.bands), patch.bands, "the patch's", 'bands');
  // A stride above the box would skip cells, which then would have no attribution at all.
  const strideFrames = sideOption('stride.frames', stride.frames, Math.ceil(boxFrames / 2), boxFrames, "the box's", 'frames');
  const strideBands = sideOption('stride.bands', stride.bands, Math.ceil(boxBands / 2), boxBands, "the box's", 'bands');
  return { boxFrames, boxBands, strideFrames, strideBands };
}

/** Where the boxes of one axis start: every `stride` from 0, then one flush with the far edge. */
export function boxStarts(length: number, box: number, stride: number): number[] {
  const starts: number[] = [];
  for (let start = 0; start < length - box; start += stride) starts.push(start);
  starts.push(length - box);
  return starts;
}

async function occlude(f: Explainable, patch: PatchValues, baseline: Float32Array, g: OcclusionGeometry, batchSize: number): Promise<AttributionResult> {
  const { frames, bands } = patch;
  const size = frames * bands;
  const frameStarts = boxStarts(frames, g.boxFrames, g.strideFrames);
  const bandStarts = boxStarts(bands, g.boxBands, g.strideBands);
  const boxes = frameStarts.flatMap((t) => bandStarts.map((m): [number, number] => [t, m])); // [first frame, first band]
  const ends = new Float32Array(2 * size);
  ends.set(patch.values);
  ends.set(baseline, size);
  const { values: endValues, width } = await evaluate(f, ends, 2, patch); // [2 × K]: F(x), then F(b)
  const sums = Array.from({ length: width }, () => new Float64Array(size));
  const covering = new Float64Array(size); // n_c: boxes covering each cell
  const cells = g.boxFrames * g.boxBands;
  const eachCell = (box: [number, number], visit: (j: number) => void): void => {
    for (let t = box[0]; t < box[0] + g.boxFrames; t++) for (let m = box[1]; m < box[1] + g.boxBands; m++) visit(t * bands + m);
  };
  // Each input is the patch with one box occluded: [boxes × K] values.
  const occluded = (n: number, row: Float32Array): void => {
    row.set(patch.values);
    eachCell(boxes[n], (j) => (row[j] = baseline[j]));
  };
  const { values, width: returned, calls } = await evaluateInBatches(f, boxes.length, occluded, patch, batchSize);
  if (returned !== width) throw new Error(`the explained function returned ${width} outputs, then ${returned}`);
  boxes.forEach((box, i) => {
    const shares = Array.from({ length: width }, (_, k) => (endValues[k] - values[i * width + k]) / cells);
    eachCell(box, (j) => {
      covering[j]++;
      for (let k = 0; k < width; k++) sums[k][j] += shares[k];
    });
  });
  for (const sum of sums) for (let j = 0; j < size; j++) sum[j] /= covering[j];
  return attributionResult({
    method: 'occlusion',
    patch,
    attributions: sums,
    fInput: endValues.subarray(0, width),
    fBaseline: endValues.subarray(width, 2 * width),
    steps: boxes.length,
    evaluations: boxes.length,
    modelCalls: calls,
  });
}

/** An optional `{ frames?, bands? }` option. */
function objectOption(name: string, value: unknown): { readonly frames?: unknown; readonly bands?: unknown } {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OptionError(name, 'an object `{ frames, bands }`', value);
  return value;
}

/** A box side or stride: a positive integer ≤ `max` (the patch's or the box's side), or `fallback` when absent. */
function sideOption(name: string, value: unknown, fallback: number, max: number, of: string, unit: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new OptionError(name, `a positive integer ≤ ${of} ${max} ${unit}`, value);
  }
  return value;
}
