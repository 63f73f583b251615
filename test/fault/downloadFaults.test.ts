// Download and cache faults: stalls time out, the .part goes on any failure (Ctrl-C, SIGTERM, exit), and read-only, full-disk and corrupted-cache errors name their real cause.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelError, OptionError } from '../../src/errors/index.js';
import { downloadModel } from '../../src/model/downloadModel.js';
import { loadModelManifest } from '../../src/model/manifest.js';
import { resolveModel } from '../../src/model/resolveModel.js';
import { writeFailure } from '../../src/model/writeFailure.js';
import { runCli } from '../helpers/runCli.js';
import { localModel, startModelServer, type ModelServer } from '../model/modelServer.js';

const manifest = loadModelManifest({});
/** 200 kB of seeded bytes: the stalling routes send its first 64 KiB; no real model is needed to stall. */
const body = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 2_654_435_761) >>> 24));
const bodySha256 = createHash('sha256').update(body).digest('hex');
const child = fileURLToPath(new URL('./downloadChild.ts', import.meta.url));

let server: ModelServer;
let dir: string;
beforeAll(async () => {
  server = await startModelServer(body);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blurig-download-fault-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

async function downloadError(options: Partial<Parameters<typeof downloadModel>[0]> & { url: string }): Promise<Error> {
  const error = await downloadModel({ sha256: bodySha256, destination: join(dir, 'models', 'm.tflite'), ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** Files left in the download folder (none after a failure: no .part). */
function leftovers(): string[] {
  try {
    return readdirSync(join(dir, 'models'));
  } catch {
    return [];
  }
}

describe('a download that stalls', () => {
  it('times out mid-body after the stall timeout, with one line, and removes its .part', async () => {
    const error = await downloadError({ url: server.stall, stallTimeoutSec: 0.3 });
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toBe(`Could not download YAMNet from ${server.stall} (no data for 0.3 s: the connection stalled). Download it yourself from ${server.stall} and save it as ${join(dir, 'models', 'm.tflite')}, or pass --model PATH or set BLURIG_MODEL=PATH.`);
    expect(leftovers()).toEqual([]);
  });

  it('times out when the server never answers, and takes BLURIG_DOWNLOAD_STALL_SEC from the environment', async () => {
    vi.stubEnv('BLURIG_DOWNLOAD_STALL_SEC', '0.2');
    const error = await downloadError({ url: server.stallBeforeHeaders });
    expect(error.message).toContain('(no data for 0.2 s: the connection stalled)');
    expect(leftovers()).toEqual([]);
  });

  it('refuses a stall timeout that is not a positive number', async () => {
    vi.stubEnv('BLURIG_DOWNLOAD_STALL_SEC', 'soon');
    const error = await downloadError({ url: server.good });
    expect(error).toBeInstanceOf(OptionError);
    expect(error.message).toBe('Expected the `BLURIG_DOWNLOAD_STALL_SEC` option to be a positive number of seconds, got `soon` (string)');
  });

  it('still downloads a file that arrives in time', async () => {
    await downloadModel({ url: server.good, sha256: bodySha256, destination: join(dir, 'models', 'm.tflite'), stallTimeoutSec: 5 });
    expect(leftovers()).toEqual(['m.tflite']);
  });
});

describe('the .part file on a process that ends mid-download', () => {
  /** Runs downloadChild.ts against the stalling route; `act` is called once the first chunk is on disk. */
  function runChild(mode: string, act: (pid: number) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; partsSeen: string[] }> {
    return new Promise((resolve, reject) => {
      const destination = join(dir, 'models', 'm.tflite');
      const proc = spawn(process.execPath, ['--import', 'tsx', child, server.stall, destination, bodySha256, mode], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BLURIG_DOWNLOAD_STALL_SEC: '60' } });
      let partsSeen: string[] = [];
      proc.stdout.once('data', () => {
        partsSeen = leftovers();
        act(proc.pid!);
      });
      proc.on('error', reject);
      proc.on('close', (code, signal) => resolve({ code, signal, partsSeen }));
    });
  }

  it('is removed on Ctrl-C (SIGINT), and the signal then ends the process as it would have', async () => {
    const { code, signal, partsSeen } = await runChild('wait', (pid) => process.kill(pid, 'SIGINT'));
    expect(partsSeen).toHaveLength(1);
    expect(partsSeen[0]).toMatch(/^m\.tflite\.[0-9a-f]{8}\.part$/);
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGINT' });
    expect(leftovers()).toEqual([]);
  });

  it('is removed on SIGTERM', async () => {
    const { signal, partsSeen } = await runChild('wait', (pid) => process.kill(pid, 'SIGTERM'));
    expect(partsSeen).toHaveLength(1);
    expect(signal).toBe('SIGTERM');
    expect(leftovers()).toEqual([]);
  });

  it('is removed when something else calls process.exit mid-download', async () => {
    const { code, partsSeen } = await runChild('exit', () => undefined);
    expect(partsSeen).toHaveLength(1);
    expect(code).toBe(3);
    expect(leftovers()).toEqual([]);
  });

  /** Runs `blurig …args` with an empty cache and the stalling URL, and presses Ctrl-C once a .part exists. */
  function interruptCliDownload(args: string[]): Promise<{ code: number | null; stderr: string; partsSeen: string[] }> {
    return new Promise((resolve, reject) => {
      const cli = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../helpers/cliEntry.ts', import.meta.url)), ...args], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, BLURIG_CACHE_DIR: join(dir, 'models'), BLURIG_MODEL: '', BLURIG_MODEL_URL: server.stall, BLURIG_DOWNLOAD_STALL_SEC: '60' },
      });
      let stderr = '';
      let partsSeen: string[] = [];
      cli.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      // Poll for the .part rather than guess how long loading takes.
      const poll = setInterval(() => {
        if (partsSeen.length > 0 || !leftovers().some((f) => f.endsWith('.part'))) return;
        partsSeen = leftovers();
        cli.kill('SIGINT');
      }, 20);
      cli.on('error', reject);
      cli.on('close', (code) => {
        clearInterval(poll);
        resolve({ code, stderr, partsSeen });
      });
    });
  }

  it('is removed on Ctrl-C while `blurig classify` downloads YAMNet, which exits 130 with one line', async () => {
    const { code, stderr, partsSeen } = await interruptCliDownload(['classify', 'samples/speech.wav']);
    expect(partsSeen.some((f) => f.endsWith('.part'))).toBe(true);
    expect(code).toBe(130);
    expect(leftovers()).toEqual([]);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('is removed on Ctrl-C during `blurig model pull`, which exits 130', async () => {
    const { code, stderr, partsSeen } = await interruptCliDownload(['model', 'pull']);
    expect(partsSeen.some((f) => f.endsWith('.part'))).toBe(true);
    expect(code).toBe(130);
    expect(leftovers()).toEqual([]);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('errors that name the real cause of a failed write', () => {
  const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: it failed, open '/c/m.part'`), { code });

  it('says a read-only or forbidden folder is not writable and how to move the cache, naming BLURIG_CACHE_DIR when it chose it', () => {
    expect(writeFailure('/c', errno('EROFS'), 4_047_424, { BLURIG_CACHE_DIR: '/c' }).message).toBe('BLURIG_CACHE_DIR /c is on a read-only file system (EROFS): set BLURIG_CACHE_DIR to a writable folder');
    expect(writeFailure('/c', errno('EACCES'), 4_047_424, {}).message).toBe('The model cache folder /c is not writable (EACCES): set BLURIG_CACHE_DIR to a writable folder');
    expect(writeFailure('/c', errno('EPERM'), undefined, {}).message).toContain('is not writable (EPERM)');
  });

  it('says a full disk is full, and how much YAMNet needs', () => {
    expect(writeFailure('/c', errno('ENOSPC'), 4_047_424, {}).message).toBe('Could not write the model into /c: the disk is full (ENOSPC): free some disk space (YAMNet needs 4.0 MB), or set BLURIG_CACHE_DIR to a folder on another disk');
    expect(writeFailure('/c', errno('EDQUOT'), undefined, {}).message).toContain('the disk is full (EDQUOT): free some disk space, or');
  });

  it('keeps the system’s words for anything else', () => {
    expect(writeFailure('/c', errno('EIO'), undefined, {}).message).toBe("Could not write the model into /c (EIO: it failed, open '/c/m.part'): set BLURIG_CACHE_DIR to a writable folder with free space");
  });

  // /sys refuses new folders even to root (EPERM), or is read-only (EROFS): a real unwritable cache without mounting anything.
  const unwritable = (() => {
    try {
      mkdirSync('/sys/blurig-audio-probe');
      rmSync('/sys/blurig-audio-probe', { recursive: true });
      return false;
    } catch {
      return true;
    }
  })();
  it.skipIf(!unwritable)('tells an unwritable BLURIG_CACHE_DIR from a full disk on a real download', async () => {
    const cache = '/sys/blurig-audio-cache';
    vi.stubEnv('BLURIG_CACHE_DIR', cache);
    const error = await downloadModel({ url: server.good, sha256: bodySha256, destination: join(cache, 'm.tflite') }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toMatch(/^BLURIG_CACHE_DIR \/sys\/blurig-audio-cache (is not writable|is on a read-only file system) \((EPERM|EACCES|EROFS)\): set BLURIG_CACHE_DIR to a writable folder$/);
  });
});

describe.skipIf(localModel === undefined)('the cached YAMNet copy', () => {
  let cache: string;
  beforeEach(() => {
    cache = join(dir, 'cache');
    mkdirSync(cache);
    vi.stubEnv('BLURIG_CACHE_DIR', cache);
    vi.stubEnv('BLURIG_MODEL', undefined);
    vi.stubEnv('BLURIG_MODEL_URL', server.missing); // never the real URL
  });

  it('is used when its SHA-256 matches the manifest', async () => {
    copyFileSync(localModel!.path, join(cache, manifest.file));
    expect(await resolveModel()).toEqual({ path: join(cache, manifest.file), source: 'cache' });
  });

  it('is refused, naming the file, when one byte of it changed (same size): corrupted, run `blurig model pull`', async () => {
    const damaged = Buffer.from(localModel!.bytes);
    damaged[2_000_000] ^= 0x40; // a weight: the file still parses and loads, which is why its hash must be checked
    writeFileSync(join(cache, manifest.file), damaged);
    const error = await resolveModel().catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toMatch(
      new RegExp(`^The cached YAMNet ${join(cache, manifest.file).replace(/[.]/g, '\\.')} is corrupted \\(SHA-256 [0-9a-f]{12}…, expected ${manifest.sha256.slice(0, 12)}…\\): run \`blurig model pull\` to download it again$`),
    );
  });

  it('is refused by the CLI with that one line and exit 1, before anything loads', async () => {
    const damaged = Buffer.from(localModel!.bytes);
    damaged[2_000_000] ^= 0x40;
    writeFileSync(join(cache, manifest.file), damaged);
    const result = await runCli(['classify', 'samples/speech.wav'], { BLURIG_CACHE_DIR: cache, BLURIG_MODEL: undefined, BLURIG_MODEL_URL: server.missing });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^blurig: The cached YAMNet \S+ is corrupted \(SHA-256 [0-9a-f]{12}…, expected [0-9a-f]{12}…\): run `blurig model pull` to download it again\n$/);
  });
});
