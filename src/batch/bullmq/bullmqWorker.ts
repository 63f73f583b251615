// The worker side: takes jobs from the shared BullMQ queue one at a time, each run by a sandboxed processor on a worker thread.
import type { Job, Worker } from 'bullmq';
import { connected } from './connect.js';
import { type ExplainJobData, type ExplainJobResult, QUEUE_NAME, stallTimings } from './jobData.js';
import { loadBullmq } from './loadBullmq.js';
import { redisConnection, safeUrl } from './redisUrl.js';

/** A running worker, until `stop`. */
export interface RunningWorker {
  /** Stops taking jobs and ends the running one at once (`force`: its job returns to the queue when its lock lapses). */
  stop(force: boolean): Promise<void>;
}

/**
 * Starts a BullMQ worker on the Redis at `url` whose jobs run in `processorFile` (a sandboxed processor) on a worker
 * thread: its main thread stays free to renew the job's lock while the file is explained, and killing this process
 * takes the thread with it (a forked child would outlive it and could write the folder a second time). One job at a
 * time: the thread's attribution pool already uses the cores. `threadEnv` is added to the thread's environment.
 */
export async function startBullmqWorker(url: string, processorFile: string, threadEnv: Record<string, string>, onLine: (line: string) => void): Promise<RunningWorker> {
  const { Worker } = await loadBullmq();
  const worker: Worker<ExplainJobData, ExplainJobResult> = new Worker(QUEUE_NAME, processorFile, {
    connection: redisConnection(url),
    concurrency: 1,
    useWorkerThreads: true,
    // Node 20 ignores loader flags in a thread's execArgv: the processor file registers what it needs itself.
    workerThreadsOptions: { env: { ...process.env, ...threadEnv }, execArgv: [] },
    ...stallTimings(),
    maxStalledCount: 2,
    autorun: false,
  });
  await connected(worker, url);
  const seconds = (job: Job) => (((job.finishedOn ?? Date.now()) - (job.processedOn ?? Date.now())) / 1000).toFixed(1);
  worker.on('active', (job) => onLine(`taking ${job.data.file.input}${job.attemptsStarted > 1 ? ` (attempt ${job.attemptsStarted})` : ''}`));
  worker.on('completed', (job, result) => onLine(`${result.status} ${job.data.file.input} in ${seconds(job)} s${result.error === null ? '' : `: ${result.error}`}`));
  worker.on('failed', (job, error) => onLine(`attempt failed on ${job?.data.file.input ?? 'a job'}: ${error.message.split('\n')[0]}`));
  void worker.run();
  onLine(`waiting for jobs on ${safeUrl(url)} (queue "${QUEUE_NAME}")`);
  return {
    async stop(force) {
      await worker.close(force);
    },
  };
}
