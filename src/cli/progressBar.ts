// A one-line progress bar on stderr: redrawn in place on a terminal, a single final line in logs and pipes.

/** The stream a bar writes to; `isTTY` and `columns` are read when present (as on process.stderr). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  /**
   * Formats the amounts after the percentage.
   * @default megabytes with one decimal: `1.8/4.0 MB`, or `1.8 MB` when the total is unknown
   */
  readonly formatAmount?: (done: number, total: number | undefined) => string;
}

/** A progress bar; call `update` as work advances and `finish` once at the end. */
export interface ProgressBar {
  update(done: number, total?: number): void;
  finish(): void;
}

const BAR_CELLS = 20;
/** About ten redraws a second: smooth to the eye, cheap for a slow terminal. */
const REDRAW_INTERVAL_MS = 100;

/** Draws `label [#####...............] 25% 1.0/4.0 MB`; on a non-TTY stream only `finish` writes, once. */
export function createProgressBar(label: string, stream: ProgressStream = process.stderr, options: ProgressBarOptions = {}): ProgressBar {
  const formatAmount = options.formatAmount ?? formatMegabytes;
  let done = 0;
  let total: number | undefined;
  let lastDrawMs = -Infinity;
  let lastLength = 0;
  let finished = false;

  const render = (): string => {
    const amount = formatAmount(done, total);
    if (total === undefined || total <= 0) return `${label} ${amount}`;
    const fraction = Math.min(1, Math.max(0, done / total));
    const filled = Math.floor(fraction * BAR_CELLS);
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_CELLS - filled)}] ${Math.floor(fraction * 100)}% ${amount}`;
  };
  const draw = (): void => {
    const line = fitToWidth(render(), stream.columns);
    // Pad over the previous line's tail, since \r moves the cursor but does not clear.
    stream.write(`\r${line}${' '.repeat(Math.max(0, lastLength - line.length))}`);
    lastLength = line.length;
    lastDrawMs = Date.now();
  };

  return {
    update(newDone, newTotal) {
      if (finished) return;
      done = newDone;
      if (newTotal !== undefined) total = newTotal;
      if (stream.isTTY === true && Date.now() - lastDrawMs >= REDRAW_INTERVAL_MS) draw();
    },
    finish() {
      if (finished) return;
      finished = true;
      if (stream.isTTY === true) {
        draw();
        stream.write('\n');
      } else {
        stream.write(`${render()}\n`);
      }
    },
  };
}

function formatMegabytes(done: number, total: number | undefined): string {
  const mb = (bytes: number): string => (bytes / 1_000_000).toFixed(1);
  return total === undefined ? `${mb(done)} MB` : `${mb(done)}/${mb(total)} MB`;
}

/** Shortens the line to the terminal width (keeping its end, where the numbers are), so \r keeps redrawing one row. */
function fitToWidth(line: string, columns: number | undefined): string {
  if (columns === undefined || columns <= 1 || line.length < columns) return line;
  return '…' + line.slice(line.length - (columns - 2));
}
