// The corpus runner's pure parts: inputs and folder names, the manifest's last-line rule and skip test, atomic folders, the summary.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBullmq } from '../../src/batch/bullmq/loadBullmq.js';
import { redisConnection } from '../../src/batch/bullmq/redisUrl.js';
import { settingsKey } from '../../src/batch/fileIdentity.js';
import { expandInputs, outputFolders } from '../../src/batch/inputs.js';
import { appendManifest, isDone, readManifest } from '../../src/batch/manifest.js';
import { folderStore } from '../../src/batch/outputStore.js';
import type { BatchFile, ManifestRecord } from '../../src/batch/records.js';
import { summariseCorpus } from '../../src/batch/summary.js';
import type { ExplainReport } from '../../src/render/explainJson.js';
import { removeTempDirs, tempDir } from '../ffmpeg/makeFixtures.js';

afterAll(removeTempDirs);

function corpus(): string {
  const dir = tempDir();
  for (const name of ['a.wav', 'sub/b.flac', 'sub/deeper/c.mp3', 'notes.md', '.hidden.wav']) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), name);
  }
  return dir;
}

describe('inputs', () => {
  it('walks folders for audio files, reads lists, expands globs, without duplicates', () => {
    const dir = corpus();
    expect(expandInputs(['.'], dir).map((f) => f.input)).toEqual(['a.wav', 'sub/b.flac', 'sub/deeper/c.mp3']);
    writeFileSync(join(dir, 'list.txt'), '# two files\nsub/b.flac\n\na.wav\n');
    expect(expandInputs(['list.txt', 'a.wav'], dir).map((f) => f.input)).toEqual(['sub/b.flac', 'a.wav']);
    expect(expandInputs(['sub/**/*.mp3'], dir).map((f) => f.input)).toEqual(['sub/deeper/c.mp3']);
    expect(expandInputs(['**/*.flac', '*.wav'], dir).map((f) => f.input)).toEqual(['sub/b.flac', 'a.wav']);
  });

  it('gives each file a folder below files/, its path under the common folder', () => {
    const dir = corpus();
    const files = expandInputs(['.'], dir);
    expect(outputFolders(files)).toEqual(['files/a.wav', 'files/sub/b.flac', 'files/sub/deeper/c.mp3']);
    expect(outputFolders(expandInputs(['sub/b.flac'], dir))).toEqual(['files/b.flac']);
  });

  it('refuses a missing input, an empty glob and a list naming a missing file, in one line', () => {
    const dir = corpus();
    expect(() => expandInputs(['nope.wav'], dir)).toThrow(/^Input "nope.wav" does not exist: give a folder/);
    expect(() => expandInputs(['*.ogg'], dir)).toThrow(/^No audio file matches "\*.ogg"/);
    writeFileSync(join(dir, 'bad.txt'), 'gone.wav\n');
    expect(() => expandInputs(['bad.txt'], dir)).toThrow(/^"gone.wav" \(listed in bad.txt\) is not a file: fix the list/);
  });
});

const settings = { model: { model: 'builtin' }, options: {}, outputs: { png: false, svg: false, pdf: false, npy: false, listen: false, html: false }, figure: {}, args: {} };
const key = settingsKey(settings);
const file: BatchFile = { input: 'a.wav', path: '/x/a.wav', folder: 'files/a.wav', sizeBytes: 4, hash: 'sha256:aa' };

function record(status: 'done' | 'failed', over: Partial<ManifestRecord> = {}): ManifestRecord {
  const timings = { startedAt: '', finishedAt: '', explainMs: 900, writeMs: 100, totalMs: 1000 };
  return { input: 'a.wav', folder: 'files/a.wav', size: 4, hash: 'sha256:aa', status, model: 'm', settings: { ...settings, key }, timings, error: status === 'failed' ? 'bad' : null, worker: 'h:1', attempts: 1, patches: 2, audioSec: 1.5, detections: 1, ...over };
}

describe('manifest', () => {
  it('keeps the last line of each folder and skips a torn last line', () => {
    const path = join(tempDir(), 'manifest.ndjson');
    appendManifest(path, record('failed'));
    appendManifest(path, record('done'));
    writeFileSync(path, readFileSync(path, 'utf8') + '{"input":"b.wav","fol');
    const latest = readManifest(path);
    expect([...latest.keys()]).toEqual(['files/a.wav']);
    expect(latest.get('files/a.wav')!.status).toBe('done');
  });

  it('counts a file done only when done, unchanged, with the same settings and its folder present', () => {
    const exists = () => true;
    expect(isDone(record('done'), file, key, exists)).toBe(true);
    expect(isDone(record('failed'), file, key, exists)).toBe(false);
    expect(isDone(record('done', { hash: 'sha256:bb' }), file, key, exists)).toBe(false);
    expect(isDone(record('done'), file, settingsKey({ ...settings, args: { method: 'blur-ig' } }), exists)).toBe(false);
    expect(isDone(record('done'), file, key, () => false)).toBe(false);
    expect(isDone(undefined, file, key, exists)).toBe(false);
  });
});

