// The model file is missing, unreadable, not TFLite, or uses something we cannot rebuild.
import { BlurigError } from './BlurigError.js';

/** A model could not be found, downloaded, verified or rebuilt; `path` names the file when there is one. */
export class ModelError extends BlurigError {
  override readonly name = 'ModelError';
  constructor(
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
