// The heatmap in each asked-for format: PNG at the chosen DPI, SVG and PDF with images at up to 300 dpi.
import { figurePdf } from './figure/pdfBackend.js';
import { figurePng } from './figure/rasterBackend.js';
import { figureSvg } from './figure/svgBackend.js';
import { heatmapFigure, type HeatmapInput } from './heatmap.js';
import { type HeatmapOptions, resolveHeatmapOptions } from './heatmapOptions.js';

/** Vector outputs average frames into images of at most this many pixels per inch (a 55 s row stays ~2 000 columns). */
const VECTOR_IMAGE_DPI = 300;

/** Where each format goes (absent: not asked for). */
export interface FigureTargets {
  readonly png?: string;
  readonly svg?: string;
  readonly pdf?: string;
}

/** One file per asked-for format: its target and its bytes. */
export function heatmapFiles(input: HeatmapInput, options: HeatmapOptions, targets: FigureTargets): { target: string; data: string | Buffer }[] {
  const out: { target: string; data: string | Buffer }[] = [];
  if (targets.png !== undefined) out.push({ target: targets.png, data: figurePng(heatmapFigure(input, options), resolveHeatmapOptions(options).dpi) });
  if (targets.svg === undefined && targets.pdf === undefined) return out;
  const vector = heatmapFigure(input, { ...options, dpi: VECTOR_IMAGE_DPI, figSizeIn: options.figSizeIn });
  if (targets.svg !== undefined) out.push({ target: targets.svg, data: figureSvg(vector) });
  if (targets.pdf !== undefined) out.push({ target: targets.pdf, data: figurePdf(vector, `${input.title.file} \u00b7 ${input.title.method}`) });
  return out;
}
