// A worker thread of an AttributionPool stopped, or the pool was disposed, while a patch was waiting for it.
import { BlurigError } from './BlurigError.js';

/** A patch could not be explained because its worker thread is gone; `threadId` names the thread when one was chosen. */
export class WorkerError extends BlurigError {
  override readonly name = 'WorkerError';
  constructor(
    message: string,
    readonly threadId?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
