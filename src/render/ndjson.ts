// One JSON line per stream event, for `blurig stream`: a header, frames as they become final, patches, detections, drops and lag.
import type { ExplainEvent } from '../types.js';
import type { ExplainHeader } from './explainJson.js';

/** Float32Array → plain number array rounded to 6 significant digits, so lines stay short and stable. */
const numbers = (values: ArrayLike<number>): number[] => Array.from(values, (v) => Number(v.toPrecision(6)));

/** The first line of a stream: the run's settings, as a JSON report's header, and whether it is live. */
export interface StreamHeader extends ExplainHeader {
  /** `file` (every patch, padded end) or `live` (patches dropped when behind, reported). */
  readonly mode: 'file' | 'live';
}

/** The header line (without newline): `{"type":"start", …}`. */
export function headerLine(header: StreamHeader): string {
  return JSON.stringify({ type: 'start', ...header });
}

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
  if (event.kind === 'detection') return JSON.stringify({ type: 'detection', state: event.state, ...event.detection });
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
      value: c.value,
      baselineValue: c.baselineValue,
      attributionSum: c.attributionSum,
      relError: c.relError,
      scale: c.scale.map((s) => ({ sigmaTime: s.sigmaTime, sigmaFrequency: s.sigmaFrequency, contribution: s.contribution })),
    })),
  });
}
