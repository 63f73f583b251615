// Options cross to a worker thread by structured cloning: a check that they are plain data, with an OptionError where not.
import { OptionError } from '../../errors/index.js';

/**
 * Throws an OptionError naming the first value under `path` that structured cloning would reject (a function) or
 * silently break (a class instance, such as a tf.Tensor baseline, arrives as a bare object). Allowed: primitives,
 * arrays, typed arrays and plain objects.
 */
export function checkPlainData(value: unknown, path: string): void {
  if (typeof value === 'function' || typeof value === 'symbol') throw new OptionError(path, 'plain data to reach a worker thread', value);
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    throw new OptionError(path, 'plain data (numbers, strings, arrays, typed arrays, plain objects) to reach a worker thread; a tensor cannot', value);
  }
  for (const [key, item] of Object.entries(value)) checkPlainData(item, `${path}.${key}`);
}
