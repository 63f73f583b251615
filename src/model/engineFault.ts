// Turns an engine's own error while a model is being built or probed (tfjs, onnxruntime) into a one-line ModelError naming the op at fault.
import { isBlurigError, ModelError } from '../errors/index.js';
import { CORRUPT_FIX } from './validateTensor.js';

/**
 * `error` as a ModelError `<path>: <where> <what> (<the engine's first line>); <fix>`, or as it is when it is
 * already a BlurigError. For errors met at load time only: there they mean the file asks for something the engine
 * cannot run, whereas at run time they would be bugs and must not be dressed up as a damaged file.
 */
export function engineFault(error: unknown, path: string, where: string, what: string): Error {
  if (isBlurigError(error)) return error;
  const said = (error instanceof Error ? error.message : String(error)).split('\n')[0].replace(/\s+/g, ' ').trim();
  return new ModelError(`${path}: ${where} ${what} (${said.length > 240 ? said.slice(0, 240) + '…' : said}); ${CORRUPT_FIX}`, path, { cause: error });
}
