// Chooses the tfjs compute backend: native TensorFlow when installed, else WebAssembly (SIMD), else plain JS.
import * as tf from '@tensorflow/tfjs-core';
import { OptionError } from '../errors/index.js';
import { BackendUnavailableError } from './BackendUnavailableError.js';

/** The compute backends blurig-audio knows, fastest first. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

const ALLOWED = 'one of `auto`, `tensorflow`, `wasm`, `cpu`';

/** Validates a user-given backend name (`--backend`, `BLURIG_BACKEND`); `option` names its source in the error. */
export function parseBackendName(value: string, option = 'backend'): BackendName | 'auto' {
  if (value === 'auto' || (BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName | 'auto';
  throw new OptionError(option, ALLOWED, value);
}

// One registration attempt per backend per process: a failed native load is not retried on every call.
const registrations = new Map<BackendName, Promise<string | undefined>>();

/**
 * Makes `preferred` the active backend, or with `auto` (the default) the first that loads of tensorflow, wasm,
 * cpu. When `preferred` is absent, the `BLURIG_BACKEND` environment variable decides. A backend asked for by name
 * that cannot load is a {@link BackendUnavailableError}, never a silent fallback. Safe to call repeatedly.
 */
export async function selectBackend(preferred?: BackendName | 'auto'): Promise<BackendName> {
  // Production mode skips debug checks and silences tfjs's console tip about tfjs-node on first cpu use,
  // which would otherwise break the CLI's one-line output.
  tf.enableProdMode();
  const fromEnv = process.env.BLURIG_BACKEND;
  const request =
    preferred !== undefined
      ? parseBackendName(preferred)
      : fromEnv !== undefined && fromEnv !== ''
        ? parseBackendName(fromEnv, 'BLURIG_BACKEND')
        : 'auto';
  if (request !== 'auto') {
    const problem = await activate(request);
    if (problem !== undefined) throw new BackendUnavailableError(request, problem);
    return request;
  }
  for (const name of BACKEND_NAMES) {
    if ((await activate(name)) === undefined) return name;
  }
  throw new BackendUnavailableError('cpu', 'tfjs could not start even its JavaScript backend');
}

/** Name of the backend tfjs is running on now (`tensorflow`, `wasm`, `cpu`, …). */
export function activeBackend(): string {
  return tf.getBackend();
}

/** Registers (once) and switches to `name`; returns why it cannot run, or undefined on success. */
async function activate(name: BackendName): Promise<string | undefined> {
  let registration = registrations.get(name);
  if (registration === undefined) {
    registration = register(name);
    registrations.set(name, registration);
  }
  const problem = await registration;
  if (problem !== undefined) return problem;
  if (tf.getBackend() === name) return undefined;
  return (await tf.setBackend(name)) ? (await tf.ready(), undefined) : `tfjs could not initialise the ${name} backend`;
}

async function register(name: BackendName): Promise<string | undefined> {
  try {
    if (name === 'tensorflow') {
      // A variable specifier keeps TypeScript from requiring the optional package at build time.
      const nativePackage = '@tensorflow/tfjs-node';
      await import(nativePackage);
      if (tf.findBackendFactory('tensorflow') === null) {
        return '@tensorflow/tfjs-node loaded but registered no backend with this @tensorflow/tfjs (versions differ?)';
      }
    } else if (name === 'cpu') {
      await import('@tensorflow/tfjs-backend-cpu'); // tfjs-core ships no backend of its own
    } else if (name === 'wasm') {
      // Under Node the package's CommonJS build finds its .wasm files next to itself (tfjs-backend-wasm/dist),
      // from source and from a built dist/ alike; threads are off in Node, so neither setWasmPaths nor
      // setThreadsCount is needed.
      await import('@tensorflow/tfjs-backend-wasm');
    }
    return undefined;
  } catch (error) {
    return describeLoadError(name, error);
  }
}

function describeLoadError(name: BackendName, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const pkg = name === 'tensorflow' ? '@tensorflow/tfjs-node' : name === 'cpu' ? '@tensorflow/tfjs-backend-cpu' : '@tensorflow/tfjs-backend-wasm';
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return `${pkg} is not installed (npm install ${pkg})`;
  const first = String((error as Error | undefined)?.message ?? error).split('\n')[0];
  return `${pkg} failed to load (${first})`;
}
