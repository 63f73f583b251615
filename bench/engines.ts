// Side-by-side onnx runtimes for the onnx engine (issue 10): the project's own YAMNet graphs (forward, and
// forward + input gradient) run on each runtime in its own worker thread, in one run, interleaved round by round so
// that other processes on the machine skew every runtime alike. Prints ms per patch at batch 1, 8 and 32, the ratio
// to runtime (a) (the project's onnxruntime-node, measured in the same run), and the difference of logits and
// gradients to (a) 1 thread per patch, relative to (a)'s largest magnitude in that patch: max |x − x_a| / max |x_a|, as
// the median and the largest over 8 patches (a patch whose ReLU6 inputs sit at 0 or 6 within float rounding flips
// masks, so its gradient differs more: native 1.30 differs from itself by ~1e-3 there between optimisation levels).
//
//   npx tsx bench/engines.ts [--node onnxruntime-node] [--node16 DIR] [--web DIR] [--rounds 5]
//   e.g. npx tsx bench/engines.ts --web /tmp/ortbench/node_modules/onnxruntime-web --node16 /tmp/ortbench/node_modules/onnxruntime-node
//
// Each runtime is a package directory or a package name resolved from this repository. onnxruntime-node runs with
// the engine's session options (intraOpNumThreads as listed, one inter-op thread); onnxruntime-web runs its wasm
// backend (SIMD) with env.wasm.numThreads as listed (a process-wide setting: hence one worker thread per runtime).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { benchPatchValues } from './patches.js';
import { encodeOnnxModel } from '../src/engine/onnx/onnxProto.js';
import { ONNX_NAMES, yamnetOnnxGraph } from '../src/engine/onnx/yamnetOnnxGraph.js';
import { startWorker } from '../src/engine/workerPool/startWorker.js';
import { readTfliteFile } from '../src/model/tflite/index.js';

const BATCHES = [1, 8, 32];
const CLASSES = 521;
const PATCH = 96 * 64;
/** Wall time spent on each (runtime, batch, pass) per round, after one warm-up run; at least 3 runs. */
const BUDGET_MS = 400;

interface Runtime {
  readonly id: string;
  readonly spec: string;
  readonly kind: 'node' | 'web';
  readonly threads: number;
}
interface Setup extends Runtime {
  readonly forward: Uint8Array;
  readonly backward: Uint8Array;
  readonly patches: Float32Array;
}
type Request = { op: 'time'; batch: number; gradient: boolean } | { op: 'outputs'; batch: number };

// Only the parts used here, as in src/engine/onnx/onnxYamnet.ts.
interface OrtTensor {
  readonly data: unknown;
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
}
interface Ort {
  readonly InferenceSession: { create(model: Uint8Array, options: object): Promise<OrtSession> };
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  readonly env: { wasm: { numThreads?: number } };
}

/** A package directory (or a name resolved from here): its version, and its Node ESM entry or main imported. */
async function importRuntime(spec: string): Promise<{ ort: Ort; version: string }> {
  const dir = spec.includes('/') ? resolve(spec) : dirname(createRequire(import.meta.url).resolve(`${spec}/package.json`));
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const entry: string = pkg.exports?.['.']?.node?.import ?? pkg.main ?? 'index.js';
  const module = await import(pathToFileURL(join(dir, entry)).href);
  return { ort: module.default?.InferenceSession ? module.default : module, version: pkg.version };
}

