// downloadModel against a local server: success, redirects, corruption, HTTP errors, offline, progress; never the real URL.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors/index.js';
import { downloadModel } from '../../src/model/downloadModel.js';
import { loadModelManifest } from '../../src/model/manifest.js';
import { localModel, missingModelReason, startModelServer, unreachableUrl, type ModelServer } from './modelServer.js';

const manifest = loadModelManifest({});
let dir: string;
let destination: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'blurig-download-'));
  destination = join(dir, 'models', manifest.file);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Everything left in the destination's folder, so a test can prove nothing (not even a .part) remains. */
async function leftovers(): Promise<string[]> {
  return readdir(join(dir, 'models')).catch(() => []);
}

async function downloadError(url: string): Promise<ModelError> {
  const error = await downloadModel({ url, sha256: manifest.sha256, bytes: manifest.bytes, destination }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

if (missingModelReason !== undefined) console.warn(`Skipping download tests: ${missingModelReason}`);

describe.skipIf(localModel === undefined)('downloadModel with the real file', () => {
  let server: ModelServer;
  beforeAll(async () => {
    server = await startModelServer(localModel!.bytes);
  });
  afterAll(async () => {
    await server.close();
  });

  it('downloads, verifies and installs the file, reporting progress up to the total', async () => {
    const progress: [number, number | undefined][] = [];
    await downloadModel({
      url: server.good,
      sha256: manifest.sha256,
      bytes: manifest.bytes,
      destination,
      onProgress: (received, total) => progress.push([received, total]),
    });
    const installed = await readFile(destination);
    expect(createHash('sha256').update(installed).digest('hex')).toBe(manifest.sha256);
    expect(await leftovers()).toEqual([manifest.file]);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual([manifest.bytes, manifest.bytes]);
    const received = progress.map(([r]) => r);
    expect(received).toEqual([...received].sort((a, b) => a - b));
  });

  it('follows redirects', async () => {
    await downloadModel({ url: server.redirect, sha256: manifest.sha256, bytes: manifest.bytes, destination });
    expect((await readFile(destination)).equals(localModel!.bytes)).toBe(true);
  });

  it('rejects a corrupt file with the checksum message and leaves nothing behind', async () => {
    const error = await downloadError(server.corrupt);
    expect(error.message).toMatch(
      new RegExp(`^Downloaded file from ${server.corrupt} has SHA-256 [0-9a-f]{64}, expected ${manifest.sha256}: the download is corrupt or the file changed upstream; nothing was installed$`),
    );
    expect(await leftovers()).toEqual([]);
  });

  it('rejects a file of the wrong size and leaves nothing behind', async () => {
    const error = await downloadModel({ url: server.good, sha256: manifest.sha256, bytes: manifest.bytes + 1, destination }).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`has ${manifest.bytes} bytes, expected ${manifest.bytes + 1}`);
    expect(await leftovers()).toEqual([]);
  });

  it('reports an HTTP error with how to get the model by hand', async () => {
    const error = await downloadError(server.missing);
    expect(error.message).toBe(
      `Could not download YAMNet from ${server.missing} (HTTP 404 Not Found). Download it yourself from ${server.missing} and save it as ${destination}, or pass --model PATH or set BLURIG_MODEL=PATH.`,
    );
    expect(await leftovers()).toEqual([]);
  });

  it('is cancelled by an aborted signal and leaves nothing behind', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await downloadModel({ url: server.good, sha256: manifest.sha256, destination, signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`Download of YAMNet from ${server.good} was cancelled; nothing was installed`);
    expect(await leftovers()).toEqual([]);
  });

  it('removes the partial file when cancelled halfway', async () => {
    const controller = new AbortController();
    const error = await downloadModel({
      url: server.good,
      sha256: manifest.sha256,
      destination,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('was cancelled; nothing was installed');
    expect(await leftovers()).toEqual([]);
  });
});

describe('downloadModel without a server', () => {
  it('says how to get the model by hand when offline', async () => {
    const url = await unreachableUrl();
    const error = await downloadError(url);
    expect(error.message).toMatch(/^Could not download YAMNet from \S+ \(.*ECONNREFUSED.*\)\. /);
    expect(error.message).toContain(`Download it yourself from ${url} and save it as ${destination}, or pass --model PATH or set BLURIG_MODEL=PATH.`);
    expect(error.message).not.toContain('\n');
    expect(await leftovers()).toEqual([]);
  });
});
