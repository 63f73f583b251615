// `blurig explain` and `blurig stream` end to end on the shipped samples with the real YAMNet.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../ffmpeg/makeFixtures.js';
import { describeWithModel } from '../helpers/model.js';
import { runCli } from '../helpers/runCli.js';
import { localise } from '../../src/evaluate/localisation.js';
import { decodeWav } from '../../src/listen/wav.js';
import type { FrameAttribution } from '../../src/types.js';

/** The report's flat (frame, class) entries as frame records, for the localisation functions. */
function framesOf(report: { frames: { index: number; timeSec: number; classIndex: number; attribution: number[] }[] }): FrameAttribution[] {
  const byIndex = new Map<number, { index: number; timeSec: number; logMel: Float32Array; classes: FrameAttribution['classes'][number][] }>();
  for (const entry of report.frames) {
    let frame = byIndex.get(entry.index);
    if (frame === undefined) byIndex.set(entry.index, (frame = { index: entry.index, timeSec: entry.timeSec, logMel: new Float32Array(64), classes: [] }));
    frame.classes.push({ classIndex: entry.classIndex, attribution: Float32Array.from(entry.attribution), patches: [], scores: [], relErrors: [] });
  }
  return [...byIndex.values()];
}

afterAll(removeTempDirs);

interface SampleEvent { class: string; startSec: number; endSec: number }
const samples: { file: string; events: SampleEvent[] }[] = JSON.parse(readFileSync('samples/samples.json', 'utf8'));
const fast = ['--steps', '8', '--max-steps', '8'];

