// Finds child processes by their command line and waits for them to be gone, for tests that kill ffmpeg (Linux /proc).
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of running processes whose command line contains `marker` (Linux /proc; a zombie's cmdline is empty). */
export function pidsWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

/** True while `pid` exists, zombies included: process.kill(pid, 0) still succeeds on a zombie, so false means reaped too. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Polls every 10 ms until `pid` is gone or `timeoutMs` has passed; returns whether it is gone. */
export async function waitUntilGone(pid: number, timeoutMs = 3000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (processExists(pid) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return !processExists(pid);
}
