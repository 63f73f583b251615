// The student's data: synthetic clips cached under .cache/student-data/, cut into log-mel patches, labelled by YAMNet.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { padWaveform } from '../../src/audio/framing.js';
import { logMelSpectrogram } from '../../src/audio/logMel.js';
import type { ClassifierModel } from '../../src/types.js';
import { type Clip, SYNTH_VERSION, synthesiseSet } from './synth.js';

export const PATCH_VALUES = 96 * 64;

/** Patches of many clips, row-major [count × 96 × 64], with the clip each came from. */
export interface PatchSet {
  readonly count: number;
  readonly patches: Float32Array;
  readonly clipOf: Int32Array;
  readonly clips: readonly { readonly kind: string; readonly description: string }[];
}

/** The patches of each clip (padded as DESIGN.md §1), starting every `strideFrames` frames (48: YAMNet's own hop). */
export function patchesOfClips(clips: readonly Clip[], strideFrames: number): PatchSet {
  const perClip = clips.map((clip) => logMelSpectrogram(padWaveform(clip.waveform)));
  const starts = perClip.map(({ frames }) => Array.from({ length: Math.floor((frames - 96) / strideFrames) + 1 }, (_u, k) => k * strideFrames));
  const count = starts.reduce((n, s) => n + s.length, 0);
  const patches = new Float32Array(count * PATCH_VALUES);
  const clipOf = new Int32Array(count);
  let p = 0;
  perClip.forEach(({ logMel }, c) => {
    for (const start of starts[c]) {
      patches.set(logMel.subarray(start * 64, start * 64 + PATCH_VALUES), p * PATCH_VALUES);
      clipOf[p++] = c;
    }
  });
  return { count, patches, clipOf, clips: clips.map(({ kind, description }) => ({ kind, description })) };
}

/** Logits [count × classes] of every patch, `batch` at a time. */
export async function logitsOfSet(model: Pick<ClassifierModel, 'logitsOf'>, set: Pick<PatchSet, 'count' | 'patches'>, batch = 64): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (let start = 0; start < set.count; start += batch) {
    const n = Math.min(batch, set.count - start);
    parts.push(Float32Array.from(await model.logitsOf(set.patches.slice(start * PATCH_VALUES, (start + n) * PATCH_VALUES), n)));
  }
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), (at += p.length);
  return out;
}

/** A set's name in the cache: what it is for, the generator's version, its seed and its size. */
export function setKey(name: string, seed: number, count: number): string {
  return `${name}-v${SYNTH_VERSION}-${seed}-${count}`;
}

/**
 * The clips of the set `seed`, from the cache folder when a previous run made them (same generator, seed and count),
 * else synthesised and saved there as 16-bit PCM (what the model sees is the PCM, on both runs).
 */
export async function cachedClips(folder: string, name: string, seed: number, count: number, log: (line: string) => void): Promise<Clip[]> {
  const index = join(folder, `${setKey(name, seed, count)}.json`);
  const pcm = join(folder, `${setKey(name, seed, count)}.pcm`);
  if (existsSync(index) && existsSync(pcm)) {
    const meta = JSON.parse(await readFile(index, 'utf8')) as { kind: string; description: string; offset: number; length: number }[];
    const raw = await readFile(pcm);
    const samples = new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
    log(`${name}: ${meta.length} clips from ${pcm}`);
    return meta.map((m) => ({ kind: m.kind, description: m.description, waveform: Float32Array.from(samples.subarray(m.offset, m.offset + m.length), (v) => v / 32768) }));
  }
  const started = Date.now();
  const made = await synthesiseSet(seed, count, { onClip: (done) => done % 250 === 0 && log(`${name}: ${done}/${count} clips synthesised`) });
  const total = made.reduce((n, c) => n + c.waveform.length, 0);
  const samples = new Int16Array(total);
  const meta: { kind: string; description: string; offset: number; length: number }[] = [];
  let offset = 0;
  const clips = made.map((clip) => {
    const quantised = Int16Array.from(clip.waveform, (v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
    samples.set(quantised, offset);
    meta.push({ kind: clip.kind, description: clip.description, offset, length: quantised.length });
    offset += quantised.length;
    return { ...clip, waveform: Float32Array.from(quantised, (v) => v / 32768) };
  });
  await mkdir(folder, { recursive: true });
  await writeFile(pcm, new Uint8Array(samples.buffer));
  await writeFile(index, JSON.stringify(meta));
  log(`${name}: ${count} clips (${(total / 16000 / 60).toFixed(1)} min of audio) synthesised in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return clips;
}

/** {@link logitsOfSet} of the teacher, cached beside the clips (keyed by set, stride and the teacher file's digest). */
export async function cachedTeacherLogits(folder: string, key: string, compute: () => Promise<Float32Array>): Promise<Float32Array> {
  const path = join(folder, `${key}.teacher.f32`);
  if (existsSync(path)) {
    const raw = await readFile(path);
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  const logits = await compute();
  await writeFile(path, new Uint8Array(logits.buffer, logits.byteOffset, logits.byteLength));
  return logits;
}
