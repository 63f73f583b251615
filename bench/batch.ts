// Files per minute of `blurig batch --queue` with 1, 2 and 4 local `blurig worker` processes on one corpus, in one run (and the one-machine runner beside them).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis } from '../test/batch/redis.js';
import { blurigCommand, machineLines, parseBenchArgs, REPO, table } from './harness.js';

const USAGE = `npm run bench:batch -- [--files N] [--threads N] [--counts 1,2,4] [--model PATH|builtin] [--redis URL] [--source] [--no-build]
  --files N     corpus size: the shipped samples copied round-robin (default 12)
  --threads N   worker threads per worker process (--workers of blurig worker; default 1)
  --counts LIST worker processes per configuration (default 1,2,4)
  --model M     the model every job loads (default builtin: the student, fast and offline)
  --redis URL   an existing Redis (default: a redis-server of its own on a free port, stopped at the end)`;

const SAMPLES = ['speech.wav', 'siren.wav', 'tones.wav', 'mixture.wav', 'speech.mp3'];

const args = parseBenchArgs(process.argv.slice(2), [{ label: 'batch', flags: [] }], { numbers: ['files', 'threads'], strings: ['counts', 'model', 'redis'], switches: ['help'] });
if (args.switches.has('help')) {
  console.log(USAGE);
  process.exit(0);
}
const fileCount = args.numbers.get('files') ?? 12;
const threads = args.numbers.get('threads') ?? 1;
const counts = (args.strings.get('counts') ?? '1,2,4').split(',').map(Number);
const model = args.strings.get('model') ?? 'builtin';
const cli = blurigCommand(args);

const corpus = mkdtempSync(join(tmpdir(), 'blurig-bench-batch-'));
for (let i = 0; i < fileCount; i++) {
  const name = SAMPLES[i % SAMPLES.length];
  copyFileSync(join(REPO, 'samples', name), join(corpus, `${String(i).padStart(3, '0')}-${name}`));
}
const children = new Set<ChildProcess>();
const redis = args.strings.has('redis') ? { url: args.strings.get('redis')!, stop: async () => undefined } : await startRedis();
const cleanup = async () => {
  for (const child of children) child.kill('SIGKILL');
  await redis.stop();
  rmSync(corpus, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

/** Starts `blurig …`; resolves with its exit code; stderr is kept for the lines the caller waits for. */
function start(argv: string[]): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...cli.argv, ...argv], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (err += t));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => (children.delete(child), resolve(code))));
  return { child, stderr: () => err, exited };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One timed batch: from the command's start to its exit, every file done; and the summed per-file time from the manifest. */
async function timedBatch(extra: string[]): Promise<{ wallSec: number; fileSec: number }> {
  const out = mkdtempSync(join(tmpdir(), 'blurig-bench-out-'));
  const t0 = performance.now();
  const batch = start(['batch', corpus, '--out', out, '--model', model, ...extra]);
  const code = await batch.exited;
  const wallSec = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`blurig batch exited ${code}: ${batch.stderr().trim().split('\n').at(-1)}`);
  const lines = readFileSync(join(out, 'manifest.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { timings: { totalMs: number } });
  rmSync(out, { recursive: true, force: true });
  return { wallSec, fileSec: lines.reduce((s, l) => s + l.timings.totalMs, 0) / 1000 };
}

const rows: { label: string; wallSec: number; fileSec: number }[] = [];
for (const count of counts) {
  const workers = Array.from({ length: count }, () => start(['worker', '--queue', redis.url, '--workers', String(threads)]));
  await until(() => workers.every((w) => w.stderr().includes('waiting for jobs')), `${count} workers to connect`);
  rows.push({ label: `queue, ${count} worker process${count > 1 ? 'es' : ''} × ${threads} thread${threads > 1 ? 's' : ''}`, ...(await timedBatch(['--queue', redis.url])) });
  for (const w of workers) w.child.kill('SIGINT');
  await Promise.all(workers.map((w) => w.exited));
}
rows.push({ label: 'one machine (no queue), --workers 2', ...(await timedBatch(['--workers', '2'])) });
await cleanup();

const base = rows[0];
const perMin = (r: { wallSec: number }) => (fileCount * 60) / r.wallSec;
console.log(['## `npm run bench:batch`', '', '```', ...machineLines(model), cli.note, `corpus: ${fileCount} files (${SAMPLES.join(', ')} round-robin; 6.5–10 s each), model ${model}, default explain settings`, '```', ''].join('\n'));
console.log(
  table(
    ['configuration', 'wall s (enqueue to summary)', 'files / min', '× 1 worker', 'summed per-file s'],
    rows.map((r) => [r.label, r.wallSec.toFixed(1), perMin(r).toFixed(1), (perMin(r) / perMin(base)).toFixed(2), r.fileSec.toFixed(1)]),
  ),
);
