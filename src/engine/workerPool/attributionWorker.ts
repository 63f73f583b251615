// Worker thread of an AttributionPool: loads its own YAMNet and explains the patches it is sent, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { createYamnet } from '../../model/createYamnet.js';
import { patchAttributor } from '../../operators/patchAttributor.js';
import type { ClassifierModel, Patch, PatchAttribution } from '../../types.js';
import { activeBackend } from '../backend.js';
import type { FromWorker, PostedAttribution, ToWorker, WorkerSetup } from './messages.js';
import { toTransferable } from './transferableError.js';

type AttributeRequest = Extract<ToWorker, { type: 'attribute' | 'logits' }>;

// The main thread's stdout may be carrying NDJSON, and nothing a library prints here belongs in it. (Redirected
// here, not by piping `stdout: true` on the main thread: a flowing worker stdout keeps the process alive.)
process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;

const port = parentPort!;
const setup = workerData as WorkerSetup;
const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let model: ClassifierModel | undefined;
try {
  // One compute thread per worker: the pool's workers are the parallelism.
  model = await createYamnet({ modelPath: setup.modelPath, engine: setup.engine, backend: setup.backend, threads: 1, download: false });
  post({ type: 'ready', name: model.name, engine: model.engine, backend: activeBackend() });
} catch (error) {
  post({ type: 'failed', error: toTransferable(error) });
  port.close(); // nothing else keeps the thread alive, so it ends
}

if (model !== undefined) serve(model);

function serve(model: ClassifierModel): void {
  // Per options ID: the options are checked, and named classes' targets built, once per worker.
  const attributors = new Map<number, (patch: Patch) => Promise<PatchAttribution>>();
  // Tasks run one at a time, so a queued one never slows the one in progress; the queue lets `cancel` drop them.
  const queue: AttributeRequest[] = [];
  let running = false;

  const run = async (request: AttributeRequest): Promise<void> => {
    try {
      if (request.type === 'logits') {
        const logits = (await model.logitsOf(request.patches, request.count)).slice(); // its own buffer, to transfer
        post({ type: 'logits', taskId: request.taskId, logits }, [logits.buffer]);
        return;
      }
      let attribute = attributors.get(request.optionsId);
      if (attribute === undefined) {
        attribute = patchAttributor(model, request.options);
        attributors.set(request.optionsId, attribute);
      }
      const { logMel: _kept, ...result } = await attribute(request.patch);
      const [posted, transfer] = transferable(result);
      post({ type: 'result', taskId: request.taskId, result: posted }, transfer);
    } catch (error) {
      post({ type: 'error', taskId: request.taskId, error: toTransferable(error) });
    }
  };
  const drain = async (): Promise<void> => {
    if (running) return;
    running = true;
    for (let request = queue.shift(); request !== undefined; request = queue.shift()) await run(request);
    running = false;
  };

  port.on('message', (message: ToWorker) => {
    if (message.type === 'attribute' || message.type === 'logits') {
      // Logits go first: a millisecond's forward pass that the pipeline waits on before more patches can start.
      if (message.type === 'logits') queue.unshift(message);
      else queue.push(message);
      void drain();
    } else if (message.type === 'cancel') {
      const at = queue.findIndex((request) => request.taskId === message.taskId);
      if (at >= 0) {
        queue.splice(at, 1);
        post({ type: 'cancelled', taskId: message.taskId });
      }
    } else {
      queue.length = 0;
      model.dispose();
      port.close(); // a patch in progress fails on the disposed model; its reply goes nowhere, and the thread ends
    }
  });
}

/** The result with each attribution in a buffer of its own, and those buffers, to transfer instead of copying. */
function transferable(result: PostedAttribution): [PostedAttribution, ArrayBuffer[]] {
  const buffers = new Set<ArrayBuffer>();
  const own = (values: Float32Array): Float32Array => {
    // A view into a larger buffer (the wasm heap, a shared batch) would take all of it along: copy just the values.
    const whole = values.byteOffset === 0 && values.byteLength === values.buffer.byteLength && values.buffer instanceof ArrayBuffer;
    const owned = whole && !buffers.has(values.buffer as ArrayBuffer) ? values : values.slice();
    buffers.add(owned.buffer as ArrayBuffer);
    return owned;
  };
  const classes = result.classes.map((c) => ({ ...c, attribution: own(c.attribution) }));
  return [{ ...result, classes }, [...buffers]];
}
