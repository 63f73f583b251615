// One JSON line per stream event, for `blurig stream`: frames as they become final, patches, drops and lag.
import type { ExplainEvent } from '../types.js';

/** Float32Array → plain number array rounded to 6 significant digits, so lines stay short and stable. */
const numbers = (values: ArrayLike<number>): number[] => Array.from(values, (v) => Number(v.toPrecision(6)));

/** The NDJSON line (without newline) of one event; class names come from `classNames`. */
export function eventLine(event: ExplainEvent, classNames: readonly string[]): string {
  if (event.kind === 'frame') {
    const { frame } = event;
    return JSON.stringify({
      type: 'frame',
      index: frame.index,
      timeSec: frame.timeSec,
      logMel: numbers(frame.logMel),
      classes: frame.classes.map((c) => ({
        classIndex: c.classIndex,
        name: classNames[c.classIndex],
        attribution: numbers(c.attribution),
        patches: c.patches,
        scores: c.scores,
        relErrors: c.relErrors,
      })),
    });
  }
  if (event.kind === 'drop') return JSON.stringify({ type: 'drop', index: event.index, startSec: event.startSec });
  if (event.kind === 'lag') return JSON.stringify({ type: 'lag', index: event.index, lagSec: event.lagSec });
  const { patch } = event;
  return JSON.stringify({
    type: 'patch',
    index: patch.index,
    startSec: patch.startSec,
    method: patch.method,
    evaluations: patch.evaluations,
    classes: patch.classes.map((c) => ({
      classIndex: c.classIndex,
      name: classNames[c.classIndex],
      score: c.score,
      logit: c.logit,
      baselineLogit: c.baselineLogit,
      attributionSum: c.attributionSum,
      relError: c.relError,
      scale: c.scale.map((s) => ({ sigmaTime: s.sigmaTime, sigmaFrequency: s.sigmaFrequency, contribution: s.contribution })),
    })),
  });
}
