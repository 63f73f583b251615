// Checks the attribution tests share: a call-counting wrapper of an explained function, and an elementwise closeness bound.
import { expect } from 'vitest';
import type { ExplainedFunction } from '../../src/types.js';

/** `f`, counting its calls and the inputs they carried (the batch sizes summed). */
export function counted(f: ExplainedFunction): { f: ExplainedFunction; calls: () => number; inputs: () => number } {
  let calls = 0;
  let inputs = 0;
  return {
    f: (x) => {
      calls++;
      inputs += x.shape[0];
      return f(x);
    },
    calls: () => calls,
    inputs: () => inputs,
  };
}

/** Same length, and max |actual − expected| ≤ tolerance. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tolerance);
}
