// AttributionPool: the same numbers as one thread, results in patch order, errors as their own class, nothing left after dispose.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { firstValueFrom, from, lastValueFrom, Subject, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logMelPatches } from '../../../src/audio/logMel.js';
import { selectBackend } from '../../../src/engine/backend.js';
import { AttributionPool } from '../../../src/engine/workerPool/attributionPool.js';
import { ModelError, OptionError, WorkerError } from '../../../src/errors/index.js';
import { loadYamnet, type YamnetModel } from '../../../src/model/yamnet.js';
import { attributePatches } from '../../../src/operators/attributePatches.js';
import { attributePatchesLive } from '../../../src/operators/attributePatchesLive.js';
import type { AttributePatchesOptions, Patch, PatchAttribution, PatchEvent } from '../../../src/types.js';
import { removeTempDirs, tempDir } from '../../ffmpeg/makeFixtures.js';
import { describeWithModel } from '../../helpers/model.js';
import { noise, sine } from '../../helpers/signals.js';

// Every Worker the pool starts, with the promise of its 'exit', so tests can see threads end (or end one themselves).
const threads = vi.hoisted(() => [] as { worker: Worker; exited: Promise<number> }[]);
vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:worker_threads')>();
  class RecordedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      threads.push({ worker: this, exited: new Promise((resolve) => this.once('exit', resolve)) });
    }
  }
  return { ...actual, Worker: RecordedWorker };
});

const threadsOf = (pool: AttributionPool) => threads.filter((t) => pool.threadIds.includes(t.worker.threadId));
const patchAt = (patch: Patch, index: number): Patch => ({ ...patch, index, startSec: index * 0.48, startFrame: index * 48 });
const tone = logMelPatches(sine(440, 0.5, 1))[0];
const silence = logMelPatches(new Float32Array(16_000))[0];
// Blur IG refined towards an unreachable tolerance: a tone needs all 32 steps (≈ 0.6 s), silence stops at 2 (≈ 0.07 s).
const costly: AttributePatchesOptions = { method: 'blur-ig', classes: ['Sine wave'], methodOptions: { steps: 2, maxSteps: 32, tolerance: 1e-9 } };
const fast: AttributePatchesOptions = { method: 'gradient' };

