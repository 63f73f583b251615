// The one-line warning for a source that never ends (a capture device, a lavfi graph without a duration) read without live mode (pure).
import type { DecodeSource } from './decodeArgs.js';
import { inputFormat, isCaptureDevice, lavfiHasEnd } from './inputFormat.js';

/**
 * A warning, or null: file mode waits for the end of its input (it pads the last patch and summarises the clip),
 * so a source that never ends makes it run until it is stopped, and a lavfi graph runs at full speed while it does.
 * Live mode (`live` or `realtime`), and sources that end, get null.
 */
export function neverEndingSourceWarning(source: DecodeSource): string | null {
  if (source.live === true || source.realtime === true) return null;
  const format = inputFormat(source);
  if (format === undefined) return null;
  if (isCaptureDevice(source)) {
    return `"${source.path}" is a capture device (${format}), which never ends: use --live to explain it as it comes, or stop it with Ctrl-C`;
  }
  if (format === 'lavfi' && !lavfiHasEnd(source)) {
    return `the lavfi source "${source.path}" has no duration, so it never ends: use --live to read it in real time, or give it one (e.g. "${withDuration(source.path)}")`;
  }
  return null;
}

/** The graph with `:d=10` added to its first filter, as an example of a bounded one. */
function withDuration(graph: string): string {
  const end = graph.search(/[,;[]/);
  const first = end < 0 ? graph : graph.slice(0, end);
  const rest = end < 0 ? '' : graph.slice(end);
  return `${first}${first.includes('=') ? ':' : '='}d=10${rest}`;
}
