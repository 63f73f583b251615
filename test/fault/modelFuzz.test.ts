// Model fuzz: seeded mutants of a miniature int8 YAMNet and of the real file load on both engines as finite logits or a ModelError, alike.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../src/engine/backend.js';
import { loadOnnxYamnet } from '../../src/engine/onnx/onnxYamnet.js';
import { ModelError } from '../../src/errors/index.js';
import { probePatch } from '../../src/model/probePatch.js';
import { loadYamnet } from '../../src/model/yamnet.js';
import { describeWithModel } from '../helpers/model.js';
import { miniYamnet } from './miniYamnet.js';
import { mutants, type Mutant } from './mutants.js';

/**
 * Mutants per engine. The miniature loads in ~20 ms (tfjs) and ~60 ms (onnx), the real file in 0.5–1.5 s each
 * when a mutant is accepted (about one in five is; a rejection costs ~15 ms), so the real file gets fewer. Measured
 * on 2 cores: the whole file in 48 s (7 s for the miniature's mutants, 37 s for the real file's), 70 s while
 * another job kept the load average at 6.
 */
const MINI_MUTANTS = 600;
const YAMNET_MUTANTS = 100;

/** What one engine made of one file: finite logits on the probe patch, or the ModelError's message. */
type Outcome = { readonly accepted: true } | { readonly accepted: false; readonly message: string };

const dir = mkdtempSync(join(tmpdir(), 'blurig-fuzz-'));
// Any console output during a load is a failure too: tfjs's wasm backend prints XNNPACK errors through console.
const consoleCalls: string[] = [];

beforeAll(async () => {
  await selectBackend('wasm'); // the CLI's tfjs backend, where a stride of 0 used to reach XNNPACK
  for (const method of ['log', 'warn', 'error'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleCalls.push(args.map(String).join(' ')));
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Loads `path` on one engine and runs it on the probe patch. Anything but a model with finite logits or a one-line
 * ModelError is returned as a problem (the test fails listing them); a crash or hang would fail the test itself.
 */
async function load(engine: 'tfjs' | 'onnx', path: string): Promise<Outcome | { problem: string }> {
  try {
    const model = engine === 'tfjs' ? await loadYamnet(path) : await loadOnnxYamnet(path, { threads: 1 });
    try {
      const logits = await model.logitsOf(probePatch(), 1);
      return logits.every(Number.isFinite) ? { accepted: true } : { problem: 'loaded, but gives non-finite logits' };
    } finally {
      model.dispose();
    }
  } catch (error) {
    if (!(error instanceof ModelError)) return { problem: `threw ${(error as Error)?.name}: ${String((error as Error)?.message ?? error).split('\n')[0]}` };
    if (error.message.includes('\n')) return { problem: `a ModelError of several lines: ${error.message}` };
    return { accepted: false, message: error.message };
  }
}

/** Loads every mutant on both engines; returns the problems found and how many were accepted. */
async function fuzz(list: readonly Mutant[]): Promise<{ problems: string[]; accepted: number }> {
  const problems: string[] = [];
  let accepted = 0;
  const tensorsBefore = tf.memory().numTensors;
  for (const [i, mutant] of list.entries()) {
    const path = join(dir, `mutant-${i}.tflite`);
    writeFileSync(path, mutant.bytes);
    const tfjs = await load('tfjs', path);
    const onnx = await load('onnx', path);
    rmSync(path);
    for (const [engine, outcome] of [['tfjs', tfjs], ['onnx', onnx]] as const) if ('problem' in outcome) problems.push(`${mutant.label}: ${engine} ${outcome.problem}`);
    if ('problem' in tfjs || 'problem' in onnx) continue;
    if (tfjs.accepted !== onnx.accepted) problems.push(`${mutant.label}: tfjs ${tfjs.accepted ? 'accepts' : 'rejects'} it, onnx ${onnx.accepted ? 'accepts' : 'rejects'} it (${!tfjs.accepted ? tfjs.message : !onnx.accepted ? onnx.message : ''})`);
    if (tfjs.accepted && onnx.accepted) accepted++;
  }
  if (tf.memory().numTensors !== tensorsBefore) problems.push(`${tf.memory().numTensors - tensorsBefore} tensors leaked`);
  if (consoleCalls.length > 0) problems.push(`console output: ${consoleCalls.splice(0).slice(0, 3).join(' | ')}`);
  return { problems, accepted };
}

describe('model fuzz: a miniature int8 YAMNet (test/fault/miniYamnet.ts)', () => {
  it('loads unchanged on both engines with finite logits', async () => {
    const path = join(dir, 'mini.tflite');
    writeFileSync(path, miniYamnet());
    expect(await load('tfjs', path)).toEqual({ accepted: true });
    expect(await load('onnx', path)).toEqual({ accepted: true });
  });

  it(`${MINI_MUTANTS} mutants: each gives finite logits or a ModelError, the same on tfjs and onnx`, async () => {
    const { problems, accepted } = await fuzz(mutants(miniYamnet(), MINI_MUTANTS, 5));
    expect(problems).toEqual([]);
    // Both outcomes occur, so neither check is vacuous (seed 5: 98 of the first 400 were accepted when this was written).
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(MINI_MUTANTS);
  }, 240_000);
});

describeWithModel('model fuzz: the real YAMNet file', (modelPath) => {
  it(`${YAMNET_MUTANTS} mutants: each gives finite logits or a ModelError, the same on tfjs and onnx`, async () => {
    const { problems, accepted } = await fuzz(mutants(readFileSync(modelPath), YAMNET_MUTANTS, 1));
    expect(problems).toEqual([]);
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(YAMNET_MUTANTS);
  }, 400_000);
});