/** Worker side: two sessions on one runtime, answering timing and output requests. */
async function serve(setup: Setup): Promise<void> {
  const { ort, version } = await importRuntime(setup.spec);
  const started = performance.now();
  if (setup.kind === 'web') ort.env.wasm.numThreads = setup.threads;
  const options =
    setup.kind === 'web'
      ? { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }
      : { intraOpNumThreads: setup.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };
  const forward = await ort.InferenceSession.create(setup.forward, options);
  const backward = await ort.InferenceSession.create(setup.backward, options);
  const loadMs = performance.now() - started;
  const run = async (batch: number, gradient: boolean): Promise<Record<string, OrtTensor>> => {
    const patches = new ort.Tensor('float32', setup.patches.slice(0, batch * PATCH), [batch, 96, 64]);
    if (!gradient) return forward.run({ [ONNX_NAMES.patches]: patches });
    const seed = new Float32Array(batch * CLASSES);
    for (let b = 0; b < batch; b++) seed[b * CLASSES] = 1; // d(logit of class 0)/d(patch)
    return backward.run({ [ONNX_NAMES.patches]: patches, [ONNX_NAMES.seed]: new ort.Tensor('float32', seed, [batch, CLASSES]) });
  };
  parentPort!.on('message', async (request: Request) => {
    if (request.op === 'outputs') {
      const out = await run(request.batch, true);
      parentPort!.postMessage({ logits: out[ONNX_NAMES.logits].data, gradients: out[ONNX_NAMES.gradient].data });
      return;
    }
    await run(request.batch, request.gradient);
    const times: number[] = [];
    const deadline = performance.now() + BUDGET_MS;
    while (times.length < 3 || performance.now() < deadline) {
      const start = performance.now();
      await run(request.batch, request.gradient);
      times.push(performance.now() - start);
    }
    parentPort!.postMessage(median(times) / request.batch);
  });
  parentPort!.postMessage({ version, loadMs });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
}

/** Sends one request and waits for its answer (each worker answers one request at a time). */
function ask<T>(worker: Worker, request: Request | null): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = () => (worker.off('message', ok), worker.off('error', fail));
    const ok = (value: T) => (done(), resolve(value));
    const fail = (error: Error) => (done(), reject(error));
    worker.on('message', ok).on('error', fail);
    if (request) worker.postMessage(request);
  });
}

/** max |x − ref| / max |ref| in each of `items` equal parts: median and largest, as text. */
function relativeDifference(x: Float32Array, ref: Float32Array, items: number): string {
  const size = ref.length / items;
  const perItem = Array.from({ length: items }, (_, b) => {
    let diff = 0;
    let scale = 0;
    for (let i = b * size; i < (b + 1) * size; i++) {
      diff = Math.max(diff, Math.abs(x[i] - ref[i]));
      scale = Math.max(scale, Math.abs(ref[i]));
    }
    return diff / scale;
  });
  return `${median(perItem).toExponential(1)} / ${Math.max(...perItem).toExponential(1)}`;
}

