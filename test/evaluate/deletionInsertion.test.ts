// deletionInsertion(), classScore() and references() on linear models whose deletion and insertion curves are known exactly.
import { describe, expect, it } from 'vitest';
import { baselineValues } from '../../src/attribution/baselines.js';
import { mulberry32 } from '../../src/attribution/random.js';
import { ModelError, OptionError, ShapeError } from '../../src/errors/index.js';
import { type CurvePair, deletionInsertion, MIN_SCORE_AT_INPUT, type PatchScore, classScore, rankCells } from '../../src/evaluate/deletionInsertion.js';
import { references } from '../../src/evaluate/references.js';
import { SILENCE_LOG_MEL } from '../../src/types.js';

/** f(x) = Σ W ⊙ x + c over [count × size] patches, in float64; counts its calls and the patches of each. */
function linear(w: ArrayLike<number>, c: number): { score: PatchScore; calls: number[] } {
  const calls: number[] = [];
  const score: PatchScore = async (patches, count) => {
    calls.push(count);
    const size = w.length;
    return Float32Array.from({ length: count }, (_, b) => {
      let sum = c;
      for (let i = 0; i < size; i++) sum += w[i] * patches[b * size + i];
      return sum;
    });
  };
  return { score, calls };
}

/** A seeded uniform array in [low, high). */
function uniform(length: number, seed: number, low: number, high: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length }, () => low + (high - low) * random());
}

/** A seeded random permutation of 0 … n − 1 as "attribution" values (Fisher–Yates). */
function randomOrder(n: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return Float32Array.from(order);
}

describe('deletionInsertion on a 2 × 2 linear model, by hand', () => {
  // x = 1 everywhere, r = 0, W = [4, 3, 2, 1], c = 0: f(x) = 10, f(r) = 0, and the cell contributions W ⊙ (x − r) are 4, 3, 2, 1.
  const patch = { values: new Float32Array([1, 1, 1, 1]), frames: 2, bands: 2 };
  const reference = new Float32Array(4);
  const { score } = linear([4, 3, 2, 1], 0);

  it('gives the curves and areas computed by hand, 4 intervals', async () => {
    const result = await deletionInsertion(score, patch, [4, 3, 2, 1], reference, { intervals: 4 });
    expect(Array.from(result.cells)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(result.fractions)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(result.deletion)).toEqual([10, 6, 3, 1, 0]); // 10 − 4, − 3, − 2, − 1
    expect(Array.from(result.insertion)).toEqual([0, 4, 7, 9, 10]);
    expect(result).toMatchObject({ scoreAtInput: 10, scoreAtReference: 0, skipped: null, evaluations: 8, modelCalls: 1 });
    // ¼ (½·1 + 0.6 + 0.3 + 0.1 + ½·0) = 0.375; ¼ (½·0 + 0.4 + 0.7 + 0.9 + ½·1) = 0.625 (exact up to float64 rounding).
    expect(result.deletionAuc).toBeCloseTo(0.375, 14);
    expect(result.insertionAuc).toBeCloseTo(0.625, 14);
    expect(result.deletionCurve).toEqual([1, 0.6, 0.3, 0.1, 0]);
    expect(result.insertionCurve).toEqual([0, 0.4, 0.7, 0.9, 1]);
  });

  it('rounds k·N/n to whole cells (halves up) and integrates over the cells actually moved', async () => {
    // n = 3: 4k/3 = 0, 1.33, 2.67, 4 → 0, 1, 3, 4 cells; deletion 10, 6, 1, 0.
    const three = await deletionInsertion(score, patch, [4, 3, 2, 1], reference, { intervals: 3 });
    expect(Array.from(three.cells)).toEqual([0, 1, 3, 4]);
    expect(Array.from(three.deletion)).toEqual([10, 6, 1, 0]);
    // ¼·(1 + 0.6)/2 + ½·(0.6 + 0.1)/2 + ¼·(0.1 + 0)/2 = 0.2 + 0.175 + 0.0125 = 0.3875.
    expect(three.deletionAuc).toBeCloseTo(0.3875, 14);
    // A 1 × 6 patch with n = 4: 6k/4 = 0, 1.5, 3, 4.5, 6 → 0, 2, 3, 5, 6 (halves up).
    const six = { values: new Float32Array(6).fill(1), frames: 1, bands: 6 };
    const halves = await deletionInsertion(linear([1, 1, 1, 1, 1, 1], 0).score, six, [6, 5, 4, 3, 2, 1], new Float32Array(6), { intervals: 4 });
    expect(Array.from(halves.cells)).toEqual([0, 2, 3, 5, 6]);
    expect(Array.from(halves.fractions)).toEqual([0, 2 / 6, 3 / 6, 5 / 6, 1]);
    // The first draft's option name means the same.
    expect(Array.from((await deletionInsertion(score, patch, [4, 3, 2, 1], reference, { fractions: 3 })).cells)).toEqual([0, 1, 3, 4]);
  });

  it('ranks by value, largest first, ties by cell index; the sign does not matter, only the order', async () => {
    expect(Array.from(rankCells([0, 2, 2, -1, 2]))).toEqual([1, 2, 4, 0, 3]);
    // All equal: cells go in index order 0, 1, 2, 3 (contributions 4, 3, 2, 1), the same as the exact order here.
    const tied = await deletionInsertion(score, patch, [0, 0, 0, 0], reference, { intervals: 4 });
    expect(Array.from(tied.deletion)).toEqual([10, 6, 3, 1, 0]);
    // A monotone map of the exact attribution (negative throughout) gives the same curves.
    const shifted = await deletionInsertion(score, patch, [-1, -2, -3, -4], reference, { intervals: 4 });
    expect(Array.from(shifted.deletion)).toEqual([10, 6, 3, 1, 0]);
    const reversed = await deletionInsertion(score, patch, [1, 2, 3, 4], reference, { intervals: 4 });
    expect(Array.from(reversed.deletion)).toEqual([10, 9, 7, 4, 0]);
  });
});

