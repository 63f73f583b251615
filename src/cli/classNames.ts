// `--class NAME` checked against YAMNet's class map (no model needed), with near names for a typo.
import { loadClassNames } from '../model/classMap.js';
import { CLASSES_LIMIT } from './limits.js';
import { didYouMean } from './nearNames.js';
import { optionError } from './optionValues.js';

/**
 * The display names `typed` mean (exact, else case-insensitive), once each, in the order given; a name that is no
 * class is an OptionError naming up to three near ones, more than {@link CLASSES_LIMIT} names one naming the limit.
 */
export async function checkClassNames(typed: readonly string[], classNames?: readonly string[]): Promise<string[]> {
  const names = classNames ?? (await loadClassNames());
  const chosen: string[] = [];
  for (const text of typed) {
    const exact = names.includes(text) ? text : names.find((name) => name.toLowerCase() === text.toLowerCase());
    if (exact === undefined) {
      const hint = didYouMean(text, names);
      throw optionError('--class', 'a YAMNet class name', text, hint === '' ? 'the names are in models/yamnet_class_map.csv' : hint);
    }
    if (!chosen.includes(exact)) chosen.push(exact);
  }
  if (chosen.length > CLASSES_LIMIT.max) throw optionError('--class', `given at most ${CLASSES_LIMIT.max} times (${CLASSES_LIMIT.why})`, `${chosen.length} classes`);
  return chosen;
}
