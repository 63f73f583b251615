// What the lean tfjs install lacks and the umbrella @tensorflow/tfjs would bring: the JavaScript backend, and the
// gradients of the kernels that YAMNet's explained functions are made of (tfjs-core's Node build ships no gradients,
// and its ES-module gradient files cannot be imported by Node). Imported for its side effects wherever tfjs
// gradients are taken; a gradient another package already registered (the umbrella's) is left as it is.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';

type Grad = tf.GradConfig['gradFunc'];

/** `g` summed over the axes where `shape` was broadcast to g's shape, then given `shape`. */
function reduceTo(g: tf.Tensor, shape: number[]): tf.Tensor {
  if (tf.util.arraysEqual(g.shape, shape)) return g;
  const padded = [...new Array<number>(g.rank - shape.length).fill(1), ...shape];
  const axes = padded.flatMap((size, axis) => (size === 1 && g.shape[axis] !== 1 ? [axis] : []));
  return tf.reshape(axes.length > 0 ? tf.sum(g, axes, true) : g, shape);
}

/** dy of a reduction over `axis` spread back over x's shape (times `scale`). */
function spreadBack(dy: tf.Tensor, x: tf.Tensor, axis: number | number[], scale: number): tf.Tensor {
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const kept = x.shape.map((size, i) => (axes.includes(i) ? 1 : size));
  return tf.mul(tf.reshape(dy, kept), tf.fill(x.shape, scale));
}

const matMulGrad: Grad = (dy, [a, b], attrs) => {
  const g = dy as tf.Tensor;
  const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
  // C = op(A)·op(B): each case's input gradients, as products that never form a transposed copy.
  const [da, db] = !transposeA && !transposeB
    ? [() => tf.matMul(g, b, false, true), () => tf.matMul(a, g, true, false)]
    : !transposeA && transposeB
      ? [() => tf.matMul(g, b, false, false), () => tf.matMul(g, a, true, false)]
      : transposeA && !transposeB
        ? [() => tf.matMul(b, g, false, true), () => tf.matMul(a, g, false, false)]
        : [() => tf.matMul(b, g, true, true), () => tf.matMul(g, a, true, true)];
  return { a: () => reduceTo(da(), a.shape), b: () => reduceTo(db(), b.shape) };
};

const GRADIENTS: tf.GradConfig[] = [
  { kernelName: 'Reshape', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy as tf.Tensor, x.shape) }) },
  // Casts in these graphs are float to float; an integer input has no gradient to give.
  { kernelName: 'Cast', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => (x.dtype === 'float32' ? tf.clone(dy as tf.Tensor) : tf.zerosLike(x)) }) },
  { kernelName: 'Sigmoid', outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(1, y))) }) },
  { kernelName: 'Sum', inputsToSave: ['x'], gradFunc: (dy, [x], attrs) => ({ x: () => spreadBack(dy as tf.Tensor, x, attrs.axis as number | number[], 1) }) },
  {
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
      const count = axes.reduce((n, axis) => n * x.shape[axis], 1);
      return { x: () => spreadBack(dy as tf.Tensor, x, axes, 1 / count) };
    },
  },
  {
    kernelName: 'Multiply',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => reduceTo(tf.mul(dy as tf.Tensor, b), a.shape), b: () => reduceTo(tf.mul(dy as tf.Tensor, a), b.shape) }),
  },
  {
    kernelName: 'Add',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => reduceTo(dy as tf.Tensor, a.shape), b: () => reduceTo(dy as tf.Tensor, b.shape) }),
  },
  {
    kernelName: 'Sub',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => ({ a: () => reduceTo(dy as tf.Tensor, a.shape), b: () => reduceTo(tf.neg(dy as tf.Tensor), b.shape) }),
  },
  {
    kernelName: 'Slice',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const g = dy as tf.Tensor;
      const begin = tf.util.isTypedArray(attrs.begin) || Array.isArray(attrs.begin) ? Array.from(attrs.begin as number[]) : [attrs.begin as number];
      // The slice's gradient is dy in its place and zeros around it.
      return { x: () => tf.pad(g, x.shape.map((size, i) => [begin[i] ?? 0, size - (begin[i] ?? 0) - g.shape[i]] as [number, number])) };
    },
  },
  { kernelName: 'OneHot', inputsToSave: ['indices'], gradFunc: (_dy, [indices]) => ({ indices: () => tf.zerosLike(indices) }) },
  { kernelName: 'BatchMatMul', inputsToSave: ['a', 'b'], gradFunc: matMulGrad },
];

for (const config of GRADIENTS) if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);

/** The kernels whose gradients this module provides (for tests). */
export const OWN_GRADIENT_KERNELS: readonly string[] = GRADIENTS.map((config) => config.kernelName);