describe('deletionInsertion on a 12 × 8 linear model', () => {
  const [frames, bands] = [12, 8];
  const size = frames * bands;
  const x = uniform(size, 1, -6, 2);
  const r = uniform(size, 2, -7, -5);
  const w = uniform(size, 3, -1, 1);
  // Exact importance: each cell's contribution W ⊙ (x − r) to f(x) − f(r). c keeps f(x) well above 0.
  const exact = Float32Array.from(w, (wi, i) => wi * (x[i] - r[i]));
  let c = 0;
  for (let i = 0; i < size; i++) c -= w[i] * x[i];
  c += 5; // f(x) = 5
  const { score } = linear(w, c);
  const patch = { values: x, frames, bands };
  const run = (attribution: ArrayLike<number>, options = {}): Promise<CurvePair> => deletionInsertion(score, patch, attribution, r, options);

  it('ranks the exact order best and the reversed order worst against 20 seeded random orders, on both curves', async () => {
    const best = await run(exact);
    const worst = await run(exact.map((v) => -v));
    expect(best.scoreAtInput).toBeCloseTo(5, 4); // float32 inputs, float64 sums
    for (let seed = 0; seed < 20; seed++) {
      const random = await run(randomOrder(size, 100 + seed));
      // Greedy is optimal for a linear model: the top-m contributions have the largest sum at every m, so the
      // orderings are strict (random orders tie the extremes with probability 0).
      expect(best.deletionAuc!).toBeLessThan(random.deletionAuc!);
      expect(random.deletionAuc!).toBeLessThan(worst.deletionAuc!);
      expect(best.insertionAuc!).toBeGreaterThan(random.insertionAuc!);
      expect(random.insertionAuc!).toBeGreaterThan(worst.insertionAuc!);
    }
    // Pointwise too: the exact deletion curve lies on or below every other order's at every point.
    const random = await run(randomOrder(size, 7));
    for (let k = 0; k < best.deletion.length; k++) {
      expect(best.deletion[k]).toBeLessThanOrEqual(random.deletion[k] + 1e-9);
      expect(worst.deletion[k]).toBeGreaterThanOrEqual(random.deletion[k] - 1e-9);
    }
  });

  it('`ends` spacing puts the points at N(1 − cos(πk/n))/2 and estimates the fine-grid area better than equal steps', async () => {
    const ends = await run(exact, { intervals: 8, spacing: 'ends' });
    expect(Array.from(ends.cells)).toEqual([0, 4, 14, 30, 48, 66, 82, 92, 96]); // round(96 (1 − cos(πk/8)) / 2)
    const fine = await run(exact, { intervals: size }); // every cell: the exact piecewise-linear area
    const coarse = await run(exact, { intervals: 8 });
    for (const key of ['deletionAuc', 'insertionAuc'] as const) {
      expect(Math.abs(ends[key]! - fine[key]!)).toBeLessThan(Math.abs(coarse[key]! - fine[key]!));
    }
    await expect(run(exact, { spacing: 'log' })).rejects.toThrow(/spacing/);
  });

  it('matches the closed form f(x) − Σ of the top-m contributions at every point', async () => {
    const result = await run(exact);
    const order = rankCells(exact);
    for (let k = 0; k < result.cells.length; k++) {
      let removed = 0;
      for (let j = 0; j < result.cells[k]; j++) removed += exact[order[j]];
      // Tolerance: the model sums float32 patches in float64; the contributions here are float32 products (~1e-6 each).
      expect(result.deletion[k]).toBeCloseTo(result.scoreAtInput - removed, 4);
      expect(result.insertion[k]).toBeCloseTo(result.scoreAtReference + removed, 4);
    }
  });

  it('deleting in reversed order is inserting in the original order, read backwards (q ↔ 1 − q)', async () => {
    // Removing the bottom q·N cells keeps the top (1 − q)·N of x over the reference: insertion at 1 − q. n = 16 divides
    // N = 96, so the cell counts are symmetric; both sides build the very same patches, so the scores are identical.
    const order = await run(exact);
    const reversed = await run(exact.map((v) => -v));
    expect(Array.from(reversed.deletion)).toEqual(Array.from(order.insertion).reverse());
    expect(reversed.deletionAuc).toBeCloseTo(order.insertionAuc!, 14);
  });

  it('gives the same results at any batch size, in ceil(2n / batchSize) calls of at most batchSize patches', async () => {
    const reference = await run(exact, { intervals: 16, batchSize: 32 });
    for (const batchSize of [1, 3, 5, 7, 31, 32, 100]) {
      const counted = linear(w, c);
      const result = await deletionInsertion(counted.score, patch, exact, r, { intervals: 16, batchSize });
      expect(Array.from(result.deletion)).toEqual(Array.from(reference.deletion));
      expect(Array.from(result.insertion)).toEqual(Array.from(reference.insertion));
      expect(counted.calls.length).toBe(Math.ceil(32 / batchSize));
      expect(result.modelCalls).toBe(counted.calls.length);
      expect(Math.max(...counted.calls)).toBeLessThanOrEqual(batchSize);
      expect(counted.calls.reduce((s, v) => s + v, 0)).toBe(32);
    }
    const fine = linear(w, c);
    expect((await deletionInsertion(fine.score, patch, exact, r, { intervals: 96, batchSize: 10 })).evaluations).toBe(192);
    expect(fine.calls.length).toBe(20);
  });

  it('skips the areas (null, with a reason) when f(x) ≤ 1e-6, and keeps the curves finite', async () => {
    const flat = linear(new Float32Array(size), 0); // f = 0 everywhere
    const result = await deletionInsertion(flat.score, patch, exact, r);
    expect(result.deletionAuc).toBeNull();
    expect(result.insertionAuc).toBeNull();
    expect(result.skipped).toMatch(/f\(x\) = 0 ≤ 0.000001/);
    expect(result.deletionCurve).toEqual([]);
    expect(Array.from(result.deletion).every(Number.isFinite)).toBe(true);
    // Just above the threshold the areas are back.
    const tiny = linear(new Float32Array(size), 2 * MIN_SCORE_AT_INPUT);
    expect((await deletionInsertion(tiny.score, patch, exact, r)).deletionAuc).toBeCloseTo(1, 6);
  });

  it('refuses wrong shapes, non-finite entries, bad options and a misbehaving score', async () => {
    await expect(run(exact.subarray(1))).rejects.toThrow(ShapeError);
    await expect(deletionInsertion(score, patch, exact, r.subarray(1))).rejects.toThrow(/reference shape \[12,8\], got \[95\]/);
    const withNaN = Float32Array.from(exact);
    withNaN[5] = Number.NaN;
    await expect(run(withNaN)).rejects.toThrow(/`attribution` option to be finite numbers only, got `NaN`/);
    await expect(run(exact, { intervals: 0 })).rejects.toThrow(OptionError);
    await expect(run(exact, { intervals: size + 1 })).rejects.toThrow(/`intervals` option to be an integer in \[1, 96\]/);
    await expect(run(exact, { intervals: 8, fractions: 4 })).rejects.toThrow(OptionError);
    await expect(run(exact, { batchSize: 1.5 })).rejects.toThrow(/`batchSize` option to be an integer ≥ 1/);
    const short: PatchScore = async (_p, count) => new Float32Array(count - 1);
    await expect(deletionInsertion(short, patch, exact, r)).rejects.toThrow(ModelError);
    const nan: PatchScore = async (_p, count) => new Float32Array(count).fill(Number.NaN);
    await expect(deletionInsertion(nan, patch, exact, r)).rejects.toThrow(/not finite/);
  });
});

