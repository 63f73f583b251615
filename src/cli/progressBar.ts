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
  /** Appends `, ETA 1:05` (from the rate so far) while the total is known and not reached. @default false */
  readonly showEta?: boolean;
  /** The clock, in ms (tests pass their own). @default Date.now */
  readonly nowMs?: () => number;
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
  const now = options.nowMs ?? Date.now;
  const startMs = now();
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
    const eta = options.showEta === true && done > 0 && done < total ? `, ETA ${formatClock(((now() - startMs) / done) * (total - done))}` : '';
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_CELLS - filled)}] ${Math.floor(fraction * 100)}% ${amount}${eta}`;
  };
  const draw = (): void => {
    const line = fitToWidth(render(), stream.columns);
    // Pad over the previous line's tail, since \r moves the cursor but does not clear.
    stream.write(`\r${line}${' '.repeat(Math.max(0, lastLength - line.length))}`);
    lastLength = line.length;
    lastDrawMs = now();
  };

  return {
    update(newDone, newTotal) {
      if (finished) return;
      done = newDone;
      if (newTotal !== undefined) total = newTotal;
      if (stream.isTTY === true && now() - lastDrawMs >= REDRAW_INTERVAL_MS) draw();
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

/** `0:07`, `1:05`, `1:02:03`: minutes and seconds (hours when needed), rounded up so it never says 0:00 early. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
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
