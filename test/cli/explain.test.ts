// `blurig explain` and `blurig stream` end to end on the shipped samples with the real YAMNet.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../ffmpeg/makeFixtures.js';
import { describeWithModel } from '../helpers/model.js';
import { runCli } from '../helpers/runCli.js';

afterAll(removeTempDirs);

interface SampleEvent { class: string; startSec: number; endSec: number }
const samples: { file: string; events: SampleEvent[] }[] = JSON.parse(readFileSync('samples/samples.json', 'utf8'));
const fast = ['--steps', '8', '--max-steps', '8'];

describeWithModel('blurig explain', (modelPath) => {
  const model = ['--model', modelPath];

  it('writes JSON with the documented keys, a PNG and a .npy, and prints a per-class summary', async () => {
    const dir = tempDir();
    const [json, png, npy] = ['e.json', 'e.png', 'e.npy'].map((name) => join(dir, name));
    const result = await runCli(['explain', 'samples/tones.wav', ...model, ...fast, '--class', 'Sine wave', '--json', json, '--png', png, '--npy', npy]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Sine wave: explained in 13 patches; score ≥ 0\.5 in \d+/m);
    expect(result.stdout).toMatch(/bands carrying it: \d+ Hz/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(Object.keys(report)).toEqual(['engine', 'backend', 'model', 'method', 'classes', 'patches', 'frames']);
    expect(report.method).toBe('blur-ig');
    expect(report.classes).toEqual([{ index: expect.any(Number), name: 'Sine wave' }]);
    expect(Object.keys(report.patches[0])).toEqual(['index', 'startSec', 'classIndex', 'logit', 'baselineLogit', 'attributionSum', 'relError', 'scale']);
    expect(Object.keys(report.patches[0].scale[0])).toEqual(['sigmaTime', 'sigmaFrequency', 'contribution']);
    expect(report.frames).toHaveLength(672); // 6.5 s pads to 6.72 s: 672 frames
    expect(Object.keys(report.frames[0])).toEqual(['index', 'timeSec', 'classIndex', 'attribution']);
    expect(report.frames[0].attribution).toHaveLength(64);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const npyBytes = readFileSync(npy);
    expect(npyBytes.subarray(1, 6).toString()).toBe('NUMPY');
    expect(npyBytes.toString('latin1', 10, 128)).toContain("'shape': (1, 672, 64)");
  });

  it.each(samples.flatMap((s) => s.events.filter((e) => ['Speech', 'Siren', 'Sine wave'].includes(e.class)).map((e) => [s.file, e] as const)))(
    '%s: with --top-k 3 finds the class it was made for, with most of its positive attribution inside its span (%o)',
    async (file, event) => {
      const json = join(tempDir(), 'r.json');
      const result = await runCli(['explain', `samples/${file}`, ...model, ...fast, '--top-k', '3', '--json', json]);
      expect(result.code).toBe(0);
      const report = JSON.parse(readFileSync(json, 'utf8'));
      const cls = report.classes.find((c: { name: string }) => c.name === event.class);
      expect(cls).toBeDefined();
      let inside = 0;
      let total = 0;
      for (const frame of report.frames as { timeSec: number; classIndex: number; attribution: number[] }[]) {
        if (frame.classIndex !== cls.index) continue;
        const positive = frame.attribution.reduce((s, v) => s + Math.max(0, v), 0);
        total += positive;
        if (frame.timeSec >= event.startSec && frame.timeSec < event.endSec) inside += positive;
      }
      expect(inside / total).toBeGreaterThan(0.5);
    },
  );

  it('rejects a class YAMNet does not have before doing any work, in one line', async () => {
    const result = await runCli(['explain', 'samples/tones.wav', ...model, '--class', 'Sirens']);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^blurig: Expected the `class` option to be a YAMNet class name \(did you mean "Siren"/)]);
  });
});

describeWithModel('blurig stream', (modelPath) => {
  it('writes NDJSON from stdin: patch events, one frame line per frame in order, then end', async () => {
    const dir = tempDir();
    const out = join(dir, 'stream.ndjson');
    const result = await runCli(['stream', '-', '--model', modelPath, '--method', 'gradient', '--top-k', '2'], {}, readFileSync('samples/speech.wav'));
    expect(result.code).toBe(0);
    writeFileSync(out, result.stdout);
    const lines = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const frames = lines.filter((l) => l.type === 'frame');
    expect(frames.map((f) => f.index)).toEqual(Array.from({ length: frames.length }, (_, i) => i));
    expect(frames).toHaveLength(912); // 9 s pads to 9.12 s
    expect(lines.filter((l) => l.type === 'patch')).toHaveLength(18);
    expect(lines.at(-1)).toEqual({ type: 'end' });
    expect(frames[500].classes[0].attribution).toHaveLength(64);
    expect(frames[500].classes.map((c: { name: string }) => c.name)).toContain('Speech');
  });

  it('ends with an error line after the frames that were complete when the input is truncated', async () => {
    const wav = readFileSync('samples/speech.wav');
    const cut = Buffer.from(wav.subarray(0, 44 + 2 * 16000 * 3 + 1)); // header says 9 s; 3 s and one odd byte follow
    const result = await runCli(['stream', '-', '--model', modelPath, '--method', 'gradient'], {}, cut);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1).type).toBe('error');
    // 3 s decoded: 298 frames, 5 complete patches; every frame they made final (0–239) comes out before the error.
    expect(lines.filter((l) => l.type === 'frame').map((l) => l.index)).toEqual(Array.from({ length: 240 }, (_, i) => i));
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
