// The attribution flags shared by `explain` and `stream`, and their translation into options (checked downstream).
import { availableParallelism } from 'node:os';
import type { ParseArgsConfig } from 'node:util';
import { OptionError } from '../../errors/index.js';
import type { AttributePatchesOptions, BlurDirection, BlurIGOptions, PatchMethodName } from '../../types.js';
import { positiveInteger } from '../args.js';

/** Class choice, method, Blur IG and worker-thread flags. */
export const ATTRIBUTION_OPTIONS = {
  class: { type: 'string', multiple: true },
  'top-k': { type: 'string' },
  method: { type: 'string' },
  path: { type: 'string' },
  steps: { type: 'string' },
  tolerance: { type: 'string' },
  'max-steps': { type: 'string' },
  'batch-size': { type: 'string' },
  workers: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

type AttributionValues = { class?: string[]; 'top-k'?: string; method?: string; path?: string; steps?: string; tolerance?: string; 'max-steps'?: string; 'batch-size'?: string };

/** `--class`/`--top-k`, `--method` and the Blur IG flags as `attributePatches` options. */
export function patchOptionsFromArgs(values: AttributionValues): AttributePatchesOptions {
  return {
    method: values.method as PatchMethodName | undefined,
    methodOptions: blurIGOptionsFromArgs(values),
    classes: values.class !== undefined ? values.class : { topK: positiveInteger('top-k', values['top-k'], 1) },
  };
}

/** `--path`, `--steps`, `--tolerance`, `--max-steps`, `--batch-size` as method options; absent flags keep the defaults. */
export function blurIGOptionsFromArgs(values: { path?: string; steps?: string; tolerance?: string; 'max-steps'?: string; 'batch-size'?: string }): BlurIGOptions {
  const number = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new OptionError(`--${flag}`, 'a number', text);
    return value;
  };
  return {
    path: values.path as BlurDirection | undefined,
    steps: number('steps', values.steps),
    tolerance: number('tolerance', values.tolerance),
    maxSteps: number('max-steps', values['max-steps']),
    batchSize: number('batch-size', values['batch-size']),
  };
}

/** `--workers N`: patches explained at once, each worker thread with its own model; 1 runs on this thread, with no pool. */
export function workersFromArgs(values: { workers?: string }): number {
  return positiveInteger('workers', values.workers, availableParallelism());
}
