// The attribution methods `evaluate` compares, each with the settings it runs at, and the choice among them.
import { OptionError } from '../errors/index.js';
import { type ClassifierModel, DEFAULT_PATCH_METHOD, type EvaluatedMethod } from '../types.js';

/**
 * Every method `evaluate` knows, in report order. Settings are each method's defaults except where a cost must be
 * comparable: the path methods run 32 gradient steps per class (Blur IG refines to its tolerance from 16, as
 * `explain` does), so a method does not win on the curves by spending more evaluations.
 */
export const EVALUATED_METHODS: readonly EvaluatedMethod[] = [
  { name: 'blur-ig', method: 'blur-ig', methodOptions: {} },
  { name: 'blur-ig+idgi', method: 'blur-ig+idgi', methodOptions: { steps: 32 } },
  { name: 'integrated-gradients', method: 'integrated-gradients', methodOptions: { steps: 32 } },
  { name: 'idgi', method: 'idgi', methodOptions: { steps: 32 } },
  { name: 'guided-ig', method: 'guided-ig', methodOptions: { steps: 32 } },
  { name: 'guided-ig+idgi', method: 'guided-ig+idgi', methodOptions: { steps: 32 } },
  { name: 'expected-gradients', method: 'expected-gradients', methodOptions: { samples: 32 } },
  { name: 'occlusion', method: 'occlusion', methodOptions: { box: { frames: 8, bands: 8 }, stride: { frames: 4, bands: 4 } } },
  { name: 'grad-cam', method: 'grad-cam', methodOptions: {} },
  { name: 'gradient', method: 'gradient', methodOptions: {} },
  { name: 'gradient-x-input', method: 'gradient-x-input', methodOptions: {} },
  { name: 'random', method: 'random', methodOptions: {} },
];

/** The method `explain` runs by default, marked `default` in evaluate's report. */
export const DEFAULT_METHOD_NAME = DEFAULT_PATCH_METHOD;

/** Why `model` cannot run a method (e.g. Grad-CAM on an engine without feature maps), or null. */
export function unsupportedReason(method: EvaluatedMethod, model: Pick<ClassifierModel, 'featureMaps' | 'engine' | 'name'>): string | null {
  if (method.method === 'grad-cam' && typeof model.featureMaps !== 'function') {
    return `${model.name} on the ${model.engine} engine gives no convolutional feature maps (Grad-CAM runs on YAMNet with --engine tfjs)`;
  }
  return null;
}

/**
 * The methods named in `names` (report names, in the catalogue's order), or every one the model supports; a name
 * the catalogue lacks is an OptionError listing the names. Methods the model cannot run are returned apart, with why.
 */
export function chooseMethods(names: readonly string[] | undefined, model: Pick<ClassifierModel, 'featureMaps' | 'engine' | 'name'>, seed = 0): { run: EvaluatedMethod[]; unsupported: { name: string; reason: string }[] } {
  const known = EVALUATED_METHODS.map((m) => m.name);
  for (const name of names ?? []) if (!known.includes(name)) throw new OptionError('methods', `a comma-separated list of ${known.join(', ')}`, name);
  const asked = EVALUATED_METHODS.filter((m) => names === undefined || names.includes(m.name));
  const run: EvaluatedMethod[] = [];
  const unsupported: { name: string; reason: string }[] = [];
  for (const method of asked) {
    const reason = unsupportedReason(method, model);
    if (reason !== null) unsupported.push({ name: method.name, reason });
    else run.push(method.method === 'random' ? { ...method, methodOptions: { seed } } : method);
  }
  return { run, unsupported };
}
