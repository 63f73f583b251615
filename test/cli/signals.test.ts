// Ctrl-C on every command: exit 130, whatever was complete written and whole, one stderr line saying what, no ffmpeg or .part left.
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir, wavBytes } from '../ffmpeg/makeFixtures.js';
import { describeWithModel } from '../helpers/model.js';
import { pidsWith, waitUntilGone } from '../helpers/processes.js';
import { sine } from '../helpers/signals.js';
import { childrenOf, spawnCli, waitFor, waitUntilIdle, type RunningCli } from './spawnCli.js';

afterAll(removeTempDirs);

/** Seconds of audio fed; they hold at most 15 whole patches (the last starts at 6.72 s and ends at 7.68 s). */
const FED_SEC = 8;
const MAX_PATCHES = 15;

/** A WAV header declaring an hour of 16 kHz mono, then the first `seconds` of a 440 Hz sine: the rest never comes. */
function endlessWavStart(seconds: number): Buffer {
  const pcm = Int16Array.from(sine(440, 0.5, seconds), (x) => Math.round(x * 32767));
  return wavBytes(pcm, 16_000, 1, 3600 * 16_000 * 2);
}

/**
 * Feeds 8 s of audio on stdin and keeps it open, then waits until the CLI has done all it can with it (ffmpeg running,
 * CPU idle). Eight, since ffmpeg reads 5 s of a pipe (its default analyzeduration) before it decodes any.
 */
async function feedThenWait(cli: RunningCli): Promise<void> {
  cli.child.stdin!.write(endlessWavStart(FED_SEC));
  const pid = cli.child.pid!;
  await waitFor(() => childrenOf(pid).length > 0 || cli.child.exitCode !== null, 'ffmpeg to start (the model has loaded)');
  expect(cli.child.exitCode, cli.stderr()).toBeNull();
  await waitUntilIdle(pid);
}

/** The stderr of a run, as lines; a run that ends well has exactly one. */
const lines = (text: string) => text.trimEnd().split('\n');

describeWithModel('Ctrl-C', (modelPath) => {
  const fast = ['--model', modelPath, '--workers', '1', '--max-steps', '16'];

  it('classify: exit 130 and the table of the patches classified so far, saying so in one line', async () => {
    const cli = spawnCli(['classify', '-', '--model', modelPath, '--batch-size', '1'], { stdin: 'pipe' });
    await feedThenWait(cli);
    cli.child.kill('SIGINT');
    const { code } = await cli.exited;
    cli.child.stdin!.destroy();
    expect(code, cli.stderr()).toBe(130);
    const [line] = lines(cli.stderr());
    expect(lines(cli.stderr())).toHaveLength(1);
    const match = /^blurig: interrupted: wrote the classification of the first (\d+) patches \(to (\d+\.\d\d) s\) to stdout$/.exec(line);
    expect(match, line).not.toBeNull();
    // No end padding when stopped: only whole patches of what was fed.
    const patches = Number(match![1]);
    expect(patches).toBeGreaterThanOrEqual(1);
    expect(patches).toBeLessThanOrEqual(MAX_PATCHES);
    expect(cli.stdout()).toContain(` · ${patches} patches of 0.96 s`);
    expect(cli.stdout().match(/^ {2,}\d+\.\d\d s {2}/gm)).toHaveLength(patches);
  });

  it('explain: exit 130, the JSON and summary of the patches explained so far, and one line naming them', async () => {
    const dir = tempDir();
    const json = join(dir, 'partial.json');
    const cli = spawnCli(['explain', '-', ...fast, '--class', 'Sine wave', '--json', json], { stdin: 'pipe' });
    await feedThenWait(cli);
    cli.child.kill('SIGINT');
    const { code } = await cli.exited;
    cli.child.stdin!.destroy();
    expect(code, cli.stderr()).toBe(130);
    expect(lines(cli.stderr())).toHaveLength(1);
    const match = /^blurig: interrupted: wrote the first (\d+) patches \(to (\d+\.\d\d) s\) to (.+?) and stdout(?:; still open at the stop, so not among the detections: .+)?$/.exec(lines(cli.stderr())[0]);
    expect(match, cli.stderr()).not.toBeNull();
    expect(match![3]).toBe(json);
    const patches = Number(match![1]);
    expect(patches).toBeGreaterThanOrEqual(1);
    expect(patches).toBeLessThanOrEqual(MAX_PATCHES);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { classes: { name: string }[]; patches: unknown[]; frames: unknown[] };
    expect(report.classes).toEqual([{ index: 495, name: 'Sine wave' }]);
    expect(report.patches).toHaveLength(patches); // one named class: one entry per patch
    expect(cli.stdout()).toMatch(new RegExp(`^- · .* · ${patches} patches$`, 'm'));
  });

  it('stream: exit 130 after whole NDJSON lines only, no end line, one stderr line counting them, ffmpeg gone', async () => {
    const dir = tempDir();
    const input = join(dir, 'stream-sigint-input.wav'); // a name of its own, to find this run's ffmpeg by
    copyFileSync('samples/mixture.wav', input);
    const cli = spawnCli(['stream', input, ...fast, '--class', 'Speech']);
    await waitFor(() => cli.stdout().includes('"type":"frame"') || cli.child.exitCode !== null, 'the first frame line');
    const ffmpeg = pidsWith(input);
    cli.child.kill('SIGINT');
    const { code } = await cli.exited;
    expect(code, cli.stderr()).toBe(130);
    expect(cli.stdout().endsWith('\n')).toBe(true);
    const written = lines(cli.stdout()).map((l) => JSON.parse(l) as { type: string });
    expect(written[0].type).toBe('start');
    expect(written.some((l) => l.type === 'end')).toBe(false);
    expect(lines(cli.stderr())).toHaveLength(1);
    expect(cli.stderr()).toMatch(new RegExp(`^blurig: interrupted: wrote ${written.length} NDJSON lines to stdout \\(frames up to \\d+\\.\\d\\d s\\), each whole\\n$`));
    for (const pid of ffmpeg) expect(await waitUntilGone(pid)).toBe(true);
  });
});

describe('Ctrl-C on blurig model pull', () => {
  let server: Server | undefined;
  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('stops a stalled download: exit 130, the partial file removed, nothing installed', async () => {
    let sentBytes = 0;
    // Sends the first 64 kB of a model-sized body, then nothing more: a stalled download.
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 4_047_424 });
      response.write(Buffer.alloc(65_536), () => (sentBytes = 65_536));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const cache = tempDir();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/yamnet_spectra_in.tflite`;
    const cli = spawnCli(['model', 'pull'], { env: { BLURIG_CACHE_DIR: cache, BLURIG_MODEL_URL: url } });
    await waitFor(() => (sentBytes > 0 && readdirSync(cache).some((f) => f.endsWith('.part'))) || cli.child.exitCode !== null, 'the download to start');
    cli.child.kill('SIGINT');
    const { code } = await cli.exited;
    expect(code, cli.stderr()).toBe(130);
    expect(lines(cli.stderr()).at(-1)).toMatch(/^blurig: interrupted: the download was stopped and nothing was installed at /);
    expect(readdirSync(cache)).toEqual([]);
    expect(existsSync(join(cache, 'yamnet_spectra_in.tflite'))).toBe(false);
  });
});
