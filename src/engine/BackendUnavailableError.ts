// A backend asked for by name cannot run here: a bad `--backend` value for this machine.
import { OptionError } from '../errors/index.js';

/** An OptionError whose one-line message says why the backend is missing and what to do instead. */
export class BackendUnavailableError extends OptionError {
  constructor(
    readonly backend: string,
    readonly reason: string,
  ) {
    super('backend', 'an available backend', backend);
    const others = ['wasm', 'cpu'].filter((b) => b !== backend).join(' or ');
    this.message = `The ${backend} backend is not available: ${reason}. Use --backend ${others}.`;
  }
}
