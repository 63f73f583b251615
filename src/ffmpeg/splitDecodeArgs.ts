// Splits decodeArgs' flat list into the input options, input and output options that fluent-ffmpeg takes apart (pure).

/** One decode command in fluent-ffmpeg's terms; it re-joins them as `…inputOptions -i input …outputOptions pipe:1`. */
export interface DecodeArgParts {
  /** Everything before `-i`: the global options too, so they keep their place ahead of the input. */
  readonly inputOptions: string[];
  readonly input: string;
  /** Everything after the input, without the final `pipe:1`, which fluent-ffmpeg adds itself for a stream output. */
  readonly outputOptions: string[];
}

/**
 * The last `-i` is the input (the output options never hold one, while an input option's value might). Throws when
 * the list is not `… -i input … pipe:1`, as decodeArgs always builds it.
 */
export function splitDecodeArgs(args: readonly string[]): DecodeArgParts {
  const at = args.lastIndexOf('-i');
  if (at < 0 || at + 1 >= args.length - 1 || args.at(-1) !== 'pipe:1') {
    throw new Error(`Expected ffmpeg arguments of the form \`… -i input … pipe:1\`, got \`${args.join(' ')}\``);
  }
  return { inputOptions: args.slice(0, at), input: args[at + 1], outputOptions: args.slice(at + 2, -1) };
}
