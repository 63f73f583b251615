// One class of a classifier as the score function the deletion and insertion curves call.
import { OptionError, ShapeError } from '../errors/index.js';
import type { PatchClassifier } from '../types.js';
import type { PatchScore } from './deletionInsertion.js';

/**
 * One class of a classifier as a {@link PatchScore}: its sigmoid score (the default, what the attribution explains
 * by default) or its logit, from `model.logitsOf`. The patches must have the model's input shape.
 */
export function classScore(model: Pick<PatchClassifier, 'logitsOf'>, classIndex: number, output: 'score' | 'logit' = 'score'): PatchScore {
  if (!Number.isSafeInteger(classIndex) || classIndex < 0) throw new OptionError('classIndex', 'an integer ≥ 0', classIndex);
  if (output !== 'score' && output !== 'logit') throw new OptionError('output', '`score` or `logit`', output);
  return async (patches, count) => {
    const logits = await model.logitsOf(patches, count);
    const classes = logits.length / count;
    if (!Number.isInteger(classes) || classIndex >= classes) throw new ShapeError('the model logits', [count, classIndex + 1], [logits.length]);
    return Float32Array.from({ length: count }, (_, b) => {
      const z = logits[b * classes + classIndex];
      return output === 'logit' ? z : 1 / (1 + Math.exp(-z));
    });
  };
}
