// The one way commands write to stdout: it keeps the first write error (EPIPE, ENOSPC), stops the run, and lets main wait for every write to land.
import { requestStop } from './stopRun.js';

let failure: NodeJS.ErrnoException | undefined;
let pending: Promise<void> = Promise.resolve();
let watching = false;

/** Listens for stdout errors from now on, so none ends as an uncaught exception (and a stack trace). Call once, first thing. */
export function watchStdout(): void {
  failure = undefined;
  pending = Promise.resolve();
  if (watching) return;
  watching = true;
  process.stdout.on('error', fail);
  // stderr is where a failure would be reported: if it fails too there is nowhere left to say so.
  process.stderr.on('error', () => undefined);
}

/** Writes `data` to stdout, in order; after a failed write, later ones are dropped (the run is being stopped). */
export function writeStdout(data: string | Uint8Array): void {
  if (failure !== undefined) return;
  pending = new Promise<void>((resolve) => {
    process.stdout.write(data, (error) => {
      if (error) fail(error);
      resolve();
    });
  });
}

/** True once a write to stdout failed. */
export function stdoutFailed(): boolean {
  return failure !== undefined;
}

/** Waits until every write so far has landed (or failed); returns the first failure, if any. */
export async function flushStdout(): Promise<NodeJS.ErrnoException | undefined> {
  await pending;
  return failure;
}

/** What to report for a stdout failure: nothing for EPIPE (the reader stopped early: `| head`), else one line and exit 1. */
export function stdoutFailureReport(error: NodeJS.ErrnoException): { line: string | undefined; exitCode: number } {
  if (error.code === 'EPIPE') return { line: undefined, exitCode: 0 };
  const reasons: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EIO: 'input/output error',
    EBADF: 'it is closed',
    EACCES: 'permission denied',
  };
  const reason = (error.code !== undefined ? reasons[error.code] : undefined) ?? error.code ?? error.message;
  return { line: `cannot write to stdout: ${reason}`, exitCode: 1 };
}

function fail(error: NodeJS.ErrnoException): void {
  if (failure !== undefined) return;
  failure = error;
  requestStop('stdout');
}
