// The report's stacked views, each a canvas over the shared time range: detections on a time axis, the spectrogram, each class's attribution and score.
import { drawColourBar, drawHzAxis, drawLabel, drawTimeAxis, FONT } from './axes.js';
import { formatTime, plotSpan, signed, type TimeRange, timeToX } from './geometry.js';
import { drawGrid } from './grid.js';
import { attributionOf, type LoadedClass, type LoadedReport } from './loadReport.js';

/** What every view draws from. */
export interface ViewState {
  readonly range: TimeRange;
  readonly sharedScale: boolean;
  readonly selected: number | null;
}

export interface ReportView {
  readonly heightCss: number;
  draw(context: CanvasRenderingContext2D, widthCss: number, state: ViewState, devicePixels: number): void;
  /** The hover text at time `sec` and height `y` (CSS px from the view's top). */
  readout(sec: number, y: number): string;
  /** The detection under a click, if the view shows detections. */
  hit?(sec: number, y: number): number | null;
}

const GRID_TOP = 2;

export function spectrogramView(report: LoadedReport): ReportView {
  const { data, spectrogram } = report;
  const height = 150;
  const rect = (w: number) => ({ x: plotSpan(w).left, y: GRID_TOP, width: plotSpan(w).width, height: height - 2 * GRID_TOP });
  return {
    heightCss: height,
    draw(context, w, state, dpr) {
      drawGrid(context, spectrogram.pyramid, data.frameSec, state.range, rect(w), spectrogram.lut, dpr);
      drawLabel(context, ['log-mel', 'spectrogram'], GRID_TOP);
      drawHzAxis(context, data.bandCentresHz, rect(w));
      drawColourBar(context, w, rect(w), spectrogram.lut, [0, 255], [data.spectrogram.max.toFixed(1), 'ln mel', data.spectrogram.min.toFixed(1)]);
    },
    readout(sec, y) {
      const band = bandAt(data.bands, y, height);
      const code = valueAt(spectrogram.values, data, sec, band);
      const value = code === undefined ? '' : ` · log-mel ${(data.spectrogram.min + (code / 255) * (data.spectrogram.max - data.spectrogram.min)).toFixed(2)}`;
      return `${formatTime(sec)} · ${data.bandCentresHz[band]} Hz (band ${band})${value}`;
    },
  };
}

export function attributionView(report: LoadedReport, cls: LoadedClass): ReportView {
  const { data } = report;
  const height = 110;
  const rect = (w: number) => ({ x: plotSpan(w).left, y: GRID_TOP, width: plotSpan(w).width, height: height - 2 * GRID_TOP });
  return {
    heightCss: height,
    draw(context, w, state, dpr) {
      const lut = state.sharedScale ? cls.lut.shared : cls.lut.own;
      drawGrid(context, cls.pyramid, data.frameSec, state.range, rect(w), lut, dpr);
      drawLabel(context, [...wrap(cls.meta.name), 'attribution'], GRID_TOP);
      drawHzAxis(context, data.bandCentresHz, rect(w));
      const limit = state.sharedScale ? report.sharedLimit : cls.meta.scaleLimit;
      // The bar's codes are bytes at the class's own quantisation: ±127 × limit / maxAbs reach the scale's ends.
      const end = Math.min(127, Math.round((127 * limit) / Math.max(1e-12, cls.meta.maxAbs)));
      drawColourBar(context, w, rect(w), lut, [-end, end], [signed(limit), state.sharedScale ? '0 shared' : '0', signed(-limit)]);
    },
    readout(sec, y) {
      const band = bandAt(data.bands, y, height);
      const code = valueAt(cls.values, data, sec, band);
      const value = code === undefined ? undefined : attributionOf(cls, code);
      const text = value === undefined ? 'not explained here' : `attribution ${signed(value, 3)} (${data.title.output})`;
      return `${formatTime(sec)} · ${data.bandCentresHz[band]} Hz (band ${band}) · ${cls.meta.name} ${text}`;
    },
  };
}

export function scoreView(report: LoadedReport, cls: LoadedClass): ReportView {
  const { data } = report;
  const height = 44;
  const centre = data.patchSec / 2;
  return {
    heightCss: height,
    draw(context, w, state) {
      const { left, width } = plotSpan(w);
      const y = (score: number) => height - 4 - score * (height - 8);
      context.fillStyle = '#f4f4f6';
      context.fillRect(left, 2, width, height - 4);
      context.strokeStyle = '#b8b8c0';
      context.setLineDash([3, 3]);
      context.beginPath();
      context.moveTo(left, Math.round(y(0.5)) + 0.5);
      context.lineTo(left + width, Math.round(y(0.5)) + 0.5);
      context.stroke();
      context.setLineDash([]);
      context.save();
      context.beginPath();
      context.rect(left, 0, width, height);
      context.clip(); // the line runs on to the patches just outside the range
      context.strokeStyle = '#0b63ce';
      context.lineWidth = 1.5;
      context.beginPath();
      const starts = data.patchStartsSec;
      let drawn = 0;
      for (let k = 0; k < starts.length; k++) {
        if (starts[k] + data.patchSec < state.range.startSec || starts[k] > state.range.endSec) continue;
        const x = timeToX(state.range, left, width, starts[k] + centre);
        if (drawn++ === 0) context.moveTo(x, y(cls.meta.scores[k]));
        else context.lineTo(x, y(cls.meta.scores[k]));
      }
      context.stroke();
      context.restore();
      drawLabel(context, ['score'], 4, '#6b6b70');
      context.font = FONT;
      context.fillStyle = '#6b6b70';
      context.textAlign = 'left';
      context.textBaseline = 'middle';
      context.fillText('1', left + width + 8, y(1));
      context.fillText('0', left + width + 8, y(0));
    },
    readout(sec) {
      const k = nearestPatch(data.patchStartsSec, sec - centre);
      return k < 0 ? formatTime(sec) : `${formatTime(sec)} · ${cls.meta.name} score ${cls.meta.scores[k].toFixed(3)} (patch ${k}, ${formatTime(data.patchStartsSec[k])}–${formatTime(data.patchStartsSec[k] + data.patchSec)})`;
    },
  };
}

function wrap(name: string): string[] {
  if (name.length <= 14) return [name];
  const cut = name.lastIndexOf(' ', 14);
  return cut > 0 ? [name.slice(0, cut), name.slice(cut + 1)] : [name];
}

function bandAt(bands: number, y: number, height: number): number {
  return Math.max(0, Math.min(bands - 1, Math.floor(((height - GRID_TOP - y) / (height - 2 * GRID_TOP)) * bands)));
}

function valueAt(values: Uint8Array | Int8Array, data: LoadedReport['data'], sec: number, band: number): number | undefined {
  const frame = Math.floor(sec / data.frameSec);
  return frame < 0 || frame >= data.frames ? undefined : values[frame * data.bands + band];
}

function nearestPatch(startsSec: readonly number[], sec: number): number {
  let best = -1;
  startsSec.forEach((s, k) => (best < 0 || Math.abs(s - sec) < Math.abs(startsSec[best] - sec) ? (best = k) : 0));
  return best;
}

export { drawTimeAxis };
