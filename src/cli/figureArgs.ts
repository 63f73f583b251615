// The figure flags of `explain` (--fig-size, --dpi, --font-size, colour maps and scales, --row-sec), checked before any model loads.
import type { ParseArgsConfig } from 'node:util';
import { FIGURE_LIMITS, type HeatmapOptions, resolveHeatmapOptions } from '../render/heatmapOptions.js';
import { DIVERGING_MAPS, type DivergingMapName, SEQUENTIAL_MAPS, type SequentialMapName } from '../render/namedColourMaps.js';
import { OptionError } from '../errors/index.js';
import { choiceOption, optionError } from './optionValues.js';

export const FIGURE_OPTIONS = {
  'fig-size': { type: 'string' },
  dpi: { type: 'string' },
  'font-size': { type: 'string' },
  cmap: { type: 'string' },
  'spectrogram-cmap': { type: 'string' },
  'colour-scale': { type: 'string' },
  'spectrogram-units': { type: 'string' },
  'row-sec': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

type FigureValues = { [K in keyof typeof FIGURE_OPTIONS]?: string };

const DIVERGING = Object.keys(DIVERGING_MAPS) as DivergingMapName[];
const SEQUENTIAL = Object.keys(SEQUENTIAL_MAPS) as SequentialMapName[];

/** The help lines of {@link FIGURE_OPTIONS}. */
export function figureHelp(): string {
  const { figSizeIn, dpi, fontSizePt, rowSec } = FIGURE_LIMITS;
  return `Figure (--png, --svg, --pdf):
  --fig-size W[,H]   figure size in inches, ${figSizeIn.min}–${figSizeIn.max} (default: 7 wide, less for clips under 10 s;
                     height from the content, or the panels stretch to fill H)
  --dpi N            PNG pixels per inch, ${dpi.min}–${dpi.max} (default 150)
  --font-size PT     text size in points, ${fontSizePt.min}–${fontSizePt.max} (default 8)
  --cmap NAME        attribution colour map: ${DIVERGING.join(', ')} (default RdBu_r: red raises the score)
  --spectrogram-cmap NAME  ${SEQUENTIAL.join(', ')} (default magma)
  --colour-scale shared|per-class  one colour limit for every class panel (default), or one each
  --spectrogram-units db|log-mel   colour bar in dB of mel power (default) or YAMNet's ln(mel + 0.001)
  --row-sec SEC      longer clips wrap into rows of at most SEC seconds (default 30, ${rowSec.min}–${rowSec.max}; at most 8 rows)
`;
}

function bounded(flag: string, text: string | undefined, { min, max }: { min: number; max: number }, unit: string, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const ok = text.trim() !== '' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
  if (!ok) throw optionError(flag, `${integer ? 'an integer' : 'a number'} from ${min} to ${max} (${unit})`, text);
  return value;
}

/** The checked figure flags as heatmap options; every mistake is an OptionError naming its flag. */
export function figureArgs(values: FigureValues): HeatmapOptions {
  let figSizeIn: HeatmapOptions['figSizeIn'];
  if (values['fig-size'] !== undefined) {
    const parts = values['fig-size'].split(',');
    if (parts.length > 2) throw optionError('--fig-size', 'W or W,H in inches (e.g. 7,5)', values['fig-size']);
    const [widthIn, heightIn] = parts.map((p) => bounded('--fig-size', p, FIGURE_LIMITS.figSizeIn, 'inches, as W or W,H'));
    figSizeIn = { widthIn: widthIn as number, heightIn };
  }
  const options: HeatmapOptions = {
    figSizeIn,
    dpi: bounded('--dpi', values.dpi, FIGURE_LIMITS.dpi, 'pixels per inch', true),
    fontSizePt: bounded('--font-size', values['font-size'], FIGURE_LIMITS.fontSizePt, 'points'),
    cmap: choiceOption('--cmap', values.cmap, DIVERGING),
    spectrogramCmap: choiceOption('--spectrogram-cmap', values['spectrogram-cmap'], SEQUENTIAL),
    colourScale: choiceOption('--colour-scale', values['colour-scale'], ['shared', 'per-class'] as const),
    spectrogramUnits: choiceOption('--spectrogram-units', values['spectrogram-units'], ['db', 'log-mel'] as const),
    rowSec: bounded('--row-sec', values['row-sec'], FIGURE_LIMITS.rowSec, 'seconds'),
  };
  try {
    resolveHeatmapOptions(options); // what is left to check together: the PNG's size in pixels
  } catch (error) {
    if (error instanceof OptionError && error.option === 'dpi') throw optionError('--dpi', error.allowed, values.dpi ?? '150 (the default)');
    throw error;
  }
  return options;
}