/** Why a promise rejected (or a test failure if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: Error) => error,
  );
}

describeWithModel('AttributionPool', (modelPath) => {
  let model: YamnetModel;
  let pool: AttributionPool;
  let tensorsBefore: number;
  beforeAll(async () => {
    await selectBackend('wasm');
    model = await loadYamnet(modelPath);
    tensorsBefore = tf.memory().numTensors;
    pool = await AttributionPool.create({ modelPath, engine: 'tfjs', backend: 'wasm', workers: 2 });
  });
  afterAll(async () => {
    await pool?.dispose();
    model?.dispose();
    removeTempDirs();
  });

  it('starts the workers it was asked for, each reporting its engine and backend', () => {
    expect(pool.workers).toBe(2);
    expect(threadsOf(pool)).toHaveLength(2);
    expect([pool.engine, pool.backend, pool.name]).toEqual(['tfjs', 'wasm', model.name]);
    expect(pool.classNames).toEqual(model.classNames);
  });

  it('gives the numbers one thread gives (Blur IG, top 2 classes): attributions to 1e-6, the same evaluations', async () => {
    const waveform = Float32Array.from([...sine(440, 0.4, 1.5), ...noise(16_000, 0.3)]);
    const patches = logMelPatches(waveform);
    const options: AttributePatchesOptions = { method: 'blur-ig', classes: { topK: 2 }, methodOptions: { steps: 4, maxSteps: 8 } };
    const single = await lastValueFrom(from(patches).pipe(attributePatches(model, options), toArray()));
    const pooled = await lastValueFrom(from(patches).pipe(attributePatches(pool, options), toArray()));
    expect(pooled.map((p) => p.index)).toEqual(patches.map((p) => p.index));
    pooled.forEach((p, i) => {
      const s = single[i];
      expect(p.evaluations).toBe(s.evaluations);
      expect(p.logMel).toBe(patches[i].logMel); // the main thread's own values, not a copy back
      expect(p.classes.map((c) => c.classIndex)).toEqual(s.classes.map((c) => c.classIndex));
      p.classes.forEach((c, k) => {
        expect(c.attribution).toHaveLength(96 * 64);
        expect(Math.max(...c.attribution.map((v, j) => Math.abs(v - s.classes[k].attribution[j])))).toBeLessThanOrEqual(1e-6);
        expect(c.logit).toBeCloseTo(s.classes[k].logit, 6);
        expect(c.scale).toEqual(s.classes[k].scale);
      });
    });
  });

  it('computes logits on a worker equal to the model\'s, and explains the classes a scored patch names in `explain`', async () => {
    const patches = logMelPatches(Float32Array.from(sine(440, 0.4, 1.5)));
    const values = new Float32Array(patches.length * 96 * 64);
    patches.forEach((p, i) => values.set(p.logMel, i * 96 * 64));
    const [own, pooled] = await Promise.all([model.logitsOf(values, patches.length), pool.logitsOf(values, patches.length)]);
    expect(pooled).toHaveLength(patches.length * 521);
    expect(Math.max(...pooled.map((z, i) => Math.abs(z - own[i])))).toBeLessThan(1e-5);
    const scores = pooled.slice(0, 521).map((z) => 1 / (1 + Math.exp(-z)));
    const attribute = pool.attributor({ classes: 'detected', methodOptions: { steps: 4, maxSteps: 4 } });
    const chosen = await attribute({ ...patches[0], logits: pooled.slice(0, 521), scores, explain: [495, 0] });
    expect(chosen.classes.map((c) => c.classIndex)).toEqual([495, 0]);
    expect(chosen.classes[0].value).toBeCloseTo(scores[495], 5); // the score is explained by default
    expect(chosen.scores).toEqual(scores);
    const nothing = await attribute({ ...patches[0], logits: pooled.slice(0, 521), scores, explain: [] });
    expect([nothing.classes, nothing.evaluations]).toEqual([[], 0]);
  });

  it('emits in patch order when later patches finish first', async () => {
    const patches = [tone, silence, silence, silence].map(patchAt);
    // Straight on the pool: the silent patches are done long before the tone.
    const attribute = pool.attributor(costly);
    const finished: number[] = [];
    await Promise.all(patches.map((p) => attribute(p).then((r) => finished.push(r.index))));
    expect(finished.indexOf(0)).toBeGreaterThan(finished.indexOf(1));
    // Through the operator: the same finishing order, emitted in patch order.
    const emitted = await lastValueFrom(from(patches).pipe(attributePatches(pool, costly), toArray()));
    expect(emitted.map((p) => p.index)).toEqual([0, 1, 2, 3]);
    expect(emitted.map((p) => p.evaluations)).toEqual([32, 2, 2, 2]);
  });

  it('rejects a bad class when the operator is created, on this thread, with the message one thread gives', () => {
    const bad: AttributePatchesOptions = { classes: ['Sirens'] };
    const expected = (() => {
      try {
        attributePatches(model, bad);
      } catch (error) {
        return error as Error;
      }
      return expect.fail('one thread accepted a bad class');
    })();
    expect(() => attributePatches(pool, bad)).toThrow(expected.message);
    expect(() => attributePatchesLive(pool, bad)).toThrow(OptionError);
    // Options must be plain data to reach a worker.
    const baseline = tf.zeros([96, 64]);
    expect(() => pool.attributor({ methodOptions: { baseline } as never })).toThrow(/`options.methodOptions.baseline` option to be plain data/);
    baseline.dispose();
  });

  it('an error in a worker arrives as the same class with the same message, after the patches before it', async () => {
    const bad: AttributePatchesOptions = { method: 'integrated-gradients', methodOptions: { steps: 0 } };
    const patches = [tone, tone].map(patchAt);
    const expected = await rejection(lastValueFrom(from(patches).pipe(attributePatches(model, bad))));
    const error = await rejection(lastValueFrom(from(patches).pipe(attributePatches(pool, bad))));
    expect(error).toBeInstanceOf(OptionError);
    expect(error.name).toBe('OptionError');
    expect(error.message).toBe(expected.message);
    expect((error as OptionError).option).toBe('steps');
    // The pool is still usable afterwards.
    expect((await firstValueFrom(from([tone]).pipe(attributePatches(pool, fast)))).index).toBe(0);
  });

  it('unsubscribing withdraws the patches not yet started: only those in progress still run', async () => {
    const sent: string[] = [];
    const replies: string[] = [];
    const listen = (message: { type: string }) => replies.push(message.type);
    const spies = threadsOf(pool).map((t) => {
      t.worker.on('message', listen);
      const post = t.worker.postMessage.bind(t.worker);
      return vi.spyOn(t.worker, 'postMessage').mockImplementation((message: { type: string }, transfer) => (sent.push(message.type), post(message, transfer)));
    });
    try {
      // Patch 0 is silence (≈ 0.07 s) and the rest tones (≈ 0.6 s): when 0's result arrives and the test
      // unsubscribes, the other worker is still inside patch 1, so patch 3, queued behind it, has not started.
      const patches = Array.from({ length: 8 }, (_, i) => patchAt(i === 0 ? silence : tone, i));
      await new Promise<void>((resolve) => {
        const subscription = from(patches)
          .pipe(attributePatches(pool, costly))
          .subscribe(() => {
            subscription.unsubscribe();
            resolve();
          });
      });
      // Two per worker are sent (one running, one queued behind it); the queued ones are cancelled, and every
      // patch sent is answered once: with its result if it had started, else as cancelled.
      const count = (list: string[], type: string) => list.filter((t) => t === type).length;
      await vi.waitFor(() => expect(count(replies, 'result') + count(replies, 'cancelled')).toBe(count(sent, 'attribute')), { timeout: 5000, interval: 50 });
      expect(count(sent, 'attribute')).toBeGreaterThanOrEqual(4);
      expect(count(sent, 'cancel')).toBeGreaterThanOrEqual(1);
      expect(count(replies, 'cancelled')).toBeGreaterThanOrEqual(1);
      expect(count(replies, 'result')).toBeLessThan(count(sent, 'attribute'));
    } finally {
      threadsOf(pool).forEach((t) => t.worker.off('message', listen));
      spies.forEach((spy) => spy.mockRestore());
    }
  });

  describe('live', () => {
    /** Pushes `patches` at once into attributePatchesLive and collects its events. */
    async function liveEvents(modelOrPool: YamnetModel | AttributionPool, patches: Patch[], options: AttributePatchesOptions): Promise<PatchEvent[]> {
      const source = new Subject<Patch>();
      const events = lastValueFrom(source.pipe(attributePatchesLive(modelOrPool, options, { maxWaitingPatches: 1 }), toArray()));
      patches.forEach((p) => source.next(p));
      source.complete();
      return events;
    }
    const kinds = (events: PatchEvent[]) => events.map((e) => `${e.kind} ${e.kind === 'patch' ? e.patch.index : e.index}`);

    it('explains one patch per worker at once, lets one more wait, and drops the oldest waiting beyond that', async () => {
      const patches = Array.from({ length: 6 }, (_, i) => patchAt(tone, i));
      // 0 and 1 start on the two workers; 2, 3 and 4 each wait until pushed out; 5 waits and is explained.
      expect(kinds(await liveEvents(pool, patches, fast))).toEqual(['drop 2', 'drop 3', 'drop 4', 'patch 0', 'lag 0', 'patch 1', 'lag 1', 'patch 5', 'lag 5']);
      // One thread: only 0 runs, so 1–4 are dropped.
      expect(kinds(await liveEvents(model, patches, fast))).toEqual(['drop 1', 'drop 2', 'drop 3', 'drop 4', 'patch 0', 'lag 0', 'patch 5', 'lag 5']);
    });

    it('reports lag against the newest patch and keeps order when the later patch finishes first', async () => {
      const events = await liveEvents(pool, [patchAt(tone, 0), patchAt(silence, 1)], costly);
      expect(kinds(events)).toEqual(['patch 0', 'lag 0', 'patch 1', 'lag 1']);
      expect(events.flatMap((e) => (e.kind === 'lag' ? [e.lagSec] : []))).toEqual([0.48, 0]);
    });
  });

  it('dispose ends every worker thread and leaves this thread’s tf.memory().numTensors where it was', { timeout: 30_000 }, async () => {
    const ours = threadsOf(pool);
    expect(ours).toHaveLength(2);
    await pool.dispose();
    expect(await Promise.all(ours.map((t) => t.exited))).toHaveLength(2);
    expect(ours.map((t) => t.worker.threadId)).toEqual([-1, -1]);
    expect(pool.workers).toBe(0);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(() => pool.attributor(fast)).toThrow(WorkerError);
    await pool.dispose(); // idempotent
  });
});

