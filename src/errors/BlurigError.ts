// The one base class of every error blurig-audio throws on purpose, so callers and the CLI can tell a user mistake from a bug.

/** Base class: `message` is one line meant for a person; details live in fields and `cause`. */
export class BlurigError extends Error {
  override readonly name: string = 'BlurigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True for any error blurig-audio raised deliberately (as opposed to a bug). */
export function isBlurigError(error: unknown): error is BlurigError {
  return error instanceof BlurigError;
}
