// The time axis with the detections as spans (one lane per class, evidence in black), and the whole-file overview with the visible window.
import type { ReportData } from '../reportTypes.js';
import { drawLabel, drawTimeAxis, FONT } from './axes.js';
import { formatTime, plotSpan, timeToX, type TimeRange } from './geometry.js';
import { drawGrid } from './grid.js';
import type { LoadedReport } from './loadReport.js';
import type { ReportView } from './views.js';

const AXIS = 18;
const LANE = 16;

export function timelineView(data: ReportData): ReportView {
  const lanes = [...new Set(data.detections.map((d) => d.name))];
  const height = AXIS + Math.max(1, lanes.length) * LANE + 4;
  const laneOf = (y: number) => Math.floor((y - AXIS) / LANE);
  return {
    heightCss: height,
    draw(context, w, state) {
      const { left, width } = plotSpan(w);
      drawTimeAxis(context, state.range, { x: left, y: 0, width, height: AXIS });
      drawLabel(context, ['detections'], AXIS);
      context.font = FONT;
      data.detections.forEach((d, i) => {
        const y = AXIS + lanes.indexOf(d.name) * LANE + 2;
        const x0 = timeToX(state.range, left, width, d.startSec);
        const x1 = timeToX(state.range, left, width, d.endSec);
        if (x1 < left || x0 > left + width) return;
        const a = Math.max(left, x0);
        const b = Math.min(left + width, x1);
        context.fillStyle = i === state.selected ? '#9fc2f0' : '#cfcfd6';
        context.fillRect(a, y, b - a, LANE - 4);
        if (d.evidence !== null) {
          const e0 = Math.max(left, timeToX(state.range, left, width, d.evidence.startSec));
          const e1 = Math.min(left + width, timeToX(state.range, left, width, d.evidence.endSec));
          context.fillStyle = '#1d1d1f';
          if (e1 > e0) context.fillRect(e0, y + LANE - 8, e1 - e0, 3);
        }
        if (i === state.selected) {
          context.strokeStyle = '#0b63ce';
          context.strokeRect(a + 0.5, y + 0.5, b - a - 1, LANE - 5);
        }
        context.fillStyle = '#1d1d1f';
        context.textAlign = 'left';
        context.textBaseline = 'top';
        if (b - a > 30) context.fillText(d.name, a + 3, y + 1, b - a - 6);
      });
    },
    readout(sec, y) {
      const lane = lanes[laneOf(y)];
      const hit = data.detections.find((d) => d.name === lane && sec >= d.startSec && sec <= d.endSec);
      return hit === undefined ? formatTime(sec) : `${formatTime(sec)} · ${hit.name} ${formatTime(hit.startSec)}–${formatTime(hit.endSec)}, peak ${hit.peakScore.toFixed(2)} (click to select)`;
    },
    hit(sec, y) {
      const lane = lanes[laneOf(y)];
      const index = data.detections.findIndex((d) => d.name === lane && sec >= d.startSec && sec <= d.endSec);
      return index < 0 ? null : index;
    },
  };
}

/** The whole file at a glance; the visible range as a frame. Its x axis is always the whole duration. */
export function overviewView(report: LoadedReport): ReportView & { readonly whole: true } {
  const height = 34;
  return {
    whole: true,
    heightCss: height,
    draw(context, w, state, dpr) {
      const { left, width } = plotSpan(w);
      const whole: TimeRange = { startSec: 0, endSec: report.data.durationSec };
      drawGrid(context, report.spectrogram.pyramid, report.data.frameSec, whole, { x: left, y: 4, width, height: height - 8 }, report.spectrogram.lut, dpr);
      drawLabel(context, ['whole file'], 4, '#6b6b70');
      const x0 = timeToX(whole, left, width, state.range.startSec);
      const x1 = timeToX(whole, left, width, state.range.endSec);
      context.fillStyle = 'rgba(255,255,255,0.55)';
      context.fillRect(left, 4, x0 - left, height - 8);
      context.fillRect(x1, 4, left + width - x1, height - 8);
      context.strokeStyle = '#0b63ce';
      context.lineWidth = 2;
      context.strokeRect(x0, 3, Math.max(2, x1 - x0), height - 6);
      context.lineWidth = 1;
    },
    readout: (sec) => `${formatTime(sec)} (whole file: click or drag to move the view)`,
  };
}
