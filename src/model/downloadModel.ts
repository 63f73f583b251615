// Downloads the model file once: streamed to a .part file beside the target, hashed on the way, checked, then renamed into place.
import { createHash, randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ModelError, OptionError } from '../errors/index.js';
import { writeFailure } from './writeFailure.js';

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
  /**
   * Seconds without a byte (waiting for the response, or between chunks) after which the download fails as
   * stalled. @default `BLURIG_DOWNLOAD_STALL_SEC` when set (tests use a fraction of a second), else 30
   */
  readonly stallTimeoutSec?: number;
}

/** The stall timeout when neither the option nor BLURIG_DOWNLOAD_STALL_SEC says otherwise. */
export const DEFAULT_STALL_TIMEOUT_SEC = 30;

/** The one sentence that tells a person how to install the model by hand, shared by every "could not get it" message. */
export function howToGetModel(url: string, destination: string): string {
  return `Download it yourself from ${url} and save it as ${destination}, or pass --model PATH or set BLURIG_MODEL=PATH.`;
}

/**
 * Downloads `url` to `destination` atomically: the destination either appears complete and verified, or not at all,
 * and the `.part` file goes on every failure: an error, a stall, an abort, Ctrl-C (SIGINT) or SIGTERM while the
 * download runs (handled only meanwhile; the signal then takes its course), or `process.exit` from elsewhere.
 */
export async function downloadModel(options: DownloadModelOptions): Promise<void> {
  const { url, destination } = options;
  const stallSec = stallTimeout(options.stallTimeoutSec);
  await mkdir(dirname(destination), { recursive: true }).catch((error) => {
    throw writeFailure(dirname(destination), error, options.bytes);
  });
  // A unique .part name lets two processes download at once without writing into each other's file.
  const partPath = join(dirname(destination), `${basename(destination)}.${randomBytes(4).toString('hex')}.part`);
  const cleanup = removeOnExit(partPath);
  try {
    const { receivedBytes, sha256 } = await fetchToFile(options, partPath, stallSec);
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
      throw writeFailure(dirname(destination), error, options.bytes);
    });
  } catch (error) {
    await rm(partPath, { force: true });
    throw error;
  } finally {
    cleanup();
  }
}

/** Streams the response body into `partPath`, hashing as it goes; network and HTTP failures become ModelErrors. */
async function fetchToFile(options: DownloadModelOptions, partPath: string, stallSec: number): Promise<{ receivedBytes: number; sha256: string }> {
  const { url, destination, signal } = options;
  // One controller for the caller's signal, the stall timer and a signal to the process, whichever comes first.
  const stop = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const armStallTimer = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      stop.abort();
    }, stallSec * 1000);
    timer.unref(); // a stalled download must not be what keeps the process alive
  };
  const onCallerAbort = (): void => stop.abort();
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (signal?.aborted) stop.abort();
  const fail = (reason: string, cause?: unknown): ModelError =>
    stalled
      ? new ModelError(`Could not download YAMNet from ${url} (no data for ${stallSec} s: the connection stalled). ${howToGetModel(url, destination)}`, destination, { cause })
      : stop.signal.aborted
        ? new ModelError(`Download of YAMNet from ${url} was cancelled; nothing was installed`, destination, { cause })
        : new ModelError(`Could not download YAMNet from ${url} (${reason}). ${howToGetModel(url, destination)}`, destination, { cause });

  try {
    armStallTimer();
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'follow', signal: stop.signal });
    } catch (error) {
      throw fail(networkReason(error), error);
    }
    if (response.status !== 200 || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      throw fail(`HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}`);
    }
    const contentLength = Number(response.headers.get('content-length'));
    const totalBytes = Number.isSafeInteger(contentLength) && contentLength > 0 ? contentLength : options.bytes;

    const hash = createHash('sha256');
    let receivedBytes = 0;
    const file = await open(partPath, 'wx').catch((error) => {
      throw writeFailure(dirname(partPath), error, options.bytes);
    });
    try {
      for await (const chunk of response.body) {
        armStallTimer();
        hash.update(chunk);
        // Awaiting each write applies back-pressure to the network stream.
        await file.write(chunk).catch((error) => {
          throw writeFailure(dirname(partPath), error, options.bytes);
        });
        receivedBytes += chunk.byteLength;
        options.onProgress?.(receivedBytes, totalBytes);
      }
      clearTimeout(timer);
      // Flush to disk before the rename, so a crash cannot leave a right-sized file full of zeros.
      await file.sync().catch((error) => {
        throw writeFailure(dirname(partPath), error, options.bytes);
      });
    } catch (error) {
      if (error instanceof ModelError) throw error;
      throw fail(networkReason(error), error);
    } finally {
      await file.close();
    }
    return { receivedBytes, sha256: hash.digest('hex') };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * Removes `partPath` synchronously if the process ends while the download runs: on `exit` (someone called
 * process.exit, as the CLI does on Ctrl-C while nothing listens), and on SIGINT or SIGTERM. The signal handlers run
 * before any other (prepended) and, when they are the only ones, hand the signal back to its default action
 * (ending the process), since adding a listener would otherwise swallow it. Returns the function that removes all.
 */
function removeOnExit(partPath: string): () => void {
  const remove = (): void => {
    try {
      unlinkSync(partPath);
    } catch {
      // not created yet, or gone already
    }
  };
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = (): void => {
      remove();
      if (process.listenerCount(name) === 1) {
        process.off(name, handler);
        process.kill(process.pid, name);
      }
    };
    process.prependListener(name, handler);
    return [name, handler] as const;
  });
  process.on('exit', remove);
  return () => {
    for (const [name, handler] of handlers) process.off(name, handler);
    process.off('exit', remove);
  };
}

/** The stall timeout in seconds: the option, else BLURIG_DOWNLOAD_STALL_SEC, else 30; a bad value is an OptionError. */
function stallTimeout(fromOption: number | undefined): number {
  const fromEnv = process.env.BLURIG_DOWNLOAD_STALL_SEC;
  const useEnv = fromOption === undefined && fromEnv !== undefined && fromEnv !== '';
  const value = fromOption ?? (useEnv ? Number(fromEnv) : DEFAULT_STALL_TIMEOUT_SEC);
  if (!(Number.isFinite(value) && value > 0)) throw new OptionError(useEnv ? 'BLURIG_DOWNLOAD_STALL_SEC' : 'stallTimeoutSec', 'a positive number of seconds', useEnv ? fromEnv : fromOption);
  return value;
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
