// `--workers N` on explain and stream: a pool of N worker threads gives the numbers one thread gives, in the same order.
import { expect, it } from 'vitest';
import { describeWithModel } from '../helpers/model.js';
import { runCli } from '../helpers/runCli.js';

/** Every number in `a` within `tolerance` of the one at the same place in `b`; everything else equal. */
function expectClose(a: unknown, b: unknown, tolerance: number, path = '$'): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(Math.abs(a - b) <= tolerance || (Number.isNaN(a) && Number.isNaN(b)))) expect.fail(`${path}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, path).toBe(b.length);
    a.forEach((v, i) => expectClose(v, b[i], tolerance, `${path}[${i}]`));
  } else if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    expect(Object.keys(a), path).toEqual(Object.keys(b));
    for (const [key, value] of Object.entries(a)) expectClose(value, (b as Record<string, unknown>)[key], tolerance, `${path}.${key}`);
  } else expect(a, path).toEqual(b);
}

describeWithModel('--workers', (modelPath) => {
  const args = ['stream', 'samples/tones.wav', '--model', modelPath, '--top-k', '2', '--steps', '4', '--max-steps', '4'];

  it('stream --workers 2 writes the NDJSON numbers --workers 1 writes (Blur IG, top 2 classes), line for line', async () => {
    const [one, two] = await Promise.all([runCli([...args, '--workers', '1']), runCli([...args, '--workers', '2'])]);
    expect([one.code, one.stderr, two.code, two.stderr]).toEqual([0, '', 0, '']);
    const lines = (stdout: string) => stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string });
    const [single, pooled] = [lines(one.stdout), lines(two.stdout)];
    expect(pooled.filter((l) => l.type === 'patch')).toHaveLength(13);
    expect(pooled.filter((l) => l.type === 'frame')).toHaveLength(672);
    expect(pooled.at(-1)).toEqual({ type: 'end' });
    expectClose(pooled, single, 1e-6);
  });

  it('rejects --workers 0 in one line before loading anything', async () => {
    const result = await runCli(['explain', 'samples/tones.wav', '--model', modelPath, '--workers', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('blurig: Expected the `--workers` option to be a positive integer, got `0` (string)\n');
  });
});
