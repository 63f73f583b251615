// The weighted layers of a model, output side first, and seeded permutations of their weights for the cascading model
// randomisation test of Adebayo et al. (2018), "Sanity checks for saliency maps" (pure: records and arrays in, copies out).
//
// Adebayo et al. re-initialise a layer from its initialiser's distribution. Here a layer's weights are replaced by a
// seeded random permutation of its own values instead, the distribution-preserving variant: each layer keeps exactly
// its trained values, hence its weight distribution and norm, and YAMNet's int8 quantisation stays exact (no
// requantising, which a re-initialisation "with the same mean and std" would need, changing the distribution's shape
// too). Only the arrangement is destroyed: which input each weight reads, which channel it serves. Activations still
// change scale: YAMNet's trained ones are sparse, shuffled layers saturate ReLU6 more often, and once the last
// separable block is shuffled its largest |logit| grows from 25–66 to 800–2 200 on real patches.
import { mulberry32 } from '../attribution/random.js';
import { OptionError } from '../errors/index.js';
import type { StudentWeights } from './student/network.js';
import { BuiltinOperator, type TfliteModel, type TfliteQuantization, type TfliteTensor } from './tflite/index.js';
import { BYTES_PER_ELEMENT } from './validateTensor.js';

/** One weighted op of a TFLite graph: its layer name and the tensors holding its kernel and bias. */
export interface TfliteWeightLayer {
  readonly name: string;
  readonly opIndex: number;
  readonly kernel: number;
  readonly bias?: number;
}

/**
 * The ops with weights (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED), output side first, named as yamnet.py names
 * YAMNet's layers: the last dense layer `logits`, a depthwise conv and the 1×1 conv after it one block
 * (`layer14/pointwise`, `layer14/depthwise`), any other conv a block of its own (`layer1/conv`). The file's own tensor
 * names number each half of a separable conv as a layer (layer2 … layer27) and fuse several names into one, so the
 * names are derived from the op sequence instead. YAMNet: 28 layers, `logits` … `layer1/conv`.
 */
export function tfliteWeightLayers(model: TfliteModel): TfliteWeightLayer[] {
  const { operators, tensors } = model.subgraphs[0];
  const codeOf = (opcodeIndex: number): number => model.operatorCodes[opcodeIndex].builtinCode;
  const denseCount = operators.filter((op) => codeOf(op.opcodeIndex) === BuiltinOperator.FULLY_CONNECTED).length;
  const layers: TfliteWeightLayer[] = [];
  let [block, dense, afterDepthwise] = [0, 0, false];
  for (const op of operators) {
    const code = codeOf(op.opcodeIndex);
    const kernel = op.inputs[1];
    let name: string;
    if (code === BuiltinOperator.DEPTHWISE_CONV_2D) name = `layer${++block}/depthwise`;
    else if (code === BuiltinOperator.CONV_2D) {
      const [, height, width] = tensors[kernel].shape; // [out, h, w, in]
      name = afterDepthwise && height === 1 && width === 1 ? `layer${block}/pointwise` : `layer${++block}/conv`;
    } else if (code === BuiltinOperator.FULLY_CONNECTED) name = ++dense === denseCount ? 'logits' : `dense${dense}`;
    else continue;
    afterDepthwise = code === BuiltinOperator.DEPTHWISE_CONV_2D;
    const bias = op.inputs[2];
    layers.push({ name, opIndex: op.index, kernel, ...(bias === undefined || bias < 0 ? {} : { bias }) });
  }
  return layers.reverse();
}

/**
 * A copy of `model` whose first `topLayers` of `layers` (output side first) have permuted weights; the original is
 * untouched (permuted constants get new buffers, appended, so a buffer two tensors share is never changed under the
 * other). A kernel quantised per output channel is permuted as channels and within them: whole channels move (int8
 * values with their scale and zero point, and the bias entry with its scale, by the same channel permutation, so
 * bias scale = input scale · kernel scale still holds), then each channel's values are shuffled. A kernel with one
 * scale, or float values (the `logits` layer), is shuffled as a whole, and its bias by a permutation of its own.
 * Layer p's permutation depends on (seed, p) alone, so the same seed randomises the same layers the same way
 * whatever `topLayers` is: the cascade adds one layer at a time.
 */
export function randomiseTflite(model: TfliteModel, layers: readonly TfliteWeightLayer[], topLayers: number, seed: number): TfliteModel {
  checkRandomisation(topLayers, seed, layers.length);
  const subgraph = model.subgraphs[0];
  const tensors = [...subgraph.tensors];
  const buffers = [...model.buffers];
  const replace = (index: number, source: Uint32Array, order: Uint32Array | undefined): void => {
    const tensor = tensors[index];
    buffers.push(permuteBytes(model.buffers[tensor.buffer], source, BYTES_PER_ELEMENT[tensor.type]));
    tensors[index] = { ...tensor, buffer: buffers.length - 1, ...(order === undefined ? {} : { quantization: permuteQuantization(tensor.quantization!, order) }) };
  };
  layers.slice(0, topLayers).forEach((layer, position) => {
    const random = layerRandom(seed, position);
    const kernel = tensors[layer.kernel];
    const { channels, inner } = channelLayout(kernel);
    const order = shuffled(channels, random);
    replace(layer.kernel, channelPermutation(elementCount(kernel), channels, inner, order, random), channels > 1 ? order : undefined);
    if (layer.bias === undefined) return;
    const bias = tensors[layer.bias];
    const count = elementCount(bias);
    if (channels > 1 && count === channels) replace(layer.bias, order, bias.quantization !== undefined && bias.quantization.scale.length === channels ? order : undefined);
    else replace(layer.bias, shuffled(count, random), undefined);
  });
  return { ...model, buffers, subgraphs: [{ ...subgraph, tensors }, ...model.subgraphs.slice(1)] };
}

