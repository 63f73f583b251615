// The heatmap figure's options: their defaults, their limits, and the checks a caller (or the CLI) runs before any work.
import { OptionError } from '../errors/OptionError.js';
import { DIVERGING_MAPS, type DivergingMapName, SEQUENTIAL_MAPS, type SequentialMapName } from './namedColourMaps.js';

/** Options of {@link heatmapFigure} and {@link renderHeatmap}. */
export interface HeatmapOptions {
  /** Figure width and (optionally) height in inches; without a height the content sets it. @default 7 in wide (narrower for clips under 10 s) */
  readonly figSizeIn?: { readonly widthIn: number; readonly heightIn?: number };
  /** Pixels per inch of the PNG, and the resolution the images are averaged to. 30–600. @default 150 */
  readonly dpi?: number;
  /** Font size of every label, in points (the title is 10 % larger). 4–24. @default 8 */
  readonly fontSizePt?: number;
  /** Diverging colour map of the attribution. @default 'RdBu_r' */
  readonly cmap?: DivergingMapName;
  /** Sequential colour map of the spectrogram. @default 'magma' */
  readonly spectrogramCmap?: SequentialMapName;
  /** One symmetric colour limit for every class panel (comparable), or one per panel. @default 'shared' */
  readonly colourScale?: 'shared' | 'per-class';
  /** The spectrogram's colour bar: dB of mel power (10·log10, = 10/ln 10 · YAMNet's ln(mel + 0.001)) or YAMNet's log-mel. @default 'db' */
  readonly spectrogramUnits?: 'db' | 'log-mel';
  /** Longest time span of one row: longer clips wrap into rows of equal span (at most 8 rows; beyond, rows grow). 1–3600 s. @default 30 */
  readonly rowSec?: number;
}

export const FIGURE_LIMITS = {
  figSizeIn: { min: 1, max: 40 },
  dpi: { min: 30, max: 600 },
  fontSizePt: { min: 4, max: 24 },
  rowSec: { min: 1, max: 3600 },
  /** Largest PNG side in pixels, so a figure cannot exhaust memory (30 000² RGBA would take 3.6 GB). */
  maxSidePx: 20_000,
} as const;

export const MAX_ROWS = 8;

export type ResolvedHeatmapOptions = Required<Omit<HeatmapOptions, 'figSizeIn'>> & Pick<HeatmapOptions, 'figSizeIn'>;

function inRange(name: string, value: number, { min, max }: { min: number; max: number }, unit: string): number {
  if (!Number.isFinite(value) || value < min || value > max) throw new OptionError(name, `a number from ${min} to ${max} ${unit}`.trim(), value);
  return value;
}

/** The options with their defaults, each checked (an {@link OptionError} names the first one out of range). */
export function resolveHeatmapOptions(options: HeatmapOptions = {}): ResolvedHeatmapOptions {
  const dpi = inRange('dpi', options.dpi ?? 150, FIGURE_LIMITS.dpi, 'dots per inch');
  const size = options.figSizeIn;
  if (size !== undefined) {
    inRange('figSizeIn.widthIn', size.widthIn, FIGURE_LIMITS.figSizeIn, 'inches');
    if (size.heightIn !== undefined) inRange('figSizeIn.heightIn', size.heightIn, FIGURE_LIMITS.figSizeIn, 'inches');
    if (Math.max(size.widthIn, size.heightIn ?? 0) * dpi > FIGURE_LIMITS.maxSidePx) {
      throw new OptionError('dpi', `at most ${Math.floor(FIGURE_LIMITS.maxSidePx / Math.max(size.widthIn, size.heightIn ?? 0))} for a ${Math.max(size.widthIn, size.heightIn ?? 0)} in figure (${FIGURE_LIMITS.maxSidePx} px a side)`, dpi);
    }
  }
  const cmap = options.cmap ?? 'RdBu_r';
  if (!(cmap in DIVERGING_MAPS)) throw new OptionError('cmap', `one of ${Object.keys(DIVERGING_MAPS).join(', ')}`, cmap);
  const spectrogramCmap = options.spectrogramCmap ?? 'magma';
  if (!(spectrogramCmap in SEQUENTIAL_MAPS)) throw new OptionError('spectrogramCmap', `one of ${Object.keys(SEQUENTIAL_MAPS).join(', ')}`, spectrogramCmap);
  return {
    figSizeIn: size,
    dpi,
    fontSizePt: inRange('fontSizePt', options.fontSizePt ?? 8, FIGURE_LIMITS.fontSizePt, 'points'),
    cmap,
    spectrogramCmap,
    colourScale: options.colourScale ?? 'shared',
    spectrogramUnits: options.spectrogramUnits ?? 'db',
    rowSec: inRange('rowSec', options.rowSec ?? 30, FIGURE_LIMITS.rowSec, 's'),
  };
}

/** dB per natural-log unit: 10·log10(x) = (10 / ln 10)·ln(x). */
export const DB_PER_NEPER_POWER = 10 / Math.LN10;
