// `blurig classify` end to end on the shipped samples with the real YAMNet, and its one-line errors on bad input.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runFfmpeg, tempDir } from '../ffmpeg/makeFixtures.js';
import { describeWithModel, sharedModelPath } from '../helpers/model.js';
import { runCli, type CliResult } from '../helpers/runCli.js';
import { startModelServer } from '../model/modelServer.js';

/** A user mistake: nonzero exit and exactly one line on stderr, starting `blurig: `, with no stack trace. */
function expectOneLineError(result: CliResult, pattern: RegExp, code = 1): void {
  expect(result.code).toBe(code);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^blurig: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

afterAll(removeTempDirs);

describeWithModel('blurig classify', (modelPath) => {
  const model = ['--model', modelPath];

  it('prints the clip and patch table; speech.wav is Speech', async () => {
    const result = await runCli(['classify', 'samples/speech.wav', ...model, '--top-k', '3']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/YAMNet \(int8 TFLite build\) · (onnxruntime|backend (wasm|cpu|tensorflow)) · 18 patches/);
    expect(result.stdout).toMatch(/Clip \(mean score over 18 patches\):\n\s+1\. Speech\s+0\.8\d\d/);
    expect(result.stdout.match(/^\s+\d+\.\d\d s /gm)).toHaveLength(18);
  });

  it('--engine tfjs and --engine onnx name their engine and agree on the clip scores (1e-4)', async () => {
    const run = async (engine: string) => JSON.parse((await runCli(['classify', 'samples/siren.wav', ...model, '--json', '-', '--top-k', '3', '--engine', engine])).stdout);
    const [tfjs, onnx] = [await run('tfjs'), await run('onnx')];
    expect([tfjs.engine, onnx.engine]).toEqual(['tfjs', 'onnx']);
    expect(onnx.clip.top.map((c: { name: string }) => c.name)).toEqual(tfjs.clip.top.map((c: { name: string }) => c.name));
    onnx.clip.top.forEach((c: { score: number }, k: number) => expect(Math.abs(c.score - tfjs.clip.top[k].score)).toBeLessThan(1e-4));
  });

  it('--json - writes exactly the documented keys, nothing else on stdout', async () => {
    const result = await runCli(['classify', 'samples/siren.wav', ...model, '--json', '-', '--top-k', '2', '--backend', 'cpu']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['engine', 'backend', 'model', 'clip', 'patches']);
    expect(json.backend).toBe('cpu');
    expect(Object.keys(json.clip)).toEqual(['top']);
    expect(json.clip.top[0]).toEqual({ index: expect.any(Number), name: 'Siren', score: expect.any(Number) });
    expect(json.patches).toHaveLength(20);
    expect(Object.keys(json.patches[1])).toEqual(['index', 'startSec', 'top']);
    expect(json.patches[1].startSec).toBe(0.48);
    expect(Object.keys(json.patches[1].top[0])).toEqual(['index', 'name', 'score']);
    expect(json.patches[1].top).toHaveLength(2);
  });

  it('--json FILE writes the file and still prints the table; the clip score is the mean of the patch scores', async () => {
    const out = join(tempDir(), 'tones.json');
    const result = await runCli(['classify', 'samples/tones.wav', ...model, '--json', out, '--top-k', '521']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1\. Sine wave/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    const sine = json.clip.top.find((c: { name: string }) => c.name === 'Sine wave');
    const perPatch = json.patches.map((p: { top: { name: string; score: number }[] }) => p.top.find((c) => c.name === 'Sine wave')!.score);
    expect(sine.score).toBeCloseTo(perPatch.reduce((a: number, b: number) => a + b, 0) / perPatch.length, 6);
  });

  describe('bad input: one line, nonzero exit', () => {
    let dir: string;
    beforeAll(() => {
      dir = tempDir();
      writeFileSync(join(dir, 'empty.wav'), '');
      writeFileSync(join(dir, 'notes.wav'), 'These are my notes, not audio.\n'.repeat(50));
      writeFileSync(join(dir, 'random.tflite'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) & 255)));
      writeFileSync(join(dir, 'text.tflite'), 'not a model\n');
      const full = readFileSync(modelPath);
      writeFileSync(join(dir, 'truncated.tflite'), full.subarray(0, full.length >> 1));
      runFfmpeg(['-i', 'samples/speech.wav', '-c:a', 'libmp3lame', '-b:a', '64k', join(dir, 'speech.mp3')]);
      const mp3 = readFileSync(join(dir, 'speech.mp3'));
      writeFileSync(join(dir, 'cut.mp3'), mp3.subarray(0, mp3.length >> 1));
    });

    it('a missing file', async () => {
      expectOneLineError(await runCli(['classify', join(dir, 'nope.wav'), ...model]), /Input file ".*nope\.wav" does not exist/);
    });
    it('an empty file', async () => {
      expectOneLineError(await runCli(['classify', join(dir, 'empty.wav'), ...model]), /is empty \(0 bytes\)/);
    });
    it('a text file renamed .wav', async () => {
      expectOneLineError(await runCli(['classify', join(dir, 'notes.wav'), ...model]), /ffmpeg could not decode ".*notes\.wav": /);
    });
    it('a truncated mp3', async () => {
      expectOneLineError(await runCli(['classify', join(dir, 'cut.mp3'), ...model]), /looks truncated/);
    });
    it('an unknown option (usage mistake: exit 2)', async () => {
      expectOneLineError(await runCli(['classify', 'samples/speech.wav', '--colour']), /Unknown option '--colour'.*blurig classify --help/, 2);
    });
    it('a bad option value', async () => {
      expectOneLineError(await runCli(['classify', 'samples/speech.wav', '--top-k', 'ten', ...model]), /`--top-k` option to be a positive integer, got `ten`/);
      expectOneLineError(await runCli(['classify', 'samples/speech.wav', '--backend', 'gpu', ...model]), /one of `auto`, `tensorflow`, `wasm`, `cpu`, got `gpu`/);
      expectOneLineError(await runCli(['classify', 'samples/speech.wav', '--engine', 'torch', ...model]), /`--engine` option to be one of `auto`, `onnx`, `tfjs`, got `torch`/);
    });
    it('an unknown command', async () => {
      expectOneLineError(await runCli(['clasify', 'samples/speech.wav']), /Unknown command "clasify"/, 2);
    });
    it('a corrupt, a truncated and a non-TFLite model file', async () => {
      for (const name of ['random.tflite', 'truncated.tflite', 'text.tflite']) {
        expectOneLineError(await runCli(['classify', 'samples/speech.wav', '--model', join(dir, name)]), new RegExp(name.replace('.', '\\.')));
      }
    });
    it('a model path that does not exist', async () => {
      expectOneLineError(await runCli(['classify', 'samples/speech.wav', '--model', join(dir, 'missing.tflite')]), /missing\.tflite.*--model/);
    });
  });
});