describeWithModel('blurig explain', (modelPath) => {
  const model = ['--model', modelPath];

  it('writes JSON with the documented keys, a PNG, a .npy and listen files, and prints a per-class summary', async () => {
    const dir = tempDir();
    const [json, png, npy, listen] = ['e.json', 'e.png', 'e.npy', 'listen'].map((name) => join(dir, name));
    const result = await runCli(['explain', 'samples/tones.wav', ...model, ...fast, '--class', 'Sine wave', '--json', json, '--png', png, '--npy', npy, '--listen', listen]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Detections \(score ≥ 0\.4, lasting while ≥ 0\.2\):$/m);
    expect(result.stdout).toMatch(/^  Sine wave {2}0\.48–3\.84 s · evidence \d\.\d\d–\d\.\d\d s · peak 1\.00 at \d\.\d\d s$/m);
    expect(result.stdout).toMatch(/bands carrying it: \d+ Hz/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(Object.keys(report)).toEqual(['engine', 'backend', 'model', 'method', 'output', 'classChoice', 'detector', 'classes', 'detections', 'patches', 'frames']);
    expect(report).toMatchObject({ method: 'blur-ig+idgi', output: 'score', classChoice: 'named', detector: { onThreshold: 0.4, offThreshold: 0.2, minDurationSec: 0.96, maxGapSec: 0.48 } });
    expect(report.classes).toEqual([{ index: 495, name: 'Sine wave' }]);
    expect(Object.keys(report.detections[0])).toEqual(['classIndex', 'name', 'startSec', 'endSec', 'peakScore', 'peakSec', 'evidence']);
    expect(Object.keys(report.patches[0])).toEqual(['index', 'startSec', 'classIndex', 'score', 'logit', 'value', 'baselineValue', 'attributionSum', 'relError', 'scale']);
    expect(report.patches[0].value).toBeCloseTo(report.patches[0].score, 5); // the score is what is explained (forward vs gradient graph: 1e-6)
    expect(Object.keys(report.patches[0].scale[0])).toEqual(['sigmaTime', 'sigmaFrequency', 'contribution']);
    expect(report.frames).toHaveLength(672); // 6.5 s pads to 6.72 s: 672 frames
    expect(Object.keys(report.frames[0])).toEqual(['index', 'timeSec', 'classIndex', 'attribution']);
    expect(report.frames[0].attribution).toHaveLength(64);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const npyBytes = readFileSync(npy);
    expect(npyBytes.subarray(1, 6).toString()).toBe('NUMPY');
    expect(npyBytes.toString('latin1', 10, 128)).toContain("'shape': (1, 672, 64)");
    const evidence = decodeWav(readFileSync(join(listen, '495-sine-wave.wav')));
    const rest = decodeWav(readFileSync(join(listen, '495-sine-wave-rest.wav')));
    expect(evidence.samples).toHaveLength(104_000); // the decoded 6.5 s, not the padded length
    expect(rest.samples).toHaveLength(104_000);
  });

  // Issue 9's acceptance: with no class options, each recorded event is detected with its class, ≥ 80 % of the class's
  // positive attribution lies inside the recorded span, and the frame with the most positive attribution is inside it.
  it.each(samples.flatMap((s) => s.events.map((e) => [s.file, e] as const)))(
    '%s: explain with the defaults detects %o and localises its evidence inside the span',
    async (file, event) => {
      const json = join(tempDir(), 'r.json');
      const result = await runCli(['explain', `samples/${file}`, ...model, '--json', json]);
      expect(result.code).toBe(0);
      const report = JSON.parse(readFileSync(json, 'utf8'));
      const detected = report.detections.filter((d: { name: string }) => d.name === event.class);
      expect(detected.length).toBeGreaterThan(0);
      expect(detected.some((d: { startSec: number; endSec: number }) => d.startSec < event.endSec && d.endSec > event.startSec)).toBe(true);
      const localisation = localise(framesOf(report), detected[0].classIndex, [event]);
      expect(localisation.insideShare).toBeGreaterThanOrEqual(0.8);
      expect(localisation.pointingGame).toBe(true);
    },
  );

  it('--output logit explains the logit and says so; --threshold changes the detections; named classes keep their meaning', async () => {
    const json = join(tempDir(), 'l.json');
    const result = await runCli(['explain', 'samples/tones.wav', ...model, '--method', 'gradient', '--output', 'logit', '--threshold', '0.95', '--class', 'Sine wave', '--json', json]);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report).toMatchObject({ output: 'logit', classChoice: 'named', detector: { onThreshold: 0.95, offThreshold: 0.2 } });
    expect(report.patches).toHaveLength(13); // the named class in every patch
    expect(report.patches[3].value).toBeCloseTo(report.patches[3].logit, 4);
    // At 0.95 only Sine wave (0.99–1.00 in patches 1–5) and nothing of the 0.87–0.94 beeps' classes opens an event.
    expect(report.detections.map((d: { name: string }) => d.name)).toEqual(['Sine wave']);
    expect(result.stdout).toMatch(/completeness: not defined for this method/);
    expect(result.stdout).not.toMatch(/NaN/);
  });

  it.each([
    [['--threshold', '2'], /^blurig: Expected the `--threshold` option to be ON or ON:OFF with 0 < OFF ≤ ON < 1 \(e\.g\. 0\.4:0\.2\), got `2`/],
    [['--threshold', '0.3:0.5'], /^blurig: Expected the `--threshold` option to be ON or ON:OFF with 0 < OFF ≤ ON < 1 .*got `0\.3:0\.5`/],
    [['--threshold', '0.5:0.2:0.1'], /^blurig: Expected the `--threshold` option to be ON or ON:OFF/],
    [['--output', 'probability'], /^blurig: Expected the `--output` option to be one of `score`, `logit`, got `probability`/],
    [['--class', 'Siren', '--top-k', '2'], /^blurig: Expected the `--top-k` option to be absent when --class names the classes/],
  ])('rejects %j in one line before loading the model', async (flags, message) => {
    const result = await runCli(['explain', 'samples/tones.wav', '--model', '/nonexistent/model.tflite', ...flags]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
  });

  it('rejects a class YAMNet does not have before doing any work, in one line', async () => {
    const result = await runCli(['explain', 'samples/tones.wav', ...model, '--class', 'Sirens']);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^blurig: Expected the `--class` option to be a YAMNet class name, got `Sirens` \(string\): did you mean "Siren"/)]);
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
    expect(lines[0]).toMatchObject({ type: 'start', method: 'gradient', output: 'score', classChoice: 'top-k', mode: 'file', detector: { onThreshold: 0.4 } });
    const frames = lines.filter((l) => l.type === 'frame');
    expect(frames.map((f) => f.index)).toEqual(Array.from({ length: frames.length }, (_, i) => i));
    // Speech (1.0–7.8 s) is detected: one start, then one end with its evidence, after the frames it covers.
    const speech = lines.filter((l) => l.type === 'detection' && l.name === 'Speech');
    expect(speech.map((l) => l.state)).toEqual(['start', 'end']);
    expect(speech[1].evidence.startSec).toBeGreaterThanOrEqual(speech[1].startSec);
    expect(lines.indexOf(speech[1])).toBeGreaterThan(lines.findIndex((l) => l.type === 'frame' && l.timeSec >= speech[1].endSec - 0.01));
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
