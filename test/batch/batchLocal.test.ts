// `blurig batch` on one machine: every file into its own folder, a bad file reported and skipped, a rerun that does no work, results equal `explain`'s.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ManifestRecord } from '../../src/batch/records.js';
import type { CorpusSummary } from '../../src/batch/summary.js';
import { removeTempDirs, tempDir } from '../ffmpeg/makeFixtures.js';
import { runCli } from '../helpers/runCli.js';
import { spawnCli, waitFor } from '../cli/spawnCli.js';

afterAll(removeTempDirs);

/** The student model and one worker thread: fast, and the same numbers as explain's defaults on one thread. */
const FAST = ['--model', 'builtin', '--workers', '1'];

function corpus(): string {
  const dir = tempDir();
  copyFileSync('samples/speech.wav', join(dir, 'speech.wav'));
  mkdirSync(join(dir, 'more'));
  copyFileSync('samples/tones.wav', join(dir, 'more', 'tones.wav'));
  writeFileSync(join(dir, 'corrupt.wav'), Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '), Buffer.alloc(300, 0x5a)]));
  return dir;
}

const manifestLines = (out: string) => readFileSync(join(out, 'manifest.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ManifestRecord);
/** Every entry below `dir`, hidden ones included (a staged folder left behind would show). */
const tree = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
/** The explain JSON without what may differ between runs: nothing (it has no timings), so all of it. */
const report = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('blurig batch (one machine)', () => {
  it('explains each file into its folder, reports the corrupt one and goes on, then a rerun does no work', async () => {
    const dir = corpus();
    const out = join(tempDir(), 'out');
    const first = await runCli(['batch', dir, '--out', out, ...FAST]);
    expect(first.code, first.stderr).toBe(1); // some file failed: said at the end, after the others were done
    expect(first.stderr).toMatch(/^blurig: 1 of 3 files failed \(the first, .*corrupt\.wav: .+\); see .*manifest\.ndjson, and rerun to retry them\.$/m);
    expect(first.stdout).toBe(`3 files: 2 explained, 0 done earlier, 1 failed · ${join(out, 'summary.json')}\n`);
    const lines = manifestLines(out);
    expect(lines.map((l) => [l.folder, l.status])).toEqual([
      ['files/corrupt.wav', 'failed'],
      ['files/more/tones.wav', 'done'],
      ['files/speech.wav', 'done'],
    ]);
    const [bad, tones] = lines;
    expect(bad.error).toMatch(/corrupt\.wav/);
    expect(bad.model).toBe('blurig student (distilled from YAMNet)');
    expect(tones).toMatchObject({ size: statSync('samples/tones.wav').size, status: 'done', error: null, attempts: 1, model: 'blurig student (distilled from YAMNet)' });
    expect(tones.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(tones.timings.totalMs).toBeGreaterThan(0);
    expect(tones.audioSec).toBeCloseTo(6.5, 1);
    expect(tree(out)).toEqual(['files', 'files/more', 'files/more/tones.wav', 'files/more/tones.wav/explain.json', 'files/speech.wav', 'files/speech.wav/explain.json', 'manifest.ndjson', 'summary.json']);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as CorpusSummary;
    expect(summary.files).toEqual({ total: 3, done: 2, failed: 1, skipped: 0 });
    expect(summary.classes.find((c) => c.name === 'Speech')).toMatchObject({ files: 1, detections: 1 });

    // A rerun retries the failed file only; the done ones are skipped, their folders untouched.
    const mtime = () => statSync(join(out, 'files/speech.wav/explain.json')).mtimeMs;
    const before = mtime();
    const second = await runCli(['batch', dir, '--out', out, ...FAST]);
    expect(second.code, second.stderr).toBe(1);
    expect(second.stdout).toBe(`3 files: 0 explained, 2 done earlier, 1 failed · ${join(out, 'summary.json')}\n`);
    expect(manifestLines(out).map((l) => l.folder)).toEqual(['files/corrupt.wav', 'files/more/tones.wav', 'files/speech.wav', 'files/corrupt.wav']);
    expect(mtime()).toBe(before);

    // With the corrupt file gone, everything is done: no work, no line, no folder rewritten.
    rmSync(join(dir, 'corrupt.wav'));
    const third = await runCli(['batch', dir, '--out', out, ...FAST]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toBe(`2 files, all done earlier with these settings (${join(out, 'manifest.ndjson')}): nothing to do.\n`);
    expect(manifestLines(out)).toHaveLength(4);
    expect(mtime()).toBe(before);

    // The folder holds what `blurig explain` writes for the same file and options, key for key.
    const explained = join(tempDir(), 'speech.json');
    const direct = await runCli(['explain', join(dir, 'speech.wav'), '--json', explained, ...FAST]);
    expect(direct.code, direct.stderr).toBe(0);
    expect(report(join(out, 'files/speech.wav/explain.json'))).toEqual(report(explained));

    // Other settings are other work: the folder is replaced, whole.
    const steps = await runCli(['batch', join(dir, 'speech.wav'), '--out', out, ...FAST, '--steps', '8', '--png']);
    expect(steps.code, steps.stderr).toBe(0);
    expect(steps.stdout).toMatch(/^1 files: 1 explained, 0 done earlier, 0 failed/);
    expect(tree(join(out, 'files'))).toEqual(['more', 'more/tones.wav', 'more/tones.wav/explain.json', 'speech.wav', 'speech.wav/explain.json', 'speech.wav/heatmap.png']);
    expect(report(join(out, 'files/speech.wav/explain.json'))).not.toEqual(report(explained));
  });

  it('Ctrl-C: exit 130 after the finished files, the manifest holds them, no half folder; a rerun does the rest', async () => {
    const dir = tempDir();
    for (const name of ['speech.wav', 'tones.wav', 'siren.wav']) copyFileSync(join('samples', name), join(dir, name));
    const out = join(tempDir(), 'out');
    const cli = spawnCli(['batch', dir, '--out', out, ...FAST]);
    await waitFor(() => cli.stderr().includes('[1/3] done'), 'the first file to finish');
    cli.child.kill('SIGINT');
    const { code } = await cli.exited;
    expect(code, cli.stderr()).toBe(130);
    const last = cli.stderr().trimEnd().split('\n').at(-1);
    expect(last).toMatch(/^blurig: interrupted: [12] of 3 files finished \(0 failed\), 0 done earlier; .*manifest\.ndjson holds them, a rerun does the rest$/);
    const finished = Number(/interrupted: (\d)/.exec(last!)![1]);
    expect(manifestLines(out)).toHaveLength(finished);
    expect(readdirSync(join(out, 'files')).filter((n) => n.startsWith('.'))).toEqual([]); // the stopped file's staged folder is gone
    expect(readdirSync(join(out, 'files'))).toHaveLength(finished);
    const rest = await runCli(['batch', dir, '--out', out, ...FAST]);
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stdout).toMatch(new RegExp(`^3 files: ${3 - finished} explained, ${finished} done earlier, 0 failed`));
  });

  it('checks its options before anything loads, in one line', async () => {
    const noOut = await runCli(['batch', 'samples/speech.wav']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toBe("blurig: blurig batch needs --out DIR, the folder the results go to. Run 'blurig batch --help'.\n");
    const badQueue = await runCli(['batch', 'samples/speech.wav', '--out', tempDir(), '--queue', 'localhost:6379']);
    expect(badQueue.code).toBe(1);
    expect(badQueue.stderr).toMatch(/^blurig: Expected the `--queue` option to be a Redis URL, redis:\/\/HOST:PORT.*\n$/);
    const missing = await runCli(['batch', 'samples/nope.wav', '--out', tempDir()]);
    expect(missing.stderr).toBe('blurig: Input "samples/nope.wav" does not exist: give a folder, a list (.txt, one path a line) or audio files.\n');
    const help = await runCli(['batch', '--help']);
    expect(help.stdout).toMatch(/^Usage: blurig batch <folder\|list.txt\|glob>… --out DIR/);
    const worker = await runCli(['worker']);
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(/^blurig: blurig worker needs --queue redis:\/\/HOST:PORT/);
  });
});
