// Where things are on every view: the shared plot area between the label gutter and the colour-bar gutter, and time ↔ x.

/** CSS pixels left of the plot (labels, Hz axis) and right of it (colour bar); the same on every view, so one cursor spans them all. */
export const PLOT_LEFT = 120;
export const PLOT_RIGHT = 80;

/** The visible time range, in seconds. */
export interface TimeRange {
  readonly startSec: number;
  readonly endSec: number;
}

/** The plot's horizontal extent in CSS pixels for a canvas `widthCss` wide. */
export function plotSpan(widthCss: number): { left: number; width: number } {
  return { left: PLOT_LEFT, width: Math.max(10, widthCss - PLOT_LEFT - PLOT_RIGHT) };
}

export function timeToX(range: TimeRange, left: number, width: number, sec: number): number {
  return left + ((sec - range.startSec) / (range.endSec - range.startSec)) * width;
}

export function xToTime(range: TimeRange, left: number, width: number, x: number): number {
  return range.startSec + ((x - left) / width) * (range.endSec - range.startSec);
}

/** `range` moved and cut to lie within [0, durationSec], keeping its length when it can, never shorter than `minSec`. */
export function clampRange(range: TimeRange, durationSec: number, minSec: number): TimeRange {
  const length = Math.min(durationSec, Math.max(minSec, range.endSec - range.startSec));
  const startSec = Math.min(Math.max(0, range.startSec), durationSec - length);
  return { startSec, endSec: startSec + length };
}

/** A tick step of 1, 2 or 5 × 10^k seconds (or whole minutes) giving about `count` ticks over `spanSec`. */
export function tickStepSec(spanSec: number, count: number): number {
  const steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
  return steps.find((s) => spanSec / s <= count) ?? 3600;
}

/** `83.5` → `1:23.5` past a minute, `3.25 s` style below it, with the decimals the step needs. */
export function formatTime(sec: number, stepSec = 0.01): string {
  const decimals = stepSec >= 1 ? 0 : stepSec >= 0.1 ? 1 : 2;
  if (sec < 60) return `${sec.toFixed(decimals)} s`;
  const minutes = Math.floor(sec / 60);
  const rest = (sec - minutes * 60).toFixed(decimals).padStart(decimals === 0 ? 2 : 3 + decimals, '0');
  return minutes >= 60 ? `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** A number with `digits` significant digits and a sign, for readouts of attribution. */
export function signed(value: number, digits = 2): string {
  if (value === 0) return '0';
  const text = Math.abs(value) >= 1e-3 && Math.abs(value) < 1e4 ? Number(value.toPrecision(digits)).toString() : value.toExponential(digits - 1);
  return value > 0 ? `+${text}` : text.replace('-', '−');
}
