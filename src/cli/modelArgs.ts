// `--model`, `--engine` and `--backend` as typed: the engine and backend names checked before anything loads.
import type { BackendName } from '../engine/backend.js';
import type { EngineName } from '../types.js';
import { choiceOption, type Exhaustive } from './optionValues.js';

/** Every engine and backend name; `satisfies` plus the `Exhaustive` check keep them equal to the library's types. */
export const ENGINE_NAMES = ['auto', 'onnx', 'tfjs'] as const satisfies readonly (EngineName | 'auto')[];
export const BACKEND_NAMES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const satisfies readonly (BackendName | 'auto')[];
const listsAreComplete: [Exhaustive<EngineName, (typeof ENGINE_NAMES)[number]>, Exhaustive<BackendName, (typeof BACKEND_NAMES)[number]>] = [true, true];
void listsAreComplete;

/** What loads the model: the file (checked when it loads), the engine and the tfjs backend (checked here). */
export interface ModelArgs {
  readonly model?: string;
  readonly engine?: EngineName | 'auto';
  readonly backend?: BackendName | 'auto';
}

/** The `--model`, `--engine`, `--backend` values, the names checked (with near names for a typo). */
export function modelArgs(values: { model?: string; engine?: string; backend?: string }): ModelArgs {
  return { model: values.model, engine: choiceOption('--engine', values.engine, ENGINE_NAMES), backend: choiceOption('--backend', values.backend, BACKEND_NAMES) };
}
