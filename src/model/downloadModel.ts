// Downloads the model file once: streamed to a .part file beside the target, hashed on the way, checked, then renamed into place.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ModelError } from '../errors/index.js';

/** Options of {@link downloadModel}. */
export interface DownloadModelOptions {
  /** Where to fetch from; redirects are followed. */
  readonly url: string;
  /** Expected lower-case hex SHA-256; nothing is installed unless the download matches it. */
  readonly sha256: string;
  /** Expected size in bytes; also the progress total when the server sends no Content-Length. */
  readonly bytes?: number;
  /** Final path of the file; its folder is created if needed. */
  readonly destination: string;
  /** Called after every chunk with the bytes received so far and the total, when known. */
  readonly onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
  /** Aborts the download; the partial file is removed. */
  readonly signal?: AbortSignal;
}

/** The one sentence that tells a person how to install the model by hand, shared by every "could not get it" message. */
export function howToGetModel(url: string, destination: string): string {
  return `Download it yourself from ${url} and save it as ${destination}, or pass --model PATH or set BLURIG_MODEL=PATH.`;
}

/** Downloads `url` to `destination` atomically: the destination either appears complete and verified, or not at all. */
export async function downloadModel(options: DownloadModelOptions): Promise<void> {
  const { url, destination } = options;
  await mkdir(dirname(destination), { recursive: true }).catch((error) => {
    throw cannotWrite(dirname(destination), error);
  });
  // A unique .part name lets two processes download at once without writing into each other's file.
  const partPath = join(dirname(destination), `${basename(destination)}.${randomBytes(4).toString('hex')}.part`);
  try {
    const { receivedBytes, sha256 } = await fetchToFile(options, partPath);
    if (options.bytes !== undefined && receivedBytes !== options.bytes) {
      throw new ModelError(
        `Downloaded file from ${url} has ${receivedBytes} bytes, expected ${options.bytes}: the download is incomplete or the file changed upstream; nothing was installed`,
        destination,
      );
    }
    if (sha256 !== options.sha256.toLowerCase()) {
      throw new ModelError(
        `Downloaded file from ${url} has SHA-256 ${sha256}, expected ${options.sha256.toLowerCase()}: the download is corrupt or the file changed upstream; nothing was installed`,
        destination,
      );
    }
    // rename() within one folder is atomic, so a reader never sees a half-written model.
    await rename(partPath, destination).catch((error) => {
      throw cannotWrite(destination, error);
    });
  } catch (error) {
    await rm(partPath, { force: true });
    throw error;
  }
}

/** Streams the response body into `partPath`, hashing as it goes; network and HTTP failures become ModelErrors. */
async function fetchToFile(options: DownloadModelOptions, partPath: string): Promise<{ receivedBytes: number; sha256: string }> {
  const { url, destination, signal } = options;
  const fail = (reason: string, cause?: unknown): ModelError =>
    signal?.aborted
      ? new ModelError(`Download of YAMNet from ${url} was cancelled; nothing was installed`, destination, { cause })
      : new ModelError(`Could not download YAMNet from ${url} (${reason}). ${howToGetModel(url, destination)}`, destination, { cause });

  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal });
  } catch (error) {
    throw fail(networkReason(error), error);
  }
  if (response.status !== 200 || response.body === null) {
    await response.body?.cancel();
    throw fail(`HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}`);
  }
  const contentLength = Number(response.headers.get('content-length'));
  const totalBytes = Number.isSafeInteger(contentLength) && contentLength > 0 ? contentLength : options.bytes;

  const hash = createHash('sha256');
  let receivedBytes = 0;
  const file = await open(partPath, 'wx').catch((error) => {
    throw cannotWrite(partPath, error);
  });
  try {
    for await (const chunk of response.body) {
      hash.update(chunk);
      // Awaiting each write applies back-pressure to the network stream.
      await file.write(chunk).catch((error) => {
        throw cannotWrite(partPath, error);
      });
      receivedBytes += chunk.byteLength;
      options.onProgress?.(receivedBytes, totalBytes);
    }
    // Flush to disk before the rename, so a crash cannot leave a right-sized file full of zeros.
    await file.sync().catch((error) => {
      throw cannotWrite(partPath, error);
    });
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw fail(networkReason(error), error);
  } finally {
    await file.close();
  }
  return { receivedBytes, sha256: hash.digest('hex') };
}

/** A local file-system failure (no space, no permission), told apart from a network one because the fix differs. */
function cannotWrite(path: string, error: unknown): ModelError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ModelError(`Could not write ${path} (${reason}): free some disk space, or set BLURIG_CACHE_DIR to a writable folder`, path, {
    cause: error,
  });
}

/** The most specific reason Node gives for a failed fetch: undici hides it in `cause` ("connect ECONNREFUSED 127.0.0.1:9"). */
function networkReason(error: unknown): string {
  let reason = error instanceof Error ? error.message : String(error);
  let current: unknown = error;
  while (current instanceof Error && current.cause !== undefined) {
    current = current.cause;
    if (current instanceof Error && current.message) reason = current.message;
    else if (typeof current === 'string') reason = current;
  }
  return reason;
}