/** The student's weighted layers, output side first: the head `logits`, then the per-frame layers `layerN` … `layer0`. */
export function studentWeightLayers(weights: StudentWeights): string[] {
  return weights.layers.map((_layer, i) => (i === weights.layers.length - 1 ? 'logits' : `layer${i}`)).reverse();
}

/**
 * A copy of the student's weights whose top `topLayers` layers (output side first) have their kernel values and
 * their bias values each shuffled (float weights, no channels to keep), seeded per layer as {@link randomiseTflite}.
 */
export function randomiseStudent(weights: StudentWeights, topLayers: number, seed: number): StudentWeights {
  checkRandomisation(topLayers, seed, weights.layers.length);
  const last = weights.layers.length - 1;
  const layers = weights.layers.map((layer, i) => {
    if (last - i >= topLayers) return layer;
    const random = layerRandom(seed, last - i);
    const permute = (values: Float32Array): Float32Array => Float32Array.from(shuffled(values.length, random), (j) => values[j]);
    return { kernel: permute(layer.kernel), bias: permute(layer.bias) };
  });
  return { ...weights, layers };
}

/** The display name of a randomised copy. */
export function randomisedName(name: string, topLayers: number, layerCount: number, seed: number): string {
  return `${name}, top ${topLayers} of ${layerCount} weighted layers randomised (seed ${seed})`;
}

/** OptionErrors for a layer count outside 0 … `layerCount` or a seed that is not an integer. */
export function checkRandomisation(topLayers: number, seed: number, layerCount: number): void {
  if (!Number.isInteger(topLayers) || topLayers < 0 || topLayers > layerCount) {
    throw new OptionError('topLayers', `an integer from 0 to ${layerCount} (the model's weighted layers)`, topLayers);
  }
  if (!Number.isSafeInteger(seed)) throw new OptionError('seed', 'an integer', seed);
}

/** A seeded uniform stream for the layer at `position` (0: output side), independent of the other layers'. */
function layerRandom(seed: number, position: number): () => number {
  // One draw mixes seed and position, so neighbouring seeds or positions do not start shifted copies of one stream.
  return mulberry32(Math.floor(mulberry32((seed ^ Math.imul(position + 1, 0x9e3779b9)) >>> 0)() * 2 ** 32));
}

/** A uniformly random permutation of 0 … n − 1 (Fisher–Yates). */
export function shuffled(n: number, random: () => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * `source` with out[i] = in[source[i]] for `count` elements in `channels` channels, where element i belongs to
 * channel ⌊i / inner⌋ mod channels: output channel c takes channel order[c]'s elements, in an order shuffled anew
 * for each channel.
 */
export function channelPermutation(count: number, channels: number, inner: number, order: Uint32Array, random: () => number): Uint32Array {
  const perChannel = count / channels;
  // The k-th element of channel c: block ⌊k / inner⌋ of the channel axis, offset k mod inner inside it.
  const element = (c: number, k: number): number => (Math.floor(k / inner) * channels + c) * inner + (k % inner);
  const source = new Uint32Array(count);
  for (let c = 0; c < channels; c++) {
    const within = shuffled(perChannel, random);
    for (let k = 0; k < perChannel; k++) source[element(c, k)] = element(order[c], within[k]);
  }
  return source;
}

/** How a constant's quantisation channels lie: how many, and how many consecutive elements share one. */
function channelLayout(tensor: TfliteTensor): { channels: number; inner: number } {
  const q = tensor.quantization;
  if (q === undefined || q.scale.length <= 1) return { channels: 1, inner: 1 };
  return { channels: q.scale.length, inner: tensor.shape.slice(q.quantizedDimension + 1).reduce((a, b) => a * b, 1) };
}

function elementCount(tensor: TfliteTensor): number {
  return tensor.shape.reduce((a, b) => a * b, 1);
}

/** Elements of `size` bytes moved so element i of the result is element source[i] of `bytes`. */
function permuteBytes(bytes: Uint8Array, source: Uint32Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < source.length; i++) for (let b = 0; b < size; b++) out[i * size + b] = bytes[source[i] * size + b];
  return out;
}

/** Scales (and zero points, when per channel) reordered so channel c carries channel order[c]'s. */
function permuteQuantization(q: TfliteQuantization, order: Uint32Array): TfliteQuantization {
  const zeroPoint = q.zeroPoint.length === order.length ? Array.from(order, (c) => q.zeroPoint[c]) : q.zeroPoint;
  return { ...q, scale: Array.from(order, (c) => q.scale[c]), zeroPoint };
}
