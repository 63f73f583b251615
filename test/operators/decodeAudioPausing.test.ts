// decodeAudio with pauseWhile against the real ffmpeg: pauses while a flowGate is full, loses nothing, still dies on unsubscribe.
import { createReadStream } from 'node:fs';
import { concatMap, lastValueFrom, map, type Observable, Subject, tap, timer, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors/index.js';
import { decodeAudio, type DecodeInput } from '../../src/operators/decodeAudio.js';
import { flowGate } from '../../src/operators/flowGate.js';
import { logMelFrames } from '../../src/operators/logMelFrames.js';
import { patches } from '../../src/operators/patches.js';
import { YAMNET_FRONT_END } from '../../src/types.js';
import { knownSamples, removeTempDirs, tempDir, writeWav } from '../ffmpeg/makeFixtures.js';
import { pidsWith, processExists, waitUntilGone } from '../helpers/processes.js';

const RATE = 16_000;
const MAX_WAITING = 8;
/**
 * The most samples one stdout 'data' event carries: libuv reads a pipe into 64 KiB buffers, 65 536 bytes of f32le
 * (checked against every chunk below, so a larger read fails the test rather than silently loosening the bound).
 */
const CHUNK_SAMPLES = 65_536 / 4;
/**
 * Patches one chunk can complete: fewer than 400 samples are carried between chunks, so a chunk of 16 384 completes
 * at most ceil(16 384 / 160) = 103 frames (hop 160), and 103 consecutive frame indices hold at most ceil(103 / 48)
 * = 3 patch ends (one every 48 frames).
 */
const PATCHES_PER_CHUNK = Math.ceil(Math.ceil(CHUNK_SAMPLES / YAMNET_FRONT_END.hopSamples) / YAMNET_FRONT_END.patchHopFrames);
/** A chunk arrives only while fewer than MAX_WAITING patches wait (≤ 7), and adds at most 3: never more than 10. */
const WAITING_BOUND = MAX_WAITING - 1 + PATCHES_PER_CHUNK;

let dir: string;
beforeAll(() => {
  dir = tempDir();
});
afterAll(removeTempDirs);

const concat = (chunks: Float32Array[]): Float32Array => {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (out.set(c, at), at + c.length), 0);
  return out;
};

/** Resolves once `full` has said `true`. */
const whenFull = (full: Observable<boolean>): Promise<void> =>
  new Promise((resolve) => {
    const subscription = full.subscribe((isFull) => {
      if (!isFull) return;
      resolve();
      queueMicrotask(() => subscription.unsubscribe());
    });
  });

describe('decodeAudio: pauseWhile', () => {
  it('rejects a pauseWhile that is not an Observable when called', () => {
    expect(() => decodeAudio('a.wav', { pauseWhile: true as unknown as Observable<boolean> })).toThrow(OptionError);
  });

  const seconds = 60;
  const known = knownSamples(RATE * seconds, 11);
  const inputs: [string, () => DecodeInput][] = [
    ['a path', () => writeWav(dir, 'paced.wav', known, RATE)],
    ['a Readable on stdin', () => createReadStream(writeWav(dir, 'paced-stdin.wav', known, RATE))],
  ];

  it.each(inputs)(`60 s from %s behind patches released 2 ms apart: at most ${WAITING_BOUND} ever wait, every sample once, in order`, async (_, input) => {
    const ungatedFile = writeWav(dir, 'ungated.wav', known, RATE);
    const ungated = await lastValueFrom(decodeAudio(ungatedFile).pipe(toArray()));
    const expectedPatches = await lastValueFrom(decodeAudio(ungatedFile).pipe(logMelFrames(), patches(), toArray()));

    const gate = flowGate(MAX_WAITING);
    const chunks: Float32Array[] = [];
    let waitingAtChunk = 0; // the most patches waiting when a chunk arrived
    let mostWaiting = 0;
    let pauses = 0;
    const counting = gate.full.subscribe((full) => (pauses += full ? 1 : 0));
    const released = await lastValueFrom(
      decodeAudio(input(), { pauseWhile: gate.full }).pipe(
        tap((chunk) => {
          chunks.push(chunk);
          waitingAtChunk = Math.max(waitingAtChunk, gate.waiting);
        }),
        logMelFrames(),
        patches(),
        gate.admit(),
        tap(() => (mostWaiting = Math.max(mostWaiting, gate.waiting))),
        // A stage far slower than ffmpeg, like attribution: one patch every 2 ms, in order.
        concatMap((patch) => timer(2).pipe(map(() => patch))),
        gate.release(),
        toArray(),
      ),
    );
    counting.unsubscribe();

    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(CHUNK_SAMPLES);
    expect(waitingAtChunk).toBeLessThan(MAX_WAITING); // no chunk was read while the gate was full
    expect(mostWaiting).toBeLessThanOrEqual(WAITING_BOUND);
    // Without pausing, all 124 patches would wait at once; these show the gate really filled and held ffmpeg back.
    expect(mostWaiting).toBeGreaterThanOrEqual(MAX_WAITING);
    expect(pauses).toBeGreaterThan(5);
    expect(gate.waiting).toBe(0);

    const samples = concat(chunks);
    expect(samples.length).toBe(known.length);
    expect(Buffer.from(samples.buffer).equals(Buffer.from(concat(ungated).buffer))).toBe(true); // bit for bit
    expect(released.map((p) => p.index)).toEqual(expectedPatches.map((p) => p.index));
    expect(released).toHaveLength(124); // 1 + floor((6 000 frames of 60 s padded − 96) / 48), see framing.patchCount
  });
});

