// A stdout that fails, on every command: a full disk is one line and exit 1, a reader that leaves (`| head`) a quiet exit 0; never a stack trace.
import { closeSync, openSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir, writeWav } from '../ffmpeg/makeFixtures.js';
import { describeWithModel } from '../helpers/model.js';
import { sine } from '../helpers/signals.js';
import { spawnCli, waitFor } from './spawnCli.js';

afterAll(removeTempDirs);

/** 2 s of a 440 Hz sine: enough output to write (5 patches), little to compute. */
const clip = writeWav(tempDir(), 'sine-2s.wav', Int16Array.from(sine(440, 0.5, 2), (x) => Math.round(x * 32767)), 16_000);

const FULL = 'blurig: cannot write to stdout: no space left on device\n';

/** `blurig …args` with stdout on /dev/full (every write fails with ENOSPC, as on a full disk). */
async function intoFullDisk(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const fd = openSync('/dev/full', 'w');
  try {
    const cli = spawnCli(args, { stdout: fd });
    const { code } = await cli.exited;
    return { code, stderr: cli.stderr() };
  } finally {
    closeSync(fd);
  }
}

/** `blurig …args` with a stdout pipe whose reader has already gone (closed before the first write): EPIPE. */
async function intoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const cli = spawnCli(args);
  cli.child.stdout!.destroy();
  const { code } = await cli.exited;
  return { code, stderr: cli.stderr() };
}

describe('stdout faults without a model', () => {
  it.each([[['--help']], [['model', 'info']], [['explain', '--help']], [['-V']]])('blurig %j > /dev/full: one line, exit 1', async (args) => {
    expect(await intoFullDisk(args)).toEqual({ code: 1, stderr: FULL });
  });

  it.each([[['--help']], [['model', 'info', '--json']]])('blurig %j into a closed pipe: quiet, exit 0', async (args) => {
    expect(await intoClosedPipe(args)).toEqual({ code: 0, stderr: '' });
  });
});

describeWithModel('stdout faults', (modelPath) => {
  const fast = ['--model', modelPath, '--workers', '1', '--steps', '8', '--max-steps', '8', '--class', 'Sine wave'];
  const classify = ['classify', clip, '--model', modelPath];

  it.each([
    ['classify', classify],
    ['explain --json -', ['explain', clip, ...fast, '--json', '-']],
    ['stream', ['stream', clip, ...fast]],
  ])('%s > /dev/full: one line, exit 1', async (_name, args) => {
    expect(await intoFullDisk(args)).toEqual({ code: 1, stderr: FULL });
  });

  it.each([
    ['classify --json -', [...classify, '--json', '-']],
    ['explain (its summary)', ['explain', clip, ...fast]],
    ['stream', ['stream', clip, ...fast]],
  ])('%s into a closed pipe: quiet, exit 0', async (_name, args) => {
    expect(await intoClosedPipe(args)).toEqual({ code: 0, stderr: '' });
  });

  it('stream | head -c 100: stops as soon as its reader leaves, quietly, exit 0', async () => {
    const cli = spawnCli(['stream', 'samples/mixture.wav', ...fast]);
    await waitFor(() => cli.stdout().length >= 100 || cli.child.exitCode !== null, 'the first 100 bytes');
    cli.child.stdout!.destroy(); // as head does once it has its bytes
    const { code } = await cli.exited;
    expect([code, cli.stderr()]).toEqual([0, '']);
    expect(cli.stdout()).not.toContain('{"type":"end"}'); // it stopped instead of running to the end
  });
});
