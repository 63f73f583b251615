// Starts `blurig …` from source as a child process the test can signal, feed and starve: for the Ctrl-C and stdout-fault tests.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../helpers/cliEntry.ts', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

/** A running CLI: its process, what it wrote so far, and its end. */
export interface RunningCli {
  readonly child: ChildProcess;
  /** stdout so far (empty when stdout is not a pipe to this test). */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null if killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `blurig …args`; `stdout` may be a file descriptor (e.g. opened on /dev/full), `stdin` 'pipe' to feed it. */
export function spawnCli(args: string[], options: { env?: Record<string, string>; stdout?: number | 'pipe'; stdin?: 'pipe' | 'ignore' } = {}): RunningCli {
  const stdio: StdioOptions = [options.stdin ?? 'ignore', options.stdout ?? 'pipe', 'pipe'];
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: repo, env: { ...process.env, ...options.env }, stdio });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (err += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls every 50 ms until `condition()` holds; throws after `timeoutMs` (a hang, not a slow run: generous). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Pids of the live children of `pid` (Linux /proc: field 4 of /proc/PID/stat is the parent). */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // the command name may hold spaces
      if (Number(fields[1]) === pid && fields[0] !== 'Z') children.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return children;
}

/** CPU time `pid` has used, all its threads together, in clock ticks (utime + stime of /proc/PID/stat). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Waits until `pid` has used no CPU for `quietPolls` polls of 250 ms in a row: it has done everything its input
 * allowed and now waits for more. A condition to wait for, not a figure to assert.
 */
export async function waitUntilIdle(pid: number, quietPolls = 4): Promise<void> {
  let last = cpuTicks(pid);
  let quiet = 0;
  const deadline = performance.now() + 90_000;
  while (quiet < quietPolls) {
    if (performance.now() > deadline) throw new Error('timed out waiting for the CLI to go idle');
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuTicks(pid);
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}
