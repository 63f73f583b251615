// Errors across a thread boundary: what a worker posts instead of an Error, and the Error the main thread rebuilds from it.
import { BlurigError, DecodeError, ModelError, OptionError, ShapeError, WorkerError } from '../../errors/index.js';

/** An Error as plain, cloneable data: its class name, message, stack, own fields and cause. */
export interface TransferableError {
  /** The error's `name` (its class for blurig-audio's errors: `OptionError`, `ShapeError`, …). */
  readonly name: string;
  /** The one-line message, unchanged. */
  readonly message: string;
  /** The stack as the worker saw it. */
  readonly stack?: string;
  /** Own enumerable fields that survive structured cloning (e.g. an OptionError's `option`, `allowed`, `got`). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The `cause`, when it was an Error. */
  readonly cause?: TransferableError;
}

// Rebuilt by name so `instanceof` and `isBlurigError` hold on the main thread; subclasses that keep their parent's
// name (BackendUnavailableError, OnnxUnavailableError) come back as that parent, with the same message.
const CLASSES: Record<string, new (...args: never[]) => Error> = {
  BlurigError,
  OptionError,
  ShapeError,
  ModelError,
  DecodeError,
  WorkerError,
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
};

/** `error` as data a worker can post; anything that is not an Error becomes an Error with its text. */
export function toTransferable(error: unknown, depth = 0): TransferableError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'message' || key === 'stack' || key === 'cause') continue;
    try {
      fields[key] = structuredClone(value);
    } catch {
      // A field that cannot be cloned (a function, a tensor's backend) stays behind; the message says what matters.
    }
  }
  const cause = error.cause !== undefined && depth < 4 ? toTransferable(error.cause, depth + 1) : undefined;
  return { name: error.name, message: error.message, stack: error.stack, fields, cause };
}

/** The Error `data` describes, of the same class when it is one of blurig-audio's or a standard one. */
export function fromTransferable(data: TransferableError): Error {
  const base = Object.hasOwn(CLASSES, data.name) ? CLASSES[data.name] : Error;
  const error = Object.create(base.prototype) as Error;
  const hidden = (value: unknown) => ({ value, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(error, 'message', hidden(data.message));
  if (data.stack !== undefined) Object.defineProperty(error, 'stack', hidden(data.stack));
  if (data.cause !== undefined) Object.defineProperty(error, 'cause', hidden(fromTransferable(data.cause)));
  Object.assign(error, data.fields);
  if (error.name !== data.name) Object.defineProperty(error, 'name', hidden(data.name));
  return error;
}
