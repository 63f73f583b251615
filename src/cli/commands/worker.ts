// `blurig worker --queue redis://…`: takes `blurig batch --queue` jobs on this machine until Ctrl-C; one patch pool per process.
import { createHash } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redisConnection } from '../../batch/bullmq/redisUrl.js';
import { tsxApiUrl } from '../../engine/workerPool/startWorker.js';
import { answeredHelpOrVersion, COMMON_OPTIONS, parseCommandArgs, UsageError } from '../args.js';
import { workersLimit } from '../limits.js';
import { integerOption } from '../optionValues.js';
import { InterruptedError, onStop } from '../stopRun.js';

export function workerHelp(): string {
  return `Usage: blurig worker --queue redis://HOST:PORT [options]

Takes the jobs of 'blurig batch … --queue URL' from BullMQ on that Redis, one file at a time, and writes each file's
folder into the batch's --out (the same path on this machine: a shared mount), until Ctrl-C. Start one per machine
(or more); a worker killed mid-file loses nothing: after its lock lapses (30 s) the job runs on another worker, and
its folder is written once. The model each job asks for (--model of the batch) is loaded once and kept.

  --queue URL        redis://HOST:PORT (rediss:// for TLS, redis://:PASSWORD@HOST:PORT/DB)
  --workers N        worker threads explaining a file's patches (default and at most: the cores, ${workersLimit().max} here)
  --out DIR          where this machine sees the batch's --out, if not at the same path
  -v/--verbose, -h/--help, -V/--version
Needs the optional packages: npm install bullmq ioredis. Ctrl-C stops at once (exit 130); the running job goes
back to the queue and is taken up again (by this or another worker) after its lock lapses.
`;
}

/** Runs `blurig worker` until Ctrl-C. */
export async function workerCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs('worker', argv, { ...COMMON_OPTIONS, queue: { type: 'string' }, workers: { type: 'string' }, out: { type: 'string' } });
  if (answeredHelpOrVersion(values, workerHelp())) return;
  if (positionals.length > 0) throw new UsageError(`blurig worker takes no inputs (the batch enqueues them), got "${positionals[0]}". Run 'blurig worker --help'.`);
  if (values.queue === undefined) throw new UsageError(`blurig worker needs --queue redis://HOST:PORT, the Redis the batch enqueued on. Run 'blurig worker --help'.`);
  redisConnection(values.queue);
  const workers = integerOption('--workers', values.workers, workersLimit().max, workersLimit());
  const threadEnv: Record<string, string> = { BLURIG_WORKER_THREADS: String(workers) };
  if (values.out !== undefined) threadEnv.BLURIG_WORKER_OUT = resolve(values.out);
  const { startBullmqWorker } = await import('../../batch/bullmq/bullmqWorker.js');
  const stopped = new Promise<void>((done) => onStop(() => done()));
  const worker = await startBullmqWorker(values.queue, processorFile(), threadEnv, (line) => process.stderr.write(`blurig worker: ${line}\n`));
  await stopped;
  await worker.stop(true);
  throw new InterruptedError('interrupted: the worker stopped; a job it was running returns to the queue when its lock lapses');
}

/**
 * The sandboxed processor's file: the built `.js` as is; from the TypeScript sources (tests, tsx) a small `.mjs`
 * that registers tsx inside the worker thread first, since Node 20 does not pass loader flags to threads.
 */
function processorFile(): string {
  const own = new URL(import.meta.url);
  if (!own.pathname.endsWith('.ts')) return fileURLToPath(new URL('./batchProcessor.js', own));
  const entry = new URL('./batchProcessor.ts', own).href;
  const bootstrap = [
    `// blurig worker (from source): registers tsx in the processor's thread, then loads the processor.`,
    `const { register } = await import(${JSON.stringify(tsxApiUrl())});`,
    `register();`,
    `export default (await import(${JSON.stringify(entry)})).default;`,
  ].join('\n');
  // Named by its content and left in place: workers from the same checkout share it, and a killed one leaves nothing new.
  const path = join(tmpdir(), `blurig-batch-processor-${createHash('sha256').update(bootstrap).digest('hex').slice(0, 12)}.mjs`);
  const partial = `${path}.${process.pid}.part`;
  writeFileSync(partial, bootstrap + '\n');
  renameSync(partial, path); // whole, even while another worker reads it
  return path;
}
