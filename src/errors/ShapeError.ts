// A tensor or array has the wrong shape for where it is used.
import { BlurigError } from './BlurigError.js';

/** Shape mismatch: `expected` and `got` are the two shapes. */
export class ShapeError extends BlurigError {
  override readonly name = 'ShapeError';
  constructor(
    readonly what: string,
    readonly expected: readonly (number | null)[],
    readonly got: readonly number[],
  ) {
    super(`Expected ${what} shape [${expected.map((d) => (d === null ? '?' : d)).join(',')}], got [${got.join(',')}]`);
  }
}
