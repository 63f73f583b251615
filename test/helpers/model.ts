// Finds the shared YAMNet file and reference audio for model tests, and turns waveforms into patch batches.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe } from 'vitest';
import { logMelPatches } from '../../src/audio/logMel.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED = join(REPO, '..', 'shared');
const SKIP_MESSAGE = 'YAMNet not found at ../shared/models/yamnet: set BLURIG_MODEL to run the model tests';

/** The model file to test with: `BLURIG_MODEL` if set, else ../shared/models/yamnet/yamnet_spectra_in.tflite if present. */
export function sharedModelPath(): string | undefined {
  const fromEnv = process.env.BLURIG_MODEL;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const shared = join(SHARED, 'models', 'yamnet', 'yamnet_spectra_in.tflite');
  return existsSync(shared) ? shared : undefined;
}

/** `describe`, skipped with a message saying how to enable it when the model file is missing. */
export function describeWithModel(name: string, body: (modelPath: string) => void): void {
  const path = sharedModelPath();
  if (path === undefined) console.warn(`${name}: ${SKIP_MESSAGE}`);
  describe.skipIf(path === undefined)(path === undefined ? `${name} (skipped: ${SKIP_MESSAGE})` : name, () => body(path ?? ''));
}

/** The 15 600-sample speech clip of ../shared/reference (int16 LE), scaled to [−1, 1). */
export function referenceSpeech(): Float32Array {
  const raw = readFileSync(join(SHARED, 'reference', 'coral_speech_16k_int16le.bin'));
  return Float32Array.from({ length: raw.length / 2 }, (_, i) => raw.readInt16LE(2 * i) / 32768);
}

/** The log-mel patches of a whole waveform (DESIGN.md §1) as one batch [B, 96, 64]. */
export function patchBatch(waveform: Float32Array): tf.Tensor3D {
  const patches = logMelPatches(waveform);
  const values = new Float32Array(patches.length * 96 * 64);
  patches.forEach((p, i) => values.set(p.logMel, i * 96 * 64));
  return tf.tensor3d(values, [patches.length, 96, 64]);
}
