// Zoom and pan along time: the wheel zooms around the pointer (shift or a sideways wheel pans), dragging pans, the overview moves the window.
import { plotSpan, type TimeRange, xToTime } from './geometry.js';

export interface PanZoomTarget {
  range(): TimeRange;
  setRange(range: TimeRange): void;
  durationSec(): number;
}

/** Zooms `range` by `factor` (< 1 zooms in) keeping time `anchorSec` under the same pixel. */
export function zoomAround(range: TimeRange, factor: number, anchorSec: number): TimeRange {
  return { startSec: anchorSec - (anchorSec - range.startSec) * factor, endSec: anchorSec + (range.endSec - anchorSec) * factor };
}

/** Wires wheel and drag on a plot canvas; `onClick` gets clicks that did not drag (time and y in CSS px). */
export function attachPanZoom(canvas: HTMLCanvasElement, target: PanZoomTarget, whole: boolean, onClick: (sec: number, y: number) => void): void {
  const timeAt = (event: MouseEvent) => {
    const { left, width } = plotSpan(canvas.clientWidth);
    const range = whole ? { startSec: 0, endSec: target.durationSec() } : target.range();
    return xToTime(range, left, width, event.offsetX);
  };
  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const range = target.range();
      const span = range.endSec - range.startSec;
      const sideways = event.shiftKey ? event.deltaY : event.deltaX;
      if (Math.abs(sideways) > Math.abs(event.shiftKey ? 0 : event.deltaY) || whole) {
        const shift = (sideways / 500) * span;
        target.setRange({ startSec: range.startSec + shift, endSec: range.endSec + shift });
      } else {
        target.setRange(zoomAround(range, Math.exp(event.deltaY / 400), timeAt(event)));
      }
    },
    { passive: false },
  );
  let drag: { x: number; range: TimeRange; moved: boolean } | null = null;
  canvas.addEventListener('pointerdown', (event) => {
    drag = { x: event.offsetX, range: target.range(), moved: false };
    canvas.setPointerCapture(event.pointerId);
    if (whole) centreOn(target, timeAt(event));
  });
  canvas.addEventListener('pointermove', (event) => {
    if (drag === null) return;
    const dx = event.offsetX - drag.x;
    if (Math.abs(dx) > 3) drag.moved = true;
    if (!drag.moved) return;
    canvas.classList.add('dragging');
    if (whole) return centreOn(target, timeAt(event));
    const secPerPx = (drag.range.endSec - drag.range.startSec) / plotSpan(canvas.clientWidth).width;
    target.setRange({ startSec: drag.range.startSec - dx * secPerPx, endSec: drag.range.endSec - dx * secPerPx });
  });
  canvas.addEventListener('pointerup', (event) => {
    canvas.classList.remove('dragging');
    const click = drag !== null && !drag.moved;
    drag = null;
    if (click && !whole) onClick(timeAt(event), event.offsetY);
  });
}

function centreOn(target: PanZoomTarget, sec: number): void {
  const range = target.range();
  const half = (range.endSec - range.startSec) / 2;
  target.setRange({ startSec: sec - half, endSec: sec + half });
}