describe('classScore', () => {
  it("gives one class's sigmoid score or logit per patch from a model's logits", async () => {
    // Three classes; patch b's logits are [b, −b, 2b] (computed from its first value, which is b).
    const model = {
      logitsOf: async (patches: Float32Array, count: number) => Float32Array.from({ length: 3 * count }, (_, i) => [1, -1, 2][i % 3] * patches[Math.floor(i / 3) * 4]),
    };
    const patches = Float32Array.from({ length: 12 }, (_, i) => Math.floor(i / 4)); // 3 patches of 4 cells: 0, 1, 2
    expect(Array.from(await classScore(model, 2, 'logit')(patches, 3))).toEqual([0, 2, 4]);
    const scores = await classScore(model, 1)(patches, 3);
    [0, -1, -2].forEach((z, b) => expect(scores[b]).toBeCloseTo(1 / (1 + Math.exp(-z)), 7)); // float32
    await expect(classScore(model, 3)(patches, 3)).rejects.toThrow(ShapeError);
    expect(() => classScore(model, -1)).toThrow(OptionError);
  });
});

describe('references', () => {
  it('silence is −6.9078 everywhere; blur is the { blurred: {} } baseline (σ = 96 frames, 64 bands, reflect)', () => {
    const [frames, bands] = [96, 64];
    const values = uniform(frames * bands, 4, -6, 2);
    const { silence, blur } = references({ values, frames, bands });
    expect(silence.every((v) => v === Math.fround(SILENCE_LOG_MEL))).toBe(true);
    expect(Array.from(blur)).toEqual(Array.from(baselineValues({ blurred: {} }, { values, frames, bands })));
  });

  it('blur scales the slowest time mode by exp(σ²μ₁/2) with σ = 96 and μ₁ = −4 sin²(π/192), and keeps the mean', () => {
    // The reflect boundary's eigenvectors are DCT-II modes; cos(π(t + ½)/96) along time is the slowest non-constant one.
    const [frames, bands] = [96, 64];
    const mean = -3;
    const values = Float32Array.from({ length: frames * bands }, (_, i) => mean + Math.cos((Math.PI * (Math.floor(i / bands) + 0.5)) / frames));
    const { blur } = references({ values, frames, bands });
    const gain = Math.exp((96 ** 2 * -4 * Math.sin(Math.PI / 192) ** 2) / 2); // ≈ exp(−π²/2) = 0.0072
    expect(gain).toBeCloseTo(Math.exp(-(Math.PI ** 2) / 2), 4);
    for (const i of [0, 1000, 3000, frames * bands - 1]) {
      // Tolerance: float32 rounding of the result (|v| ≈ 3, ulp 2.4e-7).
      expect(blur[i]).toBeCloseTo(mean + gain * (values[i] - mean), 6);
    }
    // The same along frequency with σ = 64: the slowest band mode keeps exp(64² · −4 sin²(π/128) / 2).
    const alongBands = Float32Array.from({ length: frames * bands }, (_, i) => Math.cos((Math.PI * ((i % bands) + 0.5)) / bands));
    const gainBands = Math.exp((64 ** 2 * -4 * Math.sin(Math.PI / 128) ** 2) / 2);
    const blurred = references({ values: alongBands, frames, bands }).blur;
    expect(blurred[5]).toBeCloseTo(gainBands * alongBands[5], 6);
  });

  it('refuses a patch whose values do not match its shape, or hold NaN', () => {
    expect(() => references({ values: new Float32Array(5), frames: 2, bands: 3 })).toThrow(ShapeError);
    expect(() => references({ values: new Float32Array([0, Number.NaN]), frames: 1, bands: 2 })).toThrow(OptionError);
  });
});