describe('blurig classify with no model installed and no network', () => {
  it('uses the built-in student, saying so in one stderr line with how to get YAMNet, and names it in the output', async () => {
    const port = await closedPort();
    const cache = tempDir();
    const result = await runCli(['classify', 'samples/speech.wav', '--json', '-'], {
      BLURIG_MODEL: undefined,
      BLURIG_CACHE_DIR: cache,
      BLURIG_MODEL_URL: `http://127.0.0.1:${port}/yamnet_spectra_in.tflite`,
    });
    expect(result.code).toBe(0);
    const notice = result.stderr.trimEnd().split('\n').filter((line) => line.startsWith('blurig:'));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatch(/^blurig: using the built-in student model \(distilled from YAMNet; models\/student\/MODEL_CARD\.md\), since YAMNet could not be had: Could not download YAMNet from http:\/\/127\.0\.0\.1/);
    expect(notice[0]).toMatch(/Get YAMNet with `blurig model pull`\.$/);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ engine: 'tfjs', model: 'blurig student (distilled from YAMNet)' });
    expect(report.clip.top[0].name).toBe('Speech');
  });

  it('--model builtin asks for the student: no download, no notice', async () => {
    const result = await runCli(['classify', 'samples/speech.wav', '--model', 'builtin', '--json', '-'], { BLURIG_MODEL: undefined, BLURIG_CACHE_DIR: tempDir() });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).model).toBe('blurig student (distilled from YAMNet)');
  });
});

describe.skipIf(!sharedModelPath())('blurig model', () => {
  it('info says not installed; pull downloads from a 127.0.0.1 mirror and checks it; info then sees it', async () => {
    const cache = tempDir();
    const before = await runCli(['model', 'info'], { BLURIG_CACHE_DIR: cache });
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/not installed/);
    expect(before.stdout).toContain('0a266465c46718f3fcc4137366be82882a8c93bfcc4f0278581a11d11dddcdf9');
    const server = await startModelServer(readFileSync(sharedModelPath()!));
    try {
      const corrupt = await runCli(['model', 'pull'], { BLURIG_CACHE_DIR: cache, BLURIG_MODEL_URL: server.corrupt });
      expectOneLineError({ ...corrupt, stderr: corrupt.stderr.split('\n').filter((l) => l.startsWith('blurig:')).join('\n') }, /SHA-256 .* nothing was installed/);
      const pull = await runCli(['model', 'pull'], { BLURIG_CACHE_DIR: cache, BLURIG_MODEL_URL: server.good });
      expect(pull.code).toBe(0);
      expect(pull.stdout).toMatch(/^Installed YAMNet \(int8 TFLite build\) at /);
      const again = await runCli(['model', 'pull'], { BLURIG_CACHE_DIR: cache, BLURIG_MODEL_URL: server.good });
      expect(again.stdout).toMatch(/already installed/);
      expect(server.requests.filter((r) => r === '/yamnet.tflite')).toHaveLength(1);
    } finally {
      await server.close();
    }
    const after = await runCli(['model', 'info', '--json'], { BLURIG_CACHE_DIR: cache });
    expect(JSON.parse(after.stdout)).toMatchObject({ installed: true, sha256Ok: true });
  });
});

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