describe.skipIf(process.platform !== 'linux')('decodeAudio: pauseWhile and the ffmpeg process', () => {
  it('ffmpeg may exit while paused: the rest of its output arrives on resume and the decode completes', async () => {
    // 1 s of real-time lavfi: ffmpeg lives ~1 s, and its 64 000 bytes fit in a 64 KiB pipe, so it can finish unread.
    const marker = `sine=frequency=442.${process.pid}:duration=1:sample_rate=16000`;
    const gate = flowGate(1, 0);
    const hold = new Subject<void>();
    const letGo = new Subject<void>();
    hold.pipe(gate.admit()).subscribe();
    letGo.pipe(gate.release()).subscribe();
    hold.next(); // full before ffmpeg starts: not one chunk is read until released
    const chunks: Float32Array[] = [];
    let done: 'complete' | unknown;
    decodeAudio({ path: marker, inputOptions: ['-f', 'lavfi'], realtime: true }, { pauseWhile: gate.full }).subscribe({
      next: (chunk) => chunks.push(chunk),
      complete: () => (done = 'complete'),
      error: (error: unknown) => (done = error),
    });
    let pids: number[] = [];
    const seekUntil = performance.now() + 5000;
    while (pids.length === 0 && performance.now() < seekUntil) {
      pids = pidsWith(marker);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(pids).toHaveLength(1);
    expect(await waitUntilGone(pids[0], 5000)).toBe(true); // exited (and reaped) with its output unread
    await new Promise((r) => setTimeout(r, 100));
    expect([chunks.length, done]).toEqual([0, undefined]);

    letGo.next(); // drained: resume
    const deadline = performance.now() + 5000;
    while (done === undefined && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe('complete');
    expect(concat(chunks).length).toBe(16_000);
  });

  it('unsubscribing while paused kills ffmpeg, leaving no process behind', async () => {
    const marker = `sine=frequency=443.${process.pid}:sample_rate=16000`; // endless, and unique to this test
    const gate = flowGate(2); // counts chunks, and never releases one
    let chunks = 0;
    const subscription = decodeAudio({ path: marker, inputOptions: ['-f', 'lavfi'] }, { pauseWhile: gate.full })
      .pipe(gate.admit())
      .subscribe(() => chunks++);
    await whenFull(gate.full);
    // Unpaused, an endless lavfi decode runs far faster than real time, a chunk every few ms; paused, none more arrive.
    const chunksWhenFull = chunks;
    await new Promise((r) => setTimeout(r, 300));
    expect(chunks).toBe(chunksWhenFull);
    const pids = pidsWith(marker);
    expect(pids).toHaveLength(1);
    expect(processExists(pids[0])).toBe(true); // blocked on its full stdout pipe, not exited

    subscription.unsubscribe();
    expect(await waitUntilGone(pids[0])).toBe(true);
    expect(pidsWith(marker)).toEqual([]);
  });
});
