// Distillation: trains the student on (patch, teacher scores) pairs with onnxruntime running the step graph, Adam in JS.
import { importOnnxRuntime } from '../../src/engine/onnx/onnxYamnet.js';
import { layerShapes, type StudentArchitecture, type StudentWeights } from '../../src/model/student/network.js';
import { PATCH_VALUES } from './dataset.js';
import { Random } from './random.js';
import { trainingGraph } from './trainGraph.js';

/** Options of {@link train}; every field is recorded in the model card. */
export interface TrainOptions {
  readonly architecture: StudentArchitecture;
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Peak Adam step size (after a linear warm-up over the first 3 % of steps, then a cosine decay to 5 % of it). */
  readonly learningRate: number;
  /** Extra loss weight on each patch's teacher top-3 classes: cell weight 1 + topWeight there. */
  readonly topWeight: number;
  /** onnxruntime intra-op threads. */
  readonly threads: number;
  /**
   * Weight and temperature of the extra softmax distillation term on the class ranking (weight 0: none), over each
   * patch's teacher top `topClasses` classes (0: all classes).
   */
  readonly softmax: { readonly weight: number; readonly temperature: number; readonly topClasses: number };
  /** Largest global gradient norm of a step (larger ones are scaled down to it): damps the odd batch whose gradient is several times the usual. */
  readonly clipNorm: number;
}

