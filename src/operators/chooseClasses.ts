// RxJS operator: scored patches in, the same patches with the classes to explain in each (`explain`) out, in order.
import { map, Observable, type OperatorFunction } from 'rxjs';
import { EventDetector } from '../detect/eventDetector.js';
import { OptionError } from '../errors/index.js';
import { classIndices } from '../model/classTarget.js';
import { topClasses } from '../model/topClasses.js';
import type { AttributePatchesOptions, DetectorOptions, ScoredPatch } from '../types.js';
import { positiveIntegerOption } from '../attribution/validate.js';

/** The class choice of {@link AttributePatchesOptions}, as the pipelines take it. */
export type ClassChoice = NonNullable<AttributePatchesOptions['classes']>;

/**
 * Sets each patch's `explain` list: named classes everywhere, the `topK` by score, or (`'detected'`) the classes
 * whose detected events cover the patch. Detection needs a few patches of lookahead (minimum duration and gap
 * merging decide only once later scores are known), so with `'detected'` a patch is held until its decision is
 * certain, at most {@link classChoiceLookahead} patches; the rest pass straight through. A source error decides the
 * held patches as if the stream ended there, then passes on. Options are checked here.
 */
export function chooseClasses(classNames: readonly string[], choice: ClassChoice = 'detected', detector: DetectorOptions = {}): OperatorFunction<ScoredPatch, ScoredPatch> {
  if (choice !== 'detected') {
    const pick = fixedChoice(classNames, choice);
    return map((patch) => ({ ...patch, explain: pick(patch) }));
  }
  new EventDetector(classNames.length, detector); // checks the detector options now, not on subscribe
  return (source) =>
    new Observable<ScoredPatch>((subscriber) => {
      const events = new EventDetector(classNames.length, detector);
      const held: ScoredPatch[] = []; // patches pushed and not yet decided, oldest first
      const decide = (decisions: ReturnType<EventDetector['push']>): void => {
        for (const decision of decisions) {
          if (decision.kind !== 'patch') continue;
          const patch = held.shift();
          if (patch === undefined || patch.index !== decision.index) throw new Error(`chooseClasses(): decision for patch ${decision.index} out of order`);
          subscriber.next({ ...patch, explain: decision.classes });
        }
      };
      return source.subscribe({
        next: (patch) => {
          held.push(patch);
          decide(events.push(patch.scores));
        },
        // A source error ends the stream there: the held patches are decided as at its end, then the error follows.
        error: (error: unknown) => {
          decide(events.finish());
          subscriber.error(error);
        },
        complete: () => {
          decide(events.finish());
          subscriber.complete();
        },
      });
    });
}

/** Patches `chooseClasses` may hold before a patch's classes are certain: 0 unless the choice is `'detected'`. */
export function classChoiceLookahead(classCount: number, choice: ClassChoice = 'detected', detector: DetectorOptions = {}): number {
  return choice === 'detected' ? new EventDetector(classCount, detector).lookaheadPatches : 0;
}

function fixedChoice(classNames: readonly string[], choice: Exclude<ClassChoice, 'detected'>): (patch: ScoredPatch) => number[] {
  if (Array.isArray(choice)) {
    const indices = classIndices({ classNames }, choice);
    return () => indices;
  }
  if (typeof choice !== 'object' || choice === null) throw new OptionError('classes', "`'detected'`, `{ topK: N }` or a list of class indices or names", choice);
  const topK = positiveIntegerOption('classes.topK', (choice as { topK?: unknown }).topK, 1, classNames.length);
  return (patch) => topClasses(patch.scores, classNames, topK).map((c) => c.index);
}
