// resolveModel and modelInfo: the order flag > env > cache > download, and the messages when each step fails.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelError } from '../../src/errors/index.js';
import { loadModelManifest } from '../../src/model/manifest.js';
import { modelInfo, resolveModel } from '../../src/model/resolveModel.js';
import { defaultStudentPath } from '../../src/model/student/studentModel.js';
import { localModel, missingModelReason, startModelServer, unreachableUrl, type ModelServer } from './modelServer.js';

const manifest = loadModelManifest({});
let dir: string;
let cacheDir: string;
let cachePath: string;
let offlineUrl: string;

beforeAll(async () => {
  offlineUrl = await unreachableUrl();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'blurig-resolve-'));
  cacheDir = join(dir, 'cache');
  cachePath = join(cacheDir, manifest.file);
  vi.stubEnv('BLURIG_CACHE_DIR', cacheDir);
  vi.stubEnv('BLURIG_MODEL', undefined);
  // Every test points the download at 127.0.0.1, so a slip in the code under test can never reach the real URL.
  vi.stubEnv('BLURIG_MODEL_URL', offlineUrl);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

/** A stand-in model of `bytes` zeros: right for the paths that check existence and size (a cached copy is hashed too). */
async function fakeModel(path: string, bytes = manifest.bytes): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '');
  await truncate(path, bytes);
  return path;
}