describe('folderStore', () => {
  it('commits a staged folder by rename, keeps the first of two commits, replaces only when asked, sweeps leftovers', () => {
    const out = tempDir();
    const store = folderStore(out);
    const first = store.stage('files/a.wav');
    writeFileSync(join(first, 'explain.json'), '1');
    const second = store.stage('files/a.wav');
    writeFileSync(join(second, 'explain.json'), '2');
    const dead = store.stage('files/a.wav'); // as a worker killed mid-file leaves it
    expect(store.commit('files/a.wav', first, false)).toBe(true);
    expect(store.commit('files/a.wav', second, false)).toBe(false); // a second attempt of the same job: one copy
    expect(store.readText('files/a.wav', 'explain.json')).toBe('1');
    const third = store.stage('files/a.wav');
    writeFileSync(join(third, 'explain.json'), '3');
    expect(store.commit('files/a.wav', third, true)).toBe(true);
    expect(store.readText('files/a.wav', 'explain.json')).toBe('3');
    expect(existsSync(dead)).toBe(true);
    expect(store.sweep()).toBe(1);
    expect(readdirSync(join(out, 'files'))).toEqual(['a.wav']);
  });

  it('keeps the previous folder when a replacing commit fails', () => {
    const out = tempDir();
    const store = folderStore(out);
    const first = store.stage('files/a.wav');
    writeFileSync(join(first, 'explain.json'), '1');
    store.commit('files/a.wav', first, false);
    const vanished = store.stage('files/a.wav');
    rmSync(vanished, { recursive: true }); // the staged copy is gone (a full or lost file system): the rename fails
    expect(() => store.commit('files/a.wav', vanished, true)).toThrow();
    expect(store.readText('files/a.wav', 'explain.json')).toBe('1');
    expect(readdirSync(join(out, 'files'))).toEqual(['a.wav']);
  });
});

describe('summary', () => {
  it('adds detections, band shares, scales, completeness and cost per class over the files', () => {
    const band = (j: number) => Array.from({ length: 64 }, (_, i) => (i === j ? 1 : i === j + 1 ? -5 : 0));
    const report = (peak: number): ExplainReport =>
      ({
        classes: [{ index: 0, name: 'Speech' }],
        detections: [{ classIndex: 0, name: 'Speech', startSec: 0, endSec: 2, peakScore: peak, peakSec: 1, evidence: null }],
        patches: [0, 1].map((index) => ({ index, startSec: index * 0.48, classIndex: 0, score: 0.9, logit: 2, value: 0.9, baselineValue: 0.1, attributionSum: 0.8, relError: index * 0.01, scale: [{ sigmaTime: 1, sigmaFrequency: 2, contribution: 0.1 }, { sigmaTime: 3, sigmaFrequency: 4, contribution: 0.7 }] })),
        frames: [{ index: 0, timeSec: 0, classIndex: 0, attribution: band(3) }, { index: 1, timeSec: 0.01, classIndex: 0, attribution: band(7).map((x, i) => (i === 7 ? 3 : x)) }],
      }) as unknown as ExplainReport;
    const records = [record('done', { folder: 'f1' }), record('done', { folder: 'f2' }), record('failed', { folder: 'f3', input: 'bad.wav', error: 'cannot decode' })];
    const summary = summariseCorpus(records, (folder) => report(folder === 'f1' ? 0.7 : 0.9), { settings: { ...settings, key }, skipped: 4, wallMs: 2500 });
    expect(summary.files).toEqual({ total: 3, done: 2, failed: 1, skipped: 4 });
    expect(summary.failures).toEqual([{ input: 'bad.wav', folder: 'f3', error: 'cannot decode' }]);
    expect(summary.audioSec).toBe(3);
    expect(summary.cost).toEqual({ fileMs: 3000, wallMs: 2500, msPerAudioSec: 1000 });
    const [speech] = summary.classes;
    expect(speech).toMatchObject({ classIndex: 0, name: 'Speech', files: 2, detections: 2, detectedSec: 4, maxPeakScore: 0.9, explainedPatches: 4, scale: { sigmaTime: 3, sigmaFrequency: 4 }, completeness: { median: 0.01, max: 0.01 }, costMs: 1800 });
    // Positive mass only: band 7 carries 3 of 4 per file, band 3 one; the negative neighbours do not count.
    expect(speech.bands.map((b) => [b.band, b.share])).toEqual([[7, 0.75], [3, 0.25]]);
  });
});

describe('--queue checks', () => {
  it('parses redis URLs and refuses other forms in one line', () => {
    expect(redisConnection('redis://127.0.0.1:6390')).toMatchObject({ host: '127.0.0.1', port: 6390, maxRetriesPerRequest: null });
    expect(redisConnection('rediss://:s3cret@cache.example:6380/2')).toMatchObject({ host: 'cache.example', port: 6380, password: 's3cret', db: 2, tls: {} });
    expect(() => redisConnection('localhost:6379')).toThrow(/^Expected the `--queue` option to be a Redis URL, redis:\/\/HOST:PORT/);
    expect(() => redisConnection('http://x:1')).toThrow(/--queue/);
  });

  it('names the install command when bullmq or ioredis is missing', async () => {
    const missing = (name: string) => Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(loadBullmq(async (name) => Promise.reject(missing(name)))).rejects.toThrow('--queue needs the optional package bullmq, which is not installed: run `npm install bullmq ioredis` beside blurig-audio.');
    await expect(loadBullmq(async (name) => (name === 'ioredis' ? Promise.reject(missing(name)) : {}))).rejects.toThrow(/optional package ioredis/);
  });
});