/** Real patches (bench/patches.ts, as bench/model.ts uses), 32 of them. */
function patches(): Float32Array {
  return benchPatchValues(32);
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { node: { type: 'string', default: 'onnxruntime-node' }, node16: { type: 'string' }, web: { type: 'string' }, rounds: { type: 'string', default: '5' } } });
  const rounds = Number(args.rounds);
  const modelPath = process.env.BLURIG_MODEL || resolve(dirname(new URL(import.meta.url).pathname), '..', '..', 'shared', 'models', 'yamnet', 'yamnet_spectra_in.tflite');
  const runtimes: Runtime[] = [
    { id: 'a', spec: args.node, kind: 'node', threads: 1 },
    ...(args.node16 ? [{ id: 'b', spec: args.node16, kind: 'node', threads: 1 } as const] : []),
    ...(args.web ? [{ id: 'c', spec: args.web, kind: 'web', threads: 1 } as const] : []),
    { id: 'a', spec: args.node, kind: 'node', threads: 2 },
    ...(args.web ? [{ id: 'c', spec: args.web, kind: 'web', threads: 2 } as const] : []),
  ];
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; model: ${modelPath}`);
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes skew every time below)`);

  const file = await readTfliteFile(modelPath);
  const [forward, backward] = [false, true].map((gradient) => encodeOnnxModel(yamnetOnnxGraph(file, modelPath, { gradient }), 'blurig-audio'));
  const input = patches();
  const workers: { runtime: Runtime; label: string; worker: Worker; loadMs: number; outputs: { logits: Float32Array; gradients: Float32Array } }[] = [];
  for (const runtime of runtimes) {
    const setup: Setup = { ...runtime, forward, backward, patches: input };
    const worker = startWorker(new URL(import.meta.url), { workerData: setup });
    try {
      const { version, loadMs } = await ask<{ version: string; loadMs: number }>(worker, null);
      const outputs = await ask<{ logits: Float32Array; gradients: Float32Array }>(worker, { op: 'outputs', batch: 8 });
      workers.push({ runtime, label: `(${runtime.id}) onnxruntime-${runtime.kind} ${version}`, worker, loadMs, outputs });
    } catch (error) {
      console.log(`(${runtime.id}) ${runtime.spec}, ${runtime.threads} thread(s): does not run: ${String((error as Error).message ?? error).split('\n')[0]}`);
      await worker.terminate();
    }
  }

  // times[w][batch][pass]: one median per round.
  const times = workers.map(() => BATCHES.map(() => [[], []] as number[][]));
  for (let round = 0; round < rounds; round++) {
    for (const [w, { worker }] of workers.entries()) {
      for (const [b, batch] of BATCHES.entries()) {
        for (const gradient of [false, true]) times[w][b][Number(gradient)].push(await ask<number>(worker, { op: 'time', batch, gradient }));
      }
    }
  }

  console.log(`\nms per patch: median (fastest) of ${rounds} rounds, each the median of ≥ 3 runs in ${BUDGET_MS} ms; × (a) = ms / ms of (a) with the same threads, of medians (of fastest rounds); spread = (slowest − fastest round) / median\n`);
  console.log('| runtime | threads | batch | forward ms | × (a) | fwd+grad ms | × (a) | spread fwd / fwd+grad |');
  console.log('|---|---|---|---|---|---|---|---|');
  const baseline = (threads: number) => workers.findIndex((w) => w.runtime.id === 'a' && w.runtime.threads === threads);
  for (const [w, { runtime, label }] of workers.entries()) {
    for (const [b, batch] of BATCHES.entries()) {
      const a = baseline(runtime.threads);
      const cells = times[w][b].map((t, pass) => {
        const ratio = a < 0 ? '-' : `${(median(t) / median(times[a][b][pass])).toFixed(2)} (${(Math.min(...t) / Math.min(...times[a][b][pass])).toFixed(2)})`;
        return `${median(t).toFixed(2)} (${Math.min(...t).toFixed(2)}) | ${ratio}`;
      });
      const spread = times[w][b].map((t) => `${((100 * (Math.max(...t) - Math.min(...t))) / median(t)).toFixed(0)} %`).join(' / ');
      console.log(`| ${label} | ${runtime.threads} | ${batch} | ${cells.join(' | ')} | ${spread} |`);
    }
  }

  const reference = workers.find((w) => w.runtime.id === 'a' && w.runtime.threads === 1)?.outputs;
  console.log('\nbatch 8, difference to (a) 1 thread per patch, median / largest of 8 patches:\n');
  console.log('| runtime | threads | two sessions created in | logits | gradients |');
  console.log('|---|---|---|---|---|');
  for (const { runtime, label, loadMs, outputs } of workers) {
    const diff = (x: Float32Array, ref: Float32Array | undefined) => (ref ? relativeDifference(x, ref, 8) : '-');
    console.log(`| ${label} | ${runtime.threads} | ${loadMs.toFixed(0)} ms | ${diff(outputs.logits, reference?.logits)} | ${diff(outputs.gradients, reference?.gradients)} |`);
  }
  console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await Promise.all(workers.map((w) => w.worker.terminate()));
}

if (isMainThread) await main();
else await serve(workerData as Setup);
