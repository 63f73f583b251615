// `blurig evaluate` end to end: the report's keys and table on the built-in student, its option errors, and on YAMNet
// the default method against the random control on a shipped sample.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../ffmpeg/makeFixtures.js';
import { describeWithModel } from '../helpers/model.js';
import { runCli } from '../helpers/runCli.js';
import type { EvaluationReport } from '../../src/render/evaluationJson.js';
import { DEFAULT_PATCH_METHOD } from '../../src/types.js';

afterAll(removeTempDirs);

const FIGURES = ['deletionAuc', 'insertionAuc', 'insideShare', 'pointingGame', 'evidenceIou', 'randomizationRankCorrelation', 'completenessError', 'evaluationsPerPatch', 'msPerPatch'];

describe('blurig evaluate on the built-in student', () => {
  it('writes the report with every documented figure, a PNG, and lists what the model cannot run', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const png = join(dir, 'curves.png');
    const result = await runCli(['evaluate', 'samples/tones.wav', '--model', 'builtin', '--class', 'Sine wave', '--methods', 'gradient,grad-cam,random', '--spans', 'samples/samples.json', '--randomize', '1', '--sanity-patches', '2', '--json', '-', '--png', png]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as EvaluationReport;
    expect(report.model).toMatch(/student/);
    expect(report.complete).toBe(true);
    expect(report.settings.spans).toEqual([{ class: 'Sine wave', startSec: 0.5, endSec: 3.5 }, { class: 'Beep, bleep', startSec: 4, endSec: 5.7 }]);
    expect(report.classes).toEqual([{ classIndex: expect.any(Number), name: 'Sine wave', patches: report.patches }]);
    expect(report.methods.map((m) => m.name)).toEqual(['gradient', 'random']);
    expect(report.unsupported.map((u) => u.name)).toEqual(['grad-cam']);
    for (const m of report.methods) {
      for (const key of FIGURES) expect(m, key).toHaveProperty(key);
      expect(m.perClass.map((c) => c.name)).toEqual(['Sine wave']);
      expect(m.curves.fractions).toHaveLength(17);
      expect(m.deletionAuc.silence).toEqual(expect.any(Number));
      expect(m.insideShare).toEqual(expect.any(Number));
      expect(m.randomizationRankCorrelation).toEqual(expect.any(Number));
    }
    // The student's gradient depends on its weights: randomising the head moves its ranking; the control's does not.
    const [gradient, control] = report.methods;
    expect(Math.abs(control.randomizationRankCorrelation!)).toBeCloseTo(1, 6);
    expect(Math.abs(gradient.randomizationRankCorrelation!)).toBeLessThan(0.9);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  });

  it('prints a table naming the better direction of each figure', { timeout: 120_000 }, async () => {
    const result = await runCli(['evaluate', 'samples/tones.wav', '--model', 'builtin', '--class', 'Sine wave', '--methods', 'gradient,random', '--randomize', 'none']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^method +del sil ↓ +del blur ↓ +ins sil ↑ +ins blur ↑/m);
    expect(result.stdout).toMatch(/^random +\d\.\d{3}/m);
    expect(result.stdout).toMatch(/give --spans FILE/);
  });

  it.each([
    [['--methods', 'blur-IG'], /--methods.*blur-ig/],
    [['--randomize', '0'], /--randomize.*a positive integer/],
    [['--curve-points', '1000'], /--curve-points.*at most 256/],
    [['--spans', '/nonexistent/spans.json'], /Cannot read the spans file/],
    [['--class', 'Sirne'], /Siren/],
    [['--min-score', '1'], /--min-score.*a number in \[0, 1\)/],
  ])('refuses %j in one line, before any model loads', async (args, message) => {
    const result = await runCli(['evaluate', 'samples/tones.wav', '--model', 'builtin', ...(args as string[])]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message as RegExp);
  });

  it('says in one line when the spans file has no entry for the input, and runs on', { timeout: 120_000 }, async () => {
    const spans = join(tempDir(), 'spans.json');
    writeFileSync(spans, JSON.stringify([{ file: 'other.wav', events: [{ class: 'Speech', startSec: 0, endSec: 1 }] }]));
    const result = await runCli(['evaluate', 'samples/tones.wav', '--model', 'builtin', '--class', 'Sine wave', '--methods', 'random', '--randomize', 'none', '--spans', spans, '--json', '-']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/has no entry for tones\.wav/);
    expect((JSON.parse(result.stdout) as EvaluationReport).methods[0].insideShare).toBeNull();
    expect(existsSync(spans)).toBe(true);
  });
});

describeWithModel('blurig evaluate on YAMNet', (modelPath) => {
  it('the default method beats the random control on both curves against both references', { timeout: 600_000 }, async () => {
    const result = await runCli(['evaluate', 'samples/tones.wav', '--model', modelPath, '--class', 'Sine wave', '--methods', `${DEFAULT_PATCH_METHOD},random`, '--randomize', 'none', '--json', '-']);
    expect(result.code, result.stderr).toBe(0);
    const [blur, control] = (JSON.parse(result.stdout) as EvaluationReport).methods;
    expect([blur.name, blur.default]).toEqual([DEFAULT_PATCH_METHOD, true]);
    expect(blur.pairs - blur.skippedPairs).toBeGreaterThanOrEqual(5); // the patches where the sine is heard
    for (const ref of ['silence', 'blur'] as const) {
      expect(blur.deletionAuc[ref]!).toBeLessThan(control.deletionAuc[ref]!);
      expect(blur.insertionAuc[ref]!).toBeGreaterThan(control.insertionAuc[ref]!);
    }
  });
});
