// `blurig batch --queue` with two `blurig worker`s on a real Redis: one is SIGKILLed mid-job and its job finishes on the other, written once.
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestRecord } from '../../src/batch/records.js';
import { removeTempDirs, tempDir } from '../ffmpeg/makeFixtures.js';
import { processExists } from '../helpers/processes.js';
import { runCli } from '../helpers/runCli.js';
import { spawnCli, waitFor, type RunningCli } from '../cli/spawnCli.js';
import { NO_REDIS, redisAvailable, startRedis } from './redis.js';

const FAST = ['--model', 'builtin', '--workers', '1'];
/**
 * A job's lock lapses 3 s after its worker dies and the survivors look for such jobs every second, so a killed
 * worker's job runs again within about 4 s (BullMQ's defaults are 30 s each).
 */
const STALL_ENV = { BLURIG_QUEUE_LOCK_MS: '3000', BLURIG_QUEUE_STALLED_MS: '1000' };

let redis: { url: string; stop: () => Promise<void> } | undefined;
const started: RunningCli[] = [];

beforeAll(async () => {
  if (redisAvailable()) redis = await startRedis();
});

afterAll(async () => {
  for (const cli of started) if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  await Promise.all(started.map((cli) => cli.exited));
  await redis?.stop();
  removeTempDirs();
});

function worker(): RunningCli {
  const cli = spawnCli(['worker', '--queue', redis!.url, '--workers', '1'], { env: STALL_ENV });
  started.push(cli);
  return cli;
}

const manifestLines = (out: string) => readFileSync(join(out, 'manifest.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ManifestRecord);
const report = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe.skipIf(!redisAvailable())(redisAvailable() ? 'blurig batch --queue (BullMQ on Redis)' : `blurig batch --queue (skipped: ${NO_REDIS})`, () => {
  it('two workers drain the queue; one killed mid-job loses nothing; a corrupt file is reported; a rerun does no work; results equal explain', async () => {
    const dir = tempDir();
    for (const name of ['speech.wav', 'tones.wav', 'siren.wav', 'mixture.wav']) copyFileSync(join('samples', name), join(dir, name));
    // Named to sort last: the workers take the jobs in order, so the one killed is mid-way through a real file.
    writeFileSync(join(dir, 'zz-corrupt.wav'), Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '), Buffer.alloc(300, 0x5a)]));
    const out = join(tempDir(), 'out');
    const a = worker();
    const b = worker();
    await waitFor(() => a.stderr().includes('waiting for jobs') && b.stderr().includes('waiting for jobs'), 'both workers to connect', 60_000);

    const batch = spawnCli(['batch', dir, '--out', out, '--queue', redis!.url, '--model', 'builtin']);
    started.push(batch);
    // Kill worker a one second into its first job (each takes several seconds: the model loads, then 14–21 patches).
    await waitFor(() => /taking (\S+)/.test(a.stderr()), 'worker a to take a job', 60_000);
    const taken = /taking (\S+)/.exec(a.stderr())![1];
    await new Promise((r) => setTimeout(r, 1000));
    expect(a.stderr(), 'worker a finished its job before it could be killed').not.toMatch(/\n.*(done|failed) /);
    a.child.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');

    const { code } = await batch.exited;
    expect(code, batch.stderr()).toBe(1); // the corrupt file failed; the rest were done
    expect(batch.stdout()).toBe(`5 files: 4 explained, 0 done earlier, 1 failed · ${join(out, 'summary.json')}\n`);
    const lines = manifestLines(out);
    expect(lines.map((l) => l.folder).sort()).toEqual(['files/mixture.wav', 'files/siren.wav', 'files/speech.wav', 'files/tones.wav', 'files/zz-corrupt.wav']); // one line each
    const killed = lines.find((l) => l.input === taken)!;
    expect(killed.status).toBe('done');
    expect(killed.worker).toMatch(new RegExp(`:${b.child.pid}$`)); // finished by the survivor …
    expect(killed.attempts).toBeGreaterThanOrEqual(2); // … on a second attempt, after stalled-job recovery
    expect(lines.find((l) => l.folder === 'files/zz-corrupt.wav')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(lines.find((l) => l.folder === 'files/zz-corrupt.wav')!.error).toMatch(/zz-corrupt\.wav/);
    expect(b.stderr().match(new RegExp(`(done|failed) ${taken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'g'))).toHaveLength(1); // written once
    // No staged or half-replaced folder is left: only the five outputs' folders, each with its explain.json.
    const entries = readdirSync(join(out, 'files'));
    expect(entries.sort()).toEqual(['mixture.wav', 'siren.wav', 'speech.wav', 'tones.wav']);
    for (const name of entries) expect(readdirSync(join(out, 'files', name))).toEqual(['explain.json']);

    // The queue's result for a file is what `blurig explain` writes for it, key for key.
    const explained = join(tempDir(), 'speech.json');
    const direct = await runCli(['explain', join(dir, 'speech.wav'), '--json', explained, ...FAST]);
    expect(direct.code, direct.stderr).toBe(0);
    expect(report(join(out, 'files/speech.wav/explain.json'))).toEqual(report(explained));

    // Without the corrupt file a rerun finds everything done: no job is queued, the worker takes nothing.
    rmSync(join(dir, 'zz-corrupt.wav'));
    const takenBefore = b.stderr().match(/taking /g)!.length;
    const rerun = await runCli(['batch', dir, '--out', out, '--queue', redis!.url, '--model', 'builtin']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toBe(`4 files, all done earlier with these settings (${join(out, 'manifest.ndjson')}): nothing to do.\n`);
    await new Promise((r) => setTimeout(r, 500));
    expect(b.stderr().match(/taking /g)!.length).toBe(takenBefore);
    expect(manifestLines(out)).toHaveLength(5);

    // Ctrl-C stops a worker at once, exit 130, one line, and no process of it stays.
    b.child.kill('SIGINT');
    const stopped = await b.exited;
    expect(stopped.code, b.stderr()).toBe(130);
    expect(b.stderr()).toMatch(/\nblurig: interrupted: the worker stopped; a job it was running returns to the queue when its lock lapses\n$/);
    expect(processExists(a.child.pid!)).toBe(false);
    expect(processExists(b.child.pid!)).toBe(false);
  }, 300_000);

  it('says in one line when Redis does not answer', async () => {
    const res = await runCli(['batch', 'samples/speech.wav', '--out', tempDir(), '--queue', 'redis://127.0.0.1:1', '--model', 'builtin']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^blurig: Cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(.*\): start redis-server there, or check the host and port of --queue\.\n$/);
  }, 60_000);
});
