// Turns the attribution flags shared by `explain` and `stream` into Blur IG options (checked by the method itself).
import { OptionError } from '../../errors/index.js';
import type { BlurDirection, BlurIGOptions } from '../../types.js';

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
