// A Redis for the queue tests: BLURIG_TEST_REDIS (set by .ci/run), else a redis-server of our own on a free port, else none (the tests skip).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Why the queue tests skip when there is no Redis. */
export const NO_REDIS = 'no Redis: set BLURIG_TEST_REDIS=redis://HOST:PORT, or install redis-server (apt-get install redis-server; .ci/run does)';

/** True when a Redis can be had: the URL is given or the binary exists. */
export function redisAvailable(): boolean {
  return process.env.BLURIG_TEST_REDIS !== undefined || spawnSync('redis-server', ['--version']).status === 0;
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The Redis URL to test against and how to stop it (a no-op for BLURIG_TEST_REDIS, which is not ours). */
export async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const given = process.env.BLURIG_TEST_REDIS;
  if (given !== undefined) return { url: given, stop: async () => undefined };
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await waitForPort(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not open port ${port} within 5 s`);
}
