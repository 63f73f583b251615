// The student's training step as one ONNX graph (forward, distillation loss and every weight gradient), for onnxruntime.
import { OnnxGraphBuilder } from '../../src/engine/onnx/graphBuilder.js';
import { encodeOnnxModel } from '../../src/engine/onnx/onnxProto.js';
import { denseFrames, framesPerLayer, layerShapes, type StudentArchitecture } from '../../src/model/student/network.js';

const FLOAT = 1;

/**
 * Inputs: `patches` [B, 96, 64] (raw log-mel), `targets` [B, C] (teacher sigmoid scores), `lossWeights` [B, C]
 * (per-cell weights, already divided by B), `teacherSoftmax` and `softmaxMask` [B, C], `batchScale` [1] (see the
 * softmax term below), and every weight `k{i}` [in, out], `b{i}` [out]. Outputs: `loss` (a
 * scalar: Σ w·(softplus(z) − t·z)), `logits` [B, C], and `dk{i}`, `db{i}`. The backward pass is written out by hand:
 * the same function as src/model/student/network.ts, so its gradients are checked against tfjs in the tests' spirit.
 */
export function trainingGraph(architecture: StudentArchitecture, mean: Float32Array, std: Float32Array, softmax: { weight: number; temperature: number } = { weight: 0, temperature: 1 }): Uint8Array {
  const g = new OnnxGraphBuilder();
  const [frames, bands] = architecture.inputShape;
  const layerFrames = framesPerLayer(architecture);
  const shapes = layerShapes(architecture);
  const frameLayers = architecture.layers.length;
  const hiddenLast = architecture.layers[frameLayers - 1].width;
  const pooledFrames = layerFrames[frameLayers];
  const axes = (...a: number[]): string => g.int64s(a);
  const relu = (x: string): string => g.op('Relu', [x]);
  const positive = (x: string): string => g.op('Cast', [g.op('Greater', [x, g.scalar(0)])], { to: FLOAT });
  const transpose = (x: string): string => g.op('Transpose', [x], { perm: [1, 0] });
  // The gradient of layer i's time averaging: each pooled frame's gradient / p to its p frames, 0 on the remainder.
  const unpool = (dPooled: string, i: number, width: number): string => {
    const pool = architecture.layers[i].poolFrames ?? 1;
    if (pool === 1) return dPooled;
    const [kept, out] = [layerFrames[i + 1], denseFrames(architecture.layers[i], layerFrames[i])];
    const spread = g.op('Reshape', [g.op('Tile', [g.op('Unsqueeze', [g.op('Mul', [dPooled, g.scalar(1 / pool)]), axes(2)]), axes(1, 1, pool, 1)]), axes(-1, kept * pool, width)]); // [B, T'/p·p, H]
    return kept * pool === out ? spread : g.op('Pad', [spread, axes(0, 0, 0, 0, out - kept * pool, 0)]); // [B, T', H]
  };

  const z = g.op('Mul', [g.op('Sub', ['patches', g.floats(mean, [bands], 'mean')]), g.floats(std.map((s) => 1 / s), [bands], 'inv_std')]); // [B, T, F]
  // Layer i: the frames t, t + d, …, t + (c − 1)·d of the layer below side by side ([B·T', c·D]), then dense + ReLU.
  const contexts: string[] = [];
  const activations: string[] = [];
  let below = z; // [B, T_i, D_i]
  // With poolFrames p > 1, the layer's output is the mean of each p frames of its activation (remainder dropped).
  architecture.layers.forEach((layer, i) => {
    const { contextFrames, dilationFrames, width } = layer;
    const out = denseFrames(layer, layerFrames[i]);
    const pool = layer.poolFrames ?? 1;
    const depth = shapes[i][0] / contextFrames;
    const slices = Array.from({ length: contextFrames }, (_unused, k) => g.op('Slice', [below, axes(k * dilationFrames), axes(k * dilationFrames + out), axes(1)])); // [B, T', D]
    const context = contextFrames === 1 ? g.op('Reshape', [below, axes(-1, depth)]) : g.op('Reshape', [g.op('Concat', slices, { axis: 2 }), axes(-1, contextFrames * depth)]); // [B·T', cD]
    const activation = relu(g.op('Add', [g.op('MatMul', [context, `k${i}`]), `b${i}`])); // [B·T', H]
    contexts.push(context);
    activations.push(activation);
    const frames = g.op('Reshape', [activation, axes(-1, out, width)]); // [B, T', H]
    const kept = layerFrames[i + 1];
    below = pool === 1 ? frames : g.op('ReduceMean', [g.op('Reshape', [g.op('Slice', [frames, axes(0), axes(kept * pool), axes(1)]), axes(-1, kept, pool, width)])], { axes: [2], keepdims: 0 }); // [B, T'/p, H]
  });
  const last = below; // [B, T_L, H]
  const meanPool = g.op('ReduceMean', [last], { axes: [1], keepdims: 0 }); // [B, H]
  const maxPool = g.op('ReduceMax', [last], { axes: [1], keepdims: 0 }); // [B, H]
  const pooled = g.op('Concat', [meanPool, maxPool], { axis: 1 }); // [B, 2H]
  const head = frameLayers;
  const logits = g.op('Add', [g.op('MatMul', [pooled, `k${head}`]), `b${head}`]); // [B, C]
  const cellLoss = g.op('Sub', [g.op('Softplus', [logits]), g.op('Mul', ['targets', logits])]);
  const bce = g.op('ReduceSum', [g.op('Mul', [cellLoss, 'lossWeights']), axes(0, 1)], { keepdims: 0 });
  g.rename(logits, 'logits');
  // Optional softmax distillation at temperature T on the class ranking: w·T²·CE(softmax(t/T), softmax(z/T)) / B,
  // with `teacherSoftmax` = softmax(t/T) and `batchScale` = 1/B fed in. `softmaxMask` (0, or −1e4 for classes left
  // out) restricts both softmaxes to some classes per patch, e.g. the teacher's top few, whose order decides top-1.
  const { weight, temperature } = softmax;
  const scaled = g.op('Add', [g.op('Mul', [logits, g.scalar(1 / temperature)]), 'softmaxMask']); // [B, C]
  const kd = g.op('Mul', [g.op('ReduceSum', [g.op('Mul', ['teacherSoftmax', g.op('LogSoftmax', [scaled], { axis: 1 })]), axes(0, 1)], { keepdims: 0 }), g.op('Mul', ['batchScale', g.scalar(-weight * temperature * temperature)])]);
  g.rename(g.op('Add', [bce, g.op('Reshape', [kd, axes()])]), 'loss');

  // Backward.
  const dBce = g.op('Mul', [g.op('Sub', [g.op('Sigmoid', [logits]), 'targets']), 'lossWeights']); // [B, C]
  const dKd = g.op('Mul', [g.op('Sub', [g.op('Softmax', [scaled], { axis: 1 }), 'teacherSoftmax']), g.op('Mul', ['batchScale', g.scalar(weight * temperature)])]); // [B, C]
  const dLogits = g.op('Add', [dBce, dKd]); // [B, C]
  g.rename(g.op('MatMul', [transpose(pooled), dLogits]), `dk${head}`);
  g.rename(g.op('ReduceSum', [dLogits, axes(0)], { keepdims: 0 }), `db${head}`);
  const dPooled = g.op('MatMul', [dLogits, transpose(`k${head}`)]); // [B, 2H]
  const dMean = g.op('Slice', [dPooled, axes(0), axes(hiddenLast), axes(1)]); // [B, H]
  const dMax = g.op('Slice', [dPooled, axes(hiddenLast), axes(2 * hiddenLast), axes(1)]); // [B, H]
  const isMax = g.op('Cast', [g.op('Equal', [last, g.op('Unsqueeze', [maxPool, axes(1)])])], { to: FLOAT }); // [B, T_L, H]
  const dLast = g.op('Add', [
    g.op('Unsqueeze', [g.op('Mul', [dMean, g.scalar(1 / pooledFrames)]), axes(1)]), // [B, 1, H]
    g.op('Mul', [isMax, g.op('Unsqueeze', [dMax, axes(1)])]), // [B, T_L, H]
  ]);
  let dOutput = dLast; // [B, T_{i+1}, H_i]: the gradient of layer i's output, pooled frames
  for (let i = frameLayers - 1; i >= 0; i--) {
    const { contextFrames, dilationFrames, width } = architecture.layers[i];
    const dActivation = g.op('Reshape', [unpool(dOutput, i, width), axes(-1, width)]); // [B·T', H_i]
    const dPre = g.op('Mul', [dActivation, positive(activations[i])]); // [B·T', H_i]
    g.rename(g.op('MatMul', [transpose(contexts[i]), dPre]), `dk${i}`);
    g.rename(g.op('ReduceSum', [dPre, axes(0)], { keepdims: 0 }), `db${i}`);
    if (i === 0) break;
    // Back to the layer below: context block k's gradient lands k·d frames later; blocks overlapping in time add up.
    const out = denseFrames(architecture.layers[i], layerFrames[i]);
    const depth = shapes[i][0] / contextFrames;
    const dContext = g.op('Reshape', [g.op('MatMul', [dPre, transpose(`k${i}`)]), axes(-1, out, contextFrames, depth)]); // [B, T', c, D]
    const span = (contextFrames - 1) * dilationFrames;
    const parts = Array.from({ length: contextFrames }, (_unused, k) => {
      const block = g.op('Squeeze', [g.op('Slice', [dContext, axes(k), axes(k + 1), axes(2)]), axes(2)]); // [B, T', D]
      return span === 0 ? block : g.op('Pad', [block, axes(0, k * dilationFrames, 0, 0, span - k * dilationFrames, 0)]); // [B, T_i, D]
    });
    dOutput = parts.length === 1 ? parts[0] : g.op('Sum', parts); // [B, T_i, D]
  }

  const weightInputs = shapes.flatMap(([inputs, outputs], i) => [
    { name: `k${i}`, shape: [inputs, outputs] },
    { name: `b${i}`, shape: [outputs] },
  ]);
  const graph = g.graph(
    'blurig-student-training',
    [{ name: 'patches', shape: ['batch', frames, bands] }, { name: 'targets', shape: ['batch', architecture.classes] }, { name: 'lossWeights', shape: ['batch', architecture.classes] }, { name: 'teacherSoftmax', shape: ['batch', architecture.classes] }, { name: 'softmaxMask', shape: ['batch', architecture.classes] }, { name: 'batchScale', shape: [1] }, ...weightInputs],
    [{ name: 'loss', shape: [] }, { name: 'logits', shape: ['batch', architecture.classes] }, ...weightInputs.map((w) => ({ name: `d${w.name}`, shape: w.shape }))],
  );
  return encodeOnnxModel(graph, 'blurig-audio student training');
}
