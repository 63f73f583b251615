// All error classes and type guards, re-exported from one place.
export { BlurigError, isBlurigError } from './BlurigError.js';
export { OptionError } from './OptionError.js';
export { DecodeError } from './DecodeError.js';
export { ModelError } from './ModelError.js';
export { ShapeError } from './ShapeError.js';
export { WorkerError } from './WorkerError.js';