describeWithModel('AttributionPool failures', (modelPath) => {
  afterAll(removeTempDirs);

  it('a worker that dies mid-patch fails that patch with a WorkerError instead of hanging; the other worker carries on', { timeout: 30_000 }, async () => {
    const pool = await AttributionPool.create({ modelPath, engine: 'tfjs', backend: 'wasm', workers: 2 });
    try {
      const attribute = pool.attributor(costly);
      const [first, second] = [attribute(patchAt(tone, 0)), attribute(patchAt(tone, 1))];
      const [victim, survivor] = threadsOf(pool);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await victim.worker.terminate(); // as if it had crashed
      const error = await rejection(Promise.race([first, second]));
      expect(error).toBeInstanceOf(WorkerError);
      expect(error.message).toMatch(/^The attribution worker \(thread \d+\) explaining patch [01] exited with code 1$/);
      expect(pool.workers).toBe(1);
      const [done] = await Promise.allSettled([first, second]).then((all) => all.filter((o) => o.status === 'fulfilled'));
      expect((done as PromiseFulfilledResult<PatchAttribution>).value.evaluations).toBe(32);
      expect((await pool.attributor(fast)(patchAt(silence, 2))).index).toBe(2);
      await pool.dispose();
      await survivor.exited;
      expect(survivor.worker.threadId).toBe(-1);
    } finally {
      await pool.dispose();
    }
  });

  it('a file that is not a model fails create() with the ModelError one thread gives, leaving no worker behind', async () => {
    const notModel = join(tempDir(), 'not-a-model.tflite');
    writeFileSync(notModel, 'this is not a flatbuffer');
    const expected = await rejection(loadYamnet(notModel));
    const before = threads.length;
    const error = await rejection(AttributionPool.create({ modelPath: notModel, engine: 'tfjs', backend: 'wasm', workers: 2 }));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toBe(expected.message);
    const started = threads.slice(before);
    expect(started).toHaveLength(2);
    await Promise.all(started.map((t) => t.exited));
  });

  it('checks its own options before starting anything', async () => {
    const before = threads.length;
    await expect(AttributionPool.create({ modelPath, workers: 0 })).rejects.toThrow(`Expected the \`workers\` option to be a positive integer ≤ ${availableParallelism()}, got \`0\` (number)`);
    await expect(AttributionPool.create({ modelPath, workers: availableParallelism() + 1 })).rejects.toThrow(`Expected the \`workers\` option to be at most ${availableParallelism()}`);
    await expect(AttributionPool.create({ modelPath, backend: 'gpu' as never })).rejects.toThrow(OptionError);
    expect(threads.length).toBe(before);
  });
});
