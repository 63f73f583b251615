// The queue side of `blurig batch --queue`: files become BullMQ jobs, workers anywhere run them, and this follows them to the end.
import { randomBytes } from 'node:crypto';
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { BatchFile, ManifestRecord } from '../records.js';
import type { BatchHooks, BatchQueue } from '../queue.js';
import { connected } from './connect.js';
import { BACKOFF, type ExplainJobData, type ExplainJobResult, JOB_ATTEMPTS, KEEP_SEC, QUEUE_NAME } from './jobData.js';
import { loadBullmq } from './loadBullmq.js';
import { redisConnection, safeUrl } from './redisUrl.js';

/** How often every unfinished job's state is read, besides the events (which a dropped connection could miss). */
const POLL_MS = 2000;
/** After this long with nothing active or finished, say that a worker is needed. */
const IDLE_NOTE_MS = 10_000;

/**
 * Enqueues each job on the Redis at `url` and waits for workers (`blurig worker --queue URL`) to finish them. A job
 * whose worker dies is taken up again by BullMQ (stalled-job recovery); one that throws is retried with backoff;
 * after {@link JOB_ATTEMPTS} attempts it is reported failed. On Ctrl-C the jobs not yet started are withdrawn.
 */
export async function bullmqQueue(url: string, out: string, failedRecord: (file: BatchFile, error: string, attempts: number) => ManifestRecord): Promise<BatchQueue> {
  const { Queue, QueueEvents } = await loadBullmq();
  const connection = redisConnection(url);
  const queue: Queue = await connected(new Queue(QUEUE_NAME, { connection }), url);
  let events: QueueEvents | undefined;
  return {
    async run(jobs, settings, hooks) {
      events = await connected(new QueueEvents(QUEUE_NAME, { connection }), url); // before adding: no event is missed
      const runId = randomBytes(6).toString('hex');
      const pending = new Map<string, BatchFile>();
      const finish = new FinishLine(hooks);
      const added = await queue.addBulk(
        jobs.map(({ file, replace }, i) => {
          const jobId = `${runId}-${i}`;
          pending.set(jobId, file);
          const data: ExplainJobData = { file, settings, out, replace };
          return { name: 'explain', data, opts: { jobId, attempts: JOB_ATTEMPTS, backoff: BACKOFF, removeOnComplete: { age: KEEP_SEC }, removeOnFail: { age: KEEP_SEC } } };
        }),
      );
      hooks.onNote?.(`queued ${added.length} files on ${safeUrl(url)} (queue "${QUEUE_NAME}"); workers: blurig worker --queue ${safeUrl(url)}`);
      const settle = (jobId: string, record: ManifestRecord) => {
        if (!pending.delete(jobId)) return; // already reported (an event and a poll may both see it)
        finish.sawActivity();
        hooks.onFinished(record);
        if (pending.size === 0) finish.done();
      };
      const check = async (jobId: string) => {
        const file = pending.get(jobId);
        if (file === undefined) return;
        const job = (await queue.getJob(jobId)) as Job<ExplainJobData, ExplainJobResult> | undefined;
        if (job === undefined) return settle(jobId, failedRecord(file, 'the job vanished from the queue (removed by hand?)', 0));
        const state = await job.getState();
        if (state === 'completed') settle(jobId, parseResult(job.returnvalue));
        else if (state === 'failed') settle(jobId, failedRecord(file, job.failedReason ?? 'failed', job.attemptsStarted));
        else if (state === 'active') finish.sawActivity();
      };
      events.on('completed', ({ jobId }) => void check(jobId).catch(finish.fail));
      events.on('failed', ({ jobId }) => void check(jobId).catch(finish.fail)); // a retry is 'delayed' or 'waiting': check() waits on
      events.on('active', () => finish.sawActivity());
      events.on('progress', ({ jobId, data }) => {
        const file = pending.get(jobId);
        if (file !== undefined && typeof data === 'number') hooks.onProgress?.(file.folder, data);
      });
      const poll = setInterval(() => void Promise.all([...pending.keys()].map(check)).catch(finish.fail), POLL_MS);
      const idle = setInterval(() => finish.noteIfIdle(`no worker has taken a job for ${IDLE_NOTE_MS / 1000} s: start one with blurig worker --queue ${safeUrl(url)}`), IDLE_NOTE_MS);
      try {
        if (pending.size === 0) finish.done();
        const stopped = await finish.promise;
        if (stopped) await withdraw(queue, [...pending.keys()]);
        return { stopped };
      } finally {
        clearInterval(poll);
        clearInterval(idle);
      }
    },
    async close() {
      await events?.close();
      await queue.close();
    },
  };
}

/** A job's return value as its manifest line (BullMQ keeps it as JSON). */
function parseResult(value: unknown): ManifestRecord {
  return (typeof value === 'string' ? JSON.parse(value) : value) as ManifestRecord;
}

/** Removes the jobs no worker has started; those running finish (their folders are written, not their manifest lines). */
async function withdraw(queue: Queue, jobIds: readonly string[]): Promise<void> {
  await Promise.all(jobIds.map((id) => queue.remove(id).catch(() => 0)));
}

/** Resolves when every job finished (false) or Ctrl-C aborted (true); notes when no worker seems to be running. */
class FinishLine {
  readonly promise: Promise<boolean>;
  done!: () => void;
  fail!: (error: unknown) => void;
  private lastActivityMs = performance.now();
  private noted = false;
  constructor(private readonly hooks: BatchHooks) {
    this.promise = new Promise<boolean>((resolve, reject) => {
      this.done = () => resolve(false);
      this.fail = reject;
      const abort = () => resolve(true);
      if (hooks.signal.aborted) abort();
      else hooks.signal.addEventListener('abort', abort, { once: true });
    });
  }
  sawActivity(): void {
    this.lastActivityMs = performance.now();
  }
  noteIfIdle(line: string): void {
    if (this.noted || performance.now() - this.lastActivityMs < IDLE_NOTE_MS) return;
    this.noted = true;
    this.hooks.onNote?.(line);
  }
}