interface OrtTensor {
  readonly data: unknown;
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** Per-band mean and standard deviation of the training patches: the student's fixed input normalisation. */
export function bandStatistics(patches: Float32Array, count: number): { mean: Float32Array; std: Float32Array } {
  const sum = new Float64Array(64);
  const squares = new Float64Array(64);
  for (let i = 0; i < count * 96; i++) {
    for (let f = 0; f < 64; f++) {
      const v = patches[i * 64 + f];
      sum[f] += v;
      squares[f] += v * v;
    }
  }
  const n = count * 96;
  const mean = Float32Array.from(sum, (s) => s / n);
  const std = Float32Array.from(squares, (q, f) => Math.sqrt(Math.max(q / n - mean[f] ** 2, 1e-4)));
  return { mean, std };
}

/** He-uniform kernels and zero biases from `seed`. */
export function initialWeights(architecture: StudentArchitecture, seed: number, mean: Float32Array, std: Float32Array): StudentWeights {
  const rng = new Random(seed);
  const layers = layerShapes(architecture).map(([inputs, outputs]) => {
    const limit = Math.sqrt(6 / inputs);
    return { kernel: Float32Array.from({ length: inputs * outputs }, () => rng.uniform(-limit, limit)), bias: new Float32Array(outputs) };
  });
  return { architecture, mean, std, layers };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Mask value of a class left out of the softmax term: e^(−1e4) is 0 in float32, and no NaN arises from it. */
const LEFT_OUT = -1e4;

/**
 * The softmax term's targets: softmax(t/T) over each patch's teacher top `topClasses` classes (all if 0), and the
 * mask that keeps the student's softmax to the same classes (0 inside, {@link LEFT_OUT} outside).
 */
export function softmaxTargets(teacherLogits: Float32Array, count: number, classes: number, softmax: TrainOptions['softmax']): { teacherSoftmax: Float32Array; softmaxMask: Float32Array } {
  const teacherSoftmax = new Float32Array(count * classes);
  const softmaxMask = new Float32Array(count * classes);
  for (let p = 0; p < count; p++) {
    const row = teacherLogits.subarray(p * classes, (p + 1) * classes);
    const kept = softmax.topClasses > 0 ? Array.from(row.keys()).sort((a, b) => row[b] - row[a]).slice(0, softmax.topClasses) : Array.from(row.keys());
    if (softmax.topClasses > 0) softmaxMask.fill(LEFT_OUT, p * classes, (p + 1) * classes);
    const max = Math.max(...kept.map((c) => row[c]));
    let total = 0;
    for (const c of kept) {
      softmaxMask[p * classes + c] = 0;
      total += teacherSoftmax[p * classes + c] = Math.exp((row[c] - max) / softmax.temperature);
    }
    for (const c of kept) teacherSoftmax[p * classes + c] /= total;
  }
  return { teacherSoftmax, softmaxMask };
}

/**
 * Trains from `initial` on `count` patches and their teacher logits; `onEpoch` is told the mean loss of each epoch.
 * Returns the trained weights (the initial arrays are updated in place).
 */
export async function train(
  initial: StudentWeights,
  patches: Float32Array,
  teacherLogits: Float32Array,
  count: number,
  options: TrainOptions,
  onEpoch: (epoch: number, loss: number, seconds: number, meanGradientNorm: number) => void,
): Promise<StudentWeights> {
  const ort = (await importOnnxRuntime()) as unknown as {
    InferenceSession: { create(model: Uint8Array, options: object): Promise<OrtSession> };
    Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  };
  const { architecture, batchSize } = options;
  const classes = architecture.classes;
  const session = await ort.InferenceSession.create(trainingGraph(architecture, initial.mean, initial.std, options.softmax), { intraOpNumThreads: options.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' });
  const shapes = layerShapes(architecture);
  const params = initial.layers.flatMap((l, i) => [
    { name: `k${i}`, values: l.kernel, dims: shapes[i] },
    { name: `b${i}`, values: l.bias, dims: [shapes[i][1]] },
  ]);
  const moments = params.map((p) => ({ m: new Float32Array(p.values.length), v: new Float32Array(p.values.length) }));
  const targets = Float32Array.from(teacherLogits, sigmoid);
  const weightsOfPatch = new Float32Array(count * classes);
  for (let p = 0; p < count; p++) {
    const row = targets.subarray(p * classes, (p + 1) * classes);
    const top = Array.from(row.keys()).sort((a, b) => row[b] - row[a]).slice(0, 3);
    weightsOfPatch.fill(1, p * classes, (p + 1) * classes);
    for (const c of top) weightsOfPatch[p * classes + c] += options.topWeight;
  }
  const { teacherSoftmax, softmaxMask } = softmaxTargets(teacherLogits, count, classes, options.softmax);
  const batchSoftmax = new Float32Array(batchSize * classes);
  const batchMask = new Float32Array(batchSize * classes);
  const batchScale = new ort.Tensor('float32', Float32Array.of(1 / batchSize), [1]);
  const rng = new Random(options.seed ^ 0x5bd1e995);
  const order = Array.from({ length: count }, (_u, i) => i);
  const stepsPerEpoch = Math.floor(count / batchSize);
  const totalSteps = stepsPerEpoch * options.epochs;
  const warmup = Math.max(1, Math.round(0.03 * totalSteps));
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  const batchPatches = new Float32Array(batchSize * PATCH_VALUES);
  const batchTargets = new Float32Array(batchSize * classes);
  const batchWeights = new Float32Array(batchSize * classes);
  let step = 0;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const started = Date.now();
      rng.shuffle(order);
      let lossSum = 0;
      let normSum = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        for (let b = 0; b < batchSize; b++) {
          const p = order[s * batchSize + b];
          batchPatches.set(patches.subarray(p * PATCH_VALUES, (p + 1) * PATCH_VALUES), b * PATCH_VALUES);
          batchTargets.set(targets.subarray(p * classes, (p + 1) * classes), b * classes);
          batchSoftmax.set(teacherSoftmax.subarray(p * classes, (p + 1) * classes), b * classes);
          batchMask.set(softmaxMask.subarray(p * classes, (p + 1) * classes), b * classes);
          for (let c = 0; c < classes; c++) batchWeights[b * classes + c] = weightsOfPatch[p * classes + c] / batchSize;
        }
        const feeds: Record<string, OrtTensor> = {
          patches: new ort.Tensor('float32', batchPatches, [batchSize, 96, 64]),
          targets: new ort.Tensor('float32', batchTargets, [batchSize, classes]),
          lossWeights: new ort.Tensor('float32', batchWeights, [batchSize, classes]),
          teacherSoftmax: new ort.Tensor('float32', batchSoftmax, [batchSize, classes]),
          softmaxMask: new ort.Tensor('float32', batchMask, [batchSize, classes]),
          batchScale,
        };
        for (const p of params) feeds[p.name] = new ort.Tensor('float32', p.values, p.dims);
        const out = await session.run(feeds);
        lossSum += (out.loss.data as Float32Array)[0];
        step++;
        const progress = (step - warmup) / Math.max(1, totalSteps - warmup);
        const rate = step <= warmup ? (options.learningRate * step) / warmup : options.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
        const correction1 = 1 - beta1 ** step;
        const correction2 = 1 - beta2 ** step;
        const grads = params.map((p) => out[`d${p.name}`].data as Float32Array);
        let squares = 0;
        for (const grad of grads) for (const g of grad) squares += g * g;
        const norm = Math.sqrt(squares);
        normSum += norm;
        const scale = norm > options.clipNorm ? options.clipNorm / norm : 1;
        params.forEach((p, j) => {
          const grad = grads[j];
          const { m, v } = moments[j];
          for (let k = 0; k < grad.length; k++) {
            const g = grad[k] * scale;
            m[k] = beta1 * m[k] + (1 - beta1) * g;
            v[k] = beta2 * v[k] + (1 - beta2) * g * g;
            p.values[k] -= (rate * (m[k] / correction1)) / (Math.sqrt(v[k] / correction2) + epsilon);
          }
        });
      }
      onEpoch(epoch, lossSum / stepsPerEpoch, (Date.now() - started) / 1000, normSum / stepsPerEpoch);
    }
  } finally {
    await session.release();
  }
  return initial;
}
