// The detect room's public pieces: events from score tracks and evidence extents from attributions.
export { DETECTOR_DEFAULTS, checkDetectorOptions, minDurationPatches, maxGapPatches } from './detectorOptions.js';
export { EventDetector, detectSpans, type DetectorDecision } from './eventDetector.js';
export { evidenceExtent, positiveFrameMass } from './evidenceExtent.js';
