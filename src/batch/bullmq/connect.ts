// Waits until Redis answers (or says in one line that it does not), since the Redis client would otherwise retry silently forever.
import { BlurigError } from '../../errors/index.js';
import { safeUrl } from './redisUrl.js';

/** What BullMQ's Queue, Worker and QueueEvents share here: ready, errors, close. */
interface Connectable {
  waitUntilReady(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

/** Resolves once `client` is connected; after `timeoutMs` without it, closes it and throws naming the URL and the fix. */
export async function connected<T extends Connectable>(client: T, url: string, timeoutMs = 10_000): Promise<T> {
  let lastError: Error | undefined;
  client.on('error', (error) => (lastError = error)); // an unhandled 'error' event would end the process
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  try {
    const outcome = await Promise.race([client.waitUntilReady().then(() => 'ready' as const), timeout]);
    if (outcome === 'ready') return client;
  } catch (error) {
    lastError = error as Error;
  } finally {
    clearTimeout(timer);
  }
  void client.close().catch(() => undefined);
  const why = lastError === undefined ? `no answer in ${timeoutMs / 1000} s` : (lastError.message.split('\n')[0] ?? String(lastError));
  throw new BlurigError(`Cannot reach Redis at ${safeUrl(url)} (${why}): start redis-server there, or check the host and port of --queue.`, { cause: lastError });
}
