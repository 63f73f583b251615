// Grad-CAM (Selvaraju et al., ICCV 2017): a conv layer's feature maps weighted by their mean gradient, upsampled to the patch.
import { BlurigError, ModelError, OptionError, ShapeError } from '../errors/index.js';
import type { AttributionResult, ClassifierModel, FeatureMapGradients, GradCamOptions, PatchInput } from '../types.js';
import { YAMNET_FRONT_END } from '../types.js';
import { patchValues } from './explainedFunction.js';
import { attributionResult } from './result.js';
import { choiceOption } from './validate.js';

/** [frames, bands] every {@link ClassifierModel} reads. */
const PATCH = [YAMNET_FRONT_END.patchFrames, YAMNET_FRONT_END.melBands] as const;

/**
 * Grad-CAM of classes `classIndices` at patch `x` [96 × 64]: per class k, α_{k,c} = mean over the feature map's cells
 * (h, w) of ∂F_k/∂A_c, the map ReLU(Σ_c α_{k,c} A_c) [h × w], upsampled bilinearly to [96 × 64] (see
 * {@link upsampleBilinear}). Method `grad-cam`, one output per class in the given order.
 *
 * Not a path method and no baseline: `completeness.fInput` is F_k(x), `fBaseline`, `absError` and `relError` are NaN,
 * and `attributionSum` is the map's sum (a relevance mass, not a share of F). `evaluations` is the number of classes
 * (one gradient each) and `modelCalls` 1: the model's `featureMaps` runs the network once for all of them. A model
 * without `featureMaps` (the onnx engine, the student) is an OptionError saying what runs it instead.
 */
export async function gradCam(
  model: Pick<ClassifierModel, 'featureMaps' | 'classNames'>,
  x: PatchInput,
  classIndices: readonly number[],
  options: GradCamOptions = {},
): Promise<AttributionResult> {
  const output = choiceOption('output', options.output, ['score', 'logit'], 'score');
  if (model.featureMaps === undefined) throw noFeatureMaps(model);
  const patch = patchValues(x);
  if (patch.frames !== PATCH[0] || patch.bands !== PATCH[1]) throw new ShapeError('input patch', PATCH, [patch.frames, patch.bands]);
  const classes = model.classNames.length;
  if (!Array.isArray(classIndices) || classIndices.length === 0 || !classIndices.every((c) => Number.isInteger(c) && c >= 0 && c < classes)) {
    throw new OptionError('classIndices', `a non-empty list of class indices, integers in 0…${classes - 1}`, classIndices);
  }
  const found = await model.featureMaps(patch.values, classIndices, output);
  checkFeatureMaps(found, classIndices.length);
  const attributions = gradCamMaps(found).map((map) => upsampleBilinear(map, found.height, found.width, patch.frames, patch.bands));
  return attributionResult({
    method: 'grad-cam',
    patch,
    attributions,
    fInput: found.values,
    fBaseline: new Float64Array(classIndices.length).fill(NaN),
    steps: 1,
    evaluations: classIndices.length,
    modelCalls: 1,
  });
}

/** Per explained output k, ReLU(Σ_c α_{k,c} A_c) as a row-major [height × width] map, α_{k,c} = mean_{h,w} ∂F_k/∂A_{h,w,c}. */
export function gradCamMaps(found: FeatureMapGradients): Float64Array[] {
  const { height, width, channels, maps } = found;
  const cells = height * width;
  return found.gradients.map((gradient) => {
    const alpha = new Float64Array(channels);
    for (let cell = 0; cell < cells; cell++) for (let c = 0; c < channels; c++) alpha[c] += gradient[cell * channels + c] / cells;
    const map = new Float64Array(cells);
    for (let cell = 0; cell < cells; cell++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += alpha[c] * maps[cell * channels + c];
      map[cell] = Math.max(sum, 0);
    }
    return map;
  });
}