async function resolveError(options: Parameters<typeof resolveModel>[0]): Promise<ModelError> {
  const error = await resolveModel(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

/** resolveModel, collecting the reasons it gives for falling back to the built-in student. */
async function resolveWithFallback(options: Parameters<typeof resolveModel>[0]): Promise<{ resolved: Awaited<ReturnType<typeof resolveModel>>; reasons: string[] }> {
  const reasons: string[] = [];
  const resolved = await resolveModel({ ...options, onBuiltinFallback: (reason) => reasons.push(reason) });
  return { resolved, reasons };
}

describe('resolveModel without downloading', () => {
  it('prefers --model over BLURIG_MODEL and the cache', async () => {
    const flag = await fakeModel(join(dir, 'flag.tflite'), 10);
    vi.stubEnv('BLURIG_MODEL', await fakeModel(join(dir, 'env.tflite'), 10));
    await fakeModel(cachePath);
    expect(await resolveModel({ modelPath: flag })).toEqual({ path: flag, source: 'flag' });
  });

  it('prefers BLURIG_MODEL over the cache', async () => {
    const env = await fakeModel(join(dir, 'env.tflite'), 10);
    vi.stubEnv('BLURIG_MODEL', env);
    await fakeModel(cachePath);
    expect(await resolveModel()).toEqual({ path: env, source: 'env' });
  });

  it.skipIf(localModel === undefined)('uses a cached file of the right size and SHA-256 without downloading', async () => {
    await mkdir(cacheDir, { recursive: true });
    await writeFile(cachePath, localModel!.bytes);
    const onDownloadStart = vi.fn();
    expect(await resolveModel({ onDownloadStart })).toEqual({ path: cachePath, source: 'cache' });
    expect(onDownloadStart).not.toHaveBeenCalled();
  });

  it('refuses a cached file of the right size whose SHA-256 is wrong, without downloading or falling back', async () => {
    await fakeModel(cachePath); // zeros: the right size, the wrong bytes
    const onDownloadStart = vi.fn();
    const onBuiltinFallback = vi.fn();
    const error = await resolveError({ onDownloadStart, onBuiltinFallback });
    expect(error.message).toBe(`The cached YAMNet ${cachePath} is corrupted (SHA-256 ${createHash('sha256').update(Buffer.alloc(manifest.bytes)).digest('hex').slice(0, 12)}…, expected ${manifest.sha256.slice(0, 12)}…): run \`blurig model pull\` to download it again`);
    expect(error.path).toBe(cachePath);
    expect(onDownloadStart).not.toHaveBeenCalled();
    expect(onBuiltinFallback).not.toHaveBeenCalled();
  });

  it('names --model when the flag path does not exist, even if the cache is fine', async () => {
    await fakeModel(cachePath);
    const missing = join(dir, 'nope.tflite');
    const error = await resolveError({ modelPath: missing });
    expect(error.message.startsWith(`Model file ${missing} (from --model) does not exist: `)).toBe(true);
  });

  it('names BLURIG_MODEL when the env path does not exist', async () => {
    const missing = join(dir, 'nope.tflite');
    vi.stubEnv('BLURIG_MODEL', missing);
    const error = await resolveError({});
    expect(error.message.startsWith(`Model file ${missing} (from BLURIG_MODEL) does not exist: `)).toBe(true);
  });

  it('falls back to the built-in student when nothing is installed and downloading is off, saying how to get YAMNet', async () => {
    const { resolved, reasons } = await resolveWithFallback({ download: false });
    expect(resolved).toEqual({ path: defaultStudentPath(), source: 'builtin' });
    expect(reasons).toEqual([
      `YAMNet is not installed and downloading is turned off. Download it yourself from ${offlineUrl} and save it as ${cachePath}, or pass --model PATH or set BLURIG_MODEL=PATH.`,
    ]);
  });

  it('treats a cached file of the wrong size as absent', async () => {
    await fakeModel(cachePath, 1000);
    const { resolved, reasons } = await resolveWithFallback({ download: false });
    expect(resolved.source).toBe('builtin');
    expect(reasons[0]).toContain(`at ${cachePath} has 1000 bytes instead of ${manifest.bytes}`);
    expect(reasons[0]).toContain(`save it as ${cachePath}, or pass --model PATH or set BLURIG_MODEL=PATH.`);
  });

  it('gives --model builtin the student without looking anywhere else', async () => {
    const onDownloadStart = vi.fn();
    expect(await resolveModel({ modelPath: 'builtin', onDownloadStart })).toEqual({ path: defaultStudentPath(), source: 'builtin' });
    expect(onDownloadStart).not.toHaveBeenCalled();
  });

  it('falls back to the student, with the offline message naming the cache path, when the download cannot connect', async () => {
    const { resolved, reasons } = await resolveWithFallback({});
    expect(resolved.source).toBe('builtin');
    const [reason] = reasons;
    expect(reason.startsWith(`Could not download YAMNet from ${offlineUrl} (`)).toBe(true);
    expect(reason).toMatch(/ECONNREFUSED/);
    expect(reason).toContain(`save it as ${cachePath}, or pass --model PATH or set BLURIG_MODEL=PATH.`);
    expect(await readdir(cacheDir)).toEqual([]);
  });
});

if (missingModelReason !== undefined) console.warn(`Skipping resolveModel download tests: ${missingModelReason}`);

describe.skipIf(localModel === undefined)('resolveModel downloading from a local server', () => {
  let server: ModelServer;
  beforeAll(async () => {
    server = await startModelServer(localModel!.bytes);
  });
  afterAll(async () => {
    await server.close();
  });

  it('downloads into the cache once, then finds it there', async () => {
    vi.stubEnv('BLURIG_MODEL_URL', server.redirect);
    const starts: [string, string][] = [];
    const progress: number[] = [];
    const first = await resolveModel({
      onDownloadStart: (url, destination) => starts.push([url, destination]),
      onProgress: (received, total) => {
        expect(total).toBe(manifest.bytes);
        progress.push(received);
      },
    });
    expect(first).toEqual({ path: cachePath, source: 'download' });
    expect(starts).toEqual([[server.redirect, cachePath]]);
    expect(progress.at(-1)).toBe(manifest.bytes);

    const requestsBefore = server.requests.length;
    expect(await resolveModel()).toEqual({ path: cachePath, source: 'cache' });
    expect(server.requests.length).toBe(requestsBefore);
  });

  it('replaces a cached file of the wrong size', async () => {
    vi.stubEnv('BLURIG_MODEL_URL', server.good);
    await fakeModel(cachePath, 1000);
    expect(await resolveModel()).toEqual({ path: cachePath, source: 'download' });
    const info = await modelInfo();
    expect(info).toMatchObject({ cachePath, installed: true, bytes: manifest.bytes, sha256: manifest.sha256, sha256Ok: true });
    expect(await readdir(cacheDir)).toEqual([manifest.file]);
  });

  it('leaves the cache empty when the download is corrupt, and falls back to the student saying why', async () => {
    vi.stubEnv('BLURIG_MODEL_URL', server.corrupt);
    const { resolved, reasons } = await resolveWithFallback({});
    expect(resolved.source).toBe('builtin');
    expect(reasons[0]).toContain('the download is corrupt or the file changed upstream; nothing was installed');
    expect(await readdir(cacheDir)).toEqual([]);
  });
});

describe('modelInfo', () => {
  it('reports an empty cache and the BLURIG_MODEL override', async () => {
    vi.stubEnv('BLURIG_MODEL', '/somewhere/yamnet.tflite');
    const info = await modelInfo();
    expect(info).toEqual({ manifest: { ...manifest, url: offlineUrl }, cachePath, installed: false, envPath: '/somewhere/yamnet.tflite' });
  });

  it('flags a cached file whose bytes do not match the manifest', async () => {
    await fakeModel(cachePath);
    const info = await modelInfo();
    expect(info).toMatchObject({ installed: true, bytes: manifest.bytes, sha256Ok: false });
    expect(info.envPath).toBeUndefined();
  });
});
