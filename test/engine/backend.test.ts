// Backend choice: explicit names, the BLURIG_BACKEND override, the auto order, and clear errors instead of fallbacks.
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { activeBackend, parseBackendName, selectBackend } from '../../src/engine/backend.js';
import { OptionError } from '../../src/errors/index.js';

/** Whether the optional native package loads here (it decides what `auto` and `tensorflow` must do). */
async function nativeAvailable(): Promise<boolean> {
  try {
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return true;
  } catch {
    return false;
  }
}

const savedEnv = process.env.BLURIG_BACKEND;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.BLURIG_BACKEND;
  else process.env.BLURIG_BACKEND = savedEnv;
});

describe('selectBackend', () => {
  it('switches to cpu and wasm by name, repeatedly', async () => {
    delete process.env.BLURIG_BACKEND;
    expect(await selectBackend('cpu')).toBe('cpu');
    expect(activeBackend()).toBe('cpu');
    expect(await selectBackend('wasm')).toBe('wasm');
    expect(await selectBackend('wasm')).toBe('wasm');
    expect(activeBackend()).toBe('wasm');
    expect(tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0])).toBe(5);
    expect(await selectBackend('cpu')).toBe('cpu');
  });

  it('uses the wasm SIMD build', async () => {
    await selectBackend('wasm');
    expect(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')).toBe(true);
  });

  it('with auto, takes tensorflow when installed, else wasm', async () => {
    delete process.env.BLURIG_BACKEND;
    const expected = (await nativeAvailable()) ? 'tensorflow' : 'wasm';
    expect(await selectBackend()).toBe(expected);
    expect(await selectBackend('auto')).toBe(expected);
    expect(activeBackend()).toBe(expected);
  });

  it('fails clearly, in one line, when tensorflow is asked for but tfjs-node is missing', async () => {
    if (await nativeAvailable()) {
      expect(await selectBackend('tensorflow')).toBe('tensorflow');
      return;
    }
    const error = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionError);
    expect((error as Error).message).toBe(
      'The tensorflow backend is not available: @tensorflow/tfjs-node is not installed (npm install @tensorflow/tfjs-node). Use --backend wasm or cpu.',
    );
    // Asking again gives the same answer, and the backend in use is left alone.
    await selectBackend('cpu');
    await expect(selectBackend('tensorflow')).rejects.toThrow('is not installed');
    expect(activeBackend()).toBe('cpu');
  });

  it('lets BLURIG_BACKEND decide when no backend is passed, and an explicit one win over it', async () => {
    process.env.BLURIG_BACKEND = 'cpu';
    expect(await selectBackend()).toBe('cpu');
    expect(await selectBackend('wasm')).toBe('wasm');
    process.env.BLURIG_BACKEND = 'wasm';
    expect(await selectBackend()).toBe('wasm');
  });

  it('rejects unknown names, naming where they came from', async () => {
    delete process.env.BLURIG_BACKEND;
    await expect(selectBackend('gpu' as never)).rejects.toThrow(
      'Expected the `backend` option to be one of `auto`, `tensorflow`, `wasm`, `cpu`, got `gpu` (string)',
    );
    process.env.BLURIG_BACKEND = 'webgl';
    await expect(selectBackend()).rejects.toThrow('Expected the `BLURIG_BACKEND` option to be one of');
    expect(() => parseBackendName('fast', '--backend')).toThrow('Expected the `--backend` option to be one of');
    expect(parseBackendName('auto')).toBe('auto');
  });
});