/**
 * Bilinear upsampling of a row-major [height × width] map to [rows × columns], cell centres aligned: output row t
 * reads the map at u = (t + ½)·height/rows − ½ (cell i's centre, u = i, sits at row (i + ½)·rows/height − ½, e.g.
 * frames 15.5, 47.5 and 79.5 for YAMNet's 3 time cells), clamped to [0, height − 1], so rows outside the outer
 * centres repeat the edge cells; columns likewise. Weights are convex, so a non-negative map stays non-negative.
 * The centres are a layout convention, not receptive fields: each of YAMNet's 3 × 2 cells sees nearly the whole
 * patch (on the speech fixture, the centroids of |∂ΣA_cell/∂x| sit at frames 39.8, 47.5, 51.0 and bands 34.0, 30.6).
 */
export function upsampleBilinear(map: ArrayLike<number>, height: number, width: number, rows: number, columns: number): Float64Array {
  const [r, c] = [linearWeights(height, rows), linearWeights(width, columns)];
  // Along frequency first ([height × columns]), then along time: separable, 2 multiply-adds per value and pass.
  const wide = new Float64Array(height * columns);
  for (let i = 0; i < height; i++) {
    for (let f = 0; f < columns; f++) wide[i * columns + f] = map[i * width + c.low[f]] * (1 - c.frac[f]) + map[i * width + c.high[f]] * c.frac[f];
  }
  const result = new Float64Array(rows * columns);
  for (let t = 0; t < rows; t++) {
    const [low, high, frac] = [r.low[t] * columns, r.high[t] * columns, r.frac[t]];
    for (let f = 0; f < columns; f++) result[t * columns + f] = wide[low + f] * (1 - frac) + wide[high + f] * frac;
  }
  return result;
}

/** For each of `out` output positions, the two input cells it reads and the weight of the second (centres aligned, clamped). */
function linearWeights(size: number, out: number): { low: Int32Array; high: Int32Array; frac: Float64Array } {
  const [low, high, frac] = [new Int32Array(out), new Int32Array(out), new Float64Array(out)];
  for (let t = 0; t < out; t++) {
    const u = Math.min(Math.max(((t + 0.5) * size) / out - 0.5, 0), size - 1);
    low[t] = Math.floor(u);
    high[t] = Math.min(low[t] + 1, size - 1);
    frac[t] = u - low[t];
  }
  return { low, high, frac };
}

/** The error a model without feature maps deserves: which engine or model lacks them and what gives them. */
function noFeatureMaps(model: Pick<ClassifierModel, 'classNames'> & Partial<ClassifierModel>): BlurigError {
  if (model.engine === 'onnx') {
    return new OptionError('engine', "`tfjs` for Grad-CAM (`--engine tfjs`; the onnx engine does not expose YAMNet's feature maps)", 'onnx');
  }
  return new OptionError('model', 'a YAMNet .tflite file for Grad-CAM (this model gives no convolutional feature maps; get YAMNet with `blurig model pull`)', model.name ?? 'a model without feature maps');
}

/** The record's sizes agree with its dimensions and the class count, and every number is finite. */
function checkFeatureMaps(found: FeatureMapGradients, count: number): void {
  const size = found.height * found.width * found.channels;
  if (!(size > 0) || found.maps.length !== size) throw new ShapeError('feature maps', [found.height, found.width, found.channels], [found.maps.length]);
  if (found.gradients.length !== count || found.values.length !== count) throw new ShapeError('feature map gradients', [count], [found.gradients.length]);
  for (const g of found.gradients) if (g.length !== size) throw new ShapeError('feature map gradient', [found.height, found.width, found.channels], [g.length]);
  const finite = (a: ArrayLike<number>): boolean => {
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
    return true;
  };
  if (!finite(found.maps) || !found.gradients.every(finite) || !finite(found.values)) {
    throw new ModelError(`The model's feature maps at layer ${found.layer} are not finite; the model file may be corrupt, fetch it again`);
  }
}
