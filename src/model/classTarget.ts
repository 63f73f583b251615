// Turns YAMNet and a choice of classes into the function an attribution method explains.
import type { ClassifierModel, ClassTargetOptions, Explainable, ExplainedFunction } from '../types.js';
import { OptionError } from '../errors/index.js';
import type { YamnetModel } from './yamnet.js';

/** A class index or display name, or a list of them. */
type ClassChoice = number | string | readonly (number | string)[];

/** Class indices for class indices or display names (exact, then case-insensitive); unknown ones are an OptionError. */
export function classIndices(model: Pick<ClassifierModel, 'classNames'>, classes: ClassChoice): number[] {
  const list = Array.isArray(classes) ? classes : [classes];
  if (list.length === 0) throw new OptionError('classes', 'at least one class index or name', classes);
  return list.map((c) => {
    if (typeof c === 'number') {
      if (Number.isInteger(c) && c >= 0 && c < model.classNames.length) return c;
      throw new OptionError('class', `an integer from 0 to ${model.classNames.length - 1} or a class name`, c);
    }
    const exact = model.classNames.indexOf(c);
    if (exact >= 0) return exact;
    const folded = model.classNames.findIndex((name) => name.toLowerCase() === String(c).toLowerCase());
    if (folded >= 0) return folded;
    const query = String(c).toLowerCase();
    const near = model.classNames.filter((name) => name.toLowerCase().includes(query) || query.includes(name.toLowerCase())).slice(0, 5);
    throw new OptionError('class', near.length > 0 ? `a YAMNet class name (did you mean ${near.map((n) => `"${n}"`).join(', ')}?)` : 'a YAMNet class name (see models/yamnet_class_map.csv)', c);
  });
}

/**
 * f(patches [B, 96, 64]) → the chosen classes' logits (or scores): [B] for one class, [B, K] for several, which an
 * attribution method then explains together, sharing its path inputs.
 */
export function classTarget(model: YamnetModel, classes: ClassChoice, options?: ClassTargetOptions): ExplainedFunction;
export function classTarget(model: ClassifierModel, classes: ClassChoice, options?: ClassTargetOptions): Explainable;
export function classTarget(model: ClassifierModel, classes: ClassChoice, options: ClassTargetOptions = {}): Explainable {
  const output = options.output ?? 'score';
  if (output !== 'logit' && output !== 'score') throw new OptionError('output', '`logit` or `score`', output);
  return model.target(classIndices(model, classes), output, !Array.isArray(classes));
}
