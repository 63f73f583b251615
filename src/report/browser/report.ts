// The report page: reads the inlined data, builds the views, and ties zoom, pan, hover, selection and playback together.
import type { ReportData } from '../reportTypes.js';
import { renderDetail, renderDetectionList, markSelected } from './detailPanel.js';
import { clampRange, formatTime, plotSpan, type TimeRange, timeToX, xToTime } from './geometry.js';
import { attachPanZoom, zoomAround } from './interaction.js';
import { loadReport } from './loadReport.js';
import { Playback } from './playback.js';
import { overviewView, timelineView } from './timelineViews.js';
import { attributionView, type ReportView, scoreView, spectrogramView, type ViewState } from './views.js';

/** The narrowest view: half a second (50 frames). */
const MIN_SPAN_SEC = 0.5;

async function start(): Promise<void> {
  const data = JSON.parse(document.getElementById('report-data')!.textContent!) as ReportData;
  const report = await loadReport(data);
  const container = document.getElementById('views')!;
  const whole = Math.max(data.durationSec, data.frameSec);
  let state: ViewState = { range: { startSec: 0, endSec: whole }, sharedScale: false, selected: null };

  document.getElementById('meta')!.textContent = `${data.title.model} · ${data.title.method} of the ${data.title.output} · ${data.title.engine} · ${formatTime(data.durationSec)} · ${data.classes.length} explained classes`;
  const views: (ReportView & { whole?: true })[] = [timelineView(data), spectrogramView(report), ...report.classes.flatMap((c) => [attributionView(report, c), scoreView(report, c)]), overviewView(report)];
  const canvases = views.map((view) => {
    const canvas = document.createElement('canvas');
    canvas.className = 'plot';
    canvas.style.height = `${view.heightCss}px`;
    container.append(canvas);
    return canvas;
  });
  const cursor = Object.assign(document.createElement('div'), { className: 'cursor' });
  const hover = Object.assign(document.createElement('div'), { className: 'hover' });
  container.append(cursor, hover);

  let queued = false;
  const requestDraw = () => {
    if (!queued) (queued = true), requestAnimationFrame(draw);
  };
  function draw(): void {
    queued = false;
    const dpr = window.devicePixelRatio || 1;
    views.forEach((view, i) => {
      const canvas = canvases[i];
      const w = canvas.clientWidth;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(view.heightCss * dpr)) [canvas.width, canvas.height] = [Math.round(w * dpr), Math.round(view.heightCss * dpr)];
      const context = canvas.getContext('2d')!;
      context.setTransform(dpr, 0, 0, dpr, 0, 0);
      context.clearRect(0, 0, w, view.heightCss);
      view.draw(context, w, state, dpr);
    });
    placeCursor();
    document.body.dataset.viewStart = state.range.startSec.toFixed(3);
    document.body.dataset.viewEnd = state.range.endSec.toFixed(3);
  }
  const setRange = (range: TimeRange) => {
    state = { ...state, range: clampRange(range, whole, Math.min(MIN_SPAN_SEC, whole)) };
    requestDraw();
  };

  // The cursor: one line over every view except the overview, at the playback time.
  const playback = new Playback(() => (renderToolbarState(), requestDraw()));
  function placeCursor(): void {
    const sec = playback.cursorSec();
    const { left, width } = plotSpan(container.clientWidth - 32);
    const x = timeToX(state.range, left, width, sec);
    cursor.style.left = `${16 + x}px`;
    cursor.style.bottom = `${views[views.length - 1].heightCss + 4}px`;
    cursor.style.display = x < left || x > left + width ? 'none' : 'block';
    document.body.dataset.cursorSec = sec.toFixed(3);
  }
  function follow(): void {
    if (playback.current !== null) {
      const sec = playback.cursorSec();
      const span = state.range.endSec - state.range.startSec;
      if (sec > state.range.endSec || sec < state.range.startSec) setRange({ startSec: sec - span * 0.05, endSec: sec + span * 0.95 });
      placeCursor();
    }
    requestAnimationFrame(follow);
  }
  requestAnimationFrame(follow);

  const select = (index: number) => {
    const d = data.detections[index];
    const pad = Math.max(0.25, (d.endSec - d.startSec) * 0.25);
    state = { ...state, selected: index };
    setRange({ startSec: d.startSec - pad, endSec: d.endSec + pad });
    playback.seek(d.startSec);
    markSelected(list, index);
    renderDetail(detail, data, index, actions);
    document.body.dataset.selected = String(index);
  };
  const actions = {
    select,
    play: (what: 'evidence' | 'rest', index: number) => {
      const listen = data.detections[index].listen;
      if (listen !== null) void playback.playClip(what, listen[what], listen.startSec);
    },
  };
  const list = document.getElementById('detections')!;
  const detail = document.getElementById('detail')!;
  renderDetectionList(list, data, actions);
  renderDetail(detail, data, null, actions);

  const target = { range: () => state.range, setRange, durationSec: () => whole };
  views.forEach((view, i) => {
    const canvas = canvases[i];
    attachPanZoom(canvas, target, view.whole === true, (sec, y) => {
      const hit = view.hit?.(sec, y);
      if (hit !== undefined && hit !== null) select(hit);
      else playback.seek(sec);
    });
    canvas.addEventListener('mousemove', (event) => {
      const { left, width } = plotSpan(canvas.clientWidth);
      const range = view.whole ? { startSec: 0, endSec: whole } : state.range;
      const sec = xToTime(range, left, width, event.offsetX);
      const inside = event.offsetX >= left && event.offsetX <= left + width;
      readout.textContent = inside ? view.readout(sec, event.offsetY) : '';
      hover.style.display = inside && !view.whole ? 'block' : 'none';
      hover.style.left = `${16 + event.offsetX}px`;
      hover.style.bottom = `${views[views.length - 1].heightCss + 4}px`;
    });
    canvas.addEventListener('mouseleave', () => ((hover.style.display = 'none'), (readout.textContent = '')));
  });

  // The toolbar: play, zoom, colour scale, and the hover readout.
  const toolbar = document.getElementById('toolbar')!;
  const button = (id: string, text: string, title: string, onClick: () => void) => {
    const b = Object.assign(document.createElement('button'), { id, textContent: text, title });
    b.addEventListener('click', onClick);
    toolbar.append(b);
    return b;
  };
  const play = button('play', '▶ play', 'play or pause the audio (space)', () => void playback.toggle());
  play.disabled = data.audio === null;
  const time = Object.assign(document.createElement('span'), { className: 'readout', style: 'min-width: 6em' });
  toolbar.append(time, Object.assign(document.createElement('span'), { className: 'sep' }));
  const zoom = (factor: number) => setRange(zoomAround(state.range, factor, (state.range.startSec + state.range.endSec) / 2));
  button('zoom-in', '+', 'zoom in (+, or the wheel)', () => zoom(0.5));
  button('zoom-out', '−', 'zoom out (−)', () => zoom(2));
  button('zoom-fit', 'whole file', 'show the whole file (0)', () => setRange({ startSec: 0, endSec: whole }));
  toolbar.append(Object.assign(document.createElement('span'), { className: 'sep' }));
  const scale = button('scale', 'colour scale: per class', 'one colour scale per class, or one shared by all', () => {
    state = { ...state, sharedScale: !state.sharedScale };
    scale.textContent = `colour scale: ${state.sharedScale ? 'shared' : 'per class'}`;
    requestDraw();
  });
  const readout = Object.assign(document.createElement('span'), { className: 'readout', id: 'readout' });
  toolbar.append(Object.assign(document.createElement('span'), { className: 'sep' }), readout);
  function renderToolbarState(): void {
    play.textContent = playback.current?.what === 'audio' ? '❚❚ pause' : '▶ play';
    time.textContent = formatTime(playback.cursorSec());
    document.body.dataset.playing = playback.current?.what ?? '';
  }
  setInterval(renderToolbarState, 250);
  window.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLButtonElement && event.key === ' ') return;
    const span = state.range.endSec - state.range.startSec;
    const keys: Record<string, () => void> = {
      ' ': () => void playback.toggle(),
      '+': () => zoom(0.5),
      '=': () => zoom(0.5),
      '-': () => zoom(2),
      '0': () => setRange({ startSec: 0, endSec: whole }),
      ArrowLeft: () => setRange({ startSec: state.range.startSec - span / 4, endSec: state.range.endSec - span / 4 }),
      ArrowRight: () => setRange({ startSec: state.range.startSec + span / 4, endSec: state.range.endSec + span / 4 }),
    };
    if (keys[event.key] === undefined) return;
    event.preventDefault();
    keys[event.key]();
  });
  window.addEventListener('resize', requestDraw);
  draw();
  document.body.dataset.ready = '1';
  if (data.audio !== null) {
    await playback.load(data.audio.blob);
    document.body.dataset.audio = 'ready';
  }
}

start().catch((error: unknown) => {
  document.body.dataset.error = String(error);
  document.body.insertAdjacentHTML('afterbegin', `<p style="color:#b00020;padding:8px 16px">The report could not be shown: ${String(error).replace(/</g, '&lt;')}</p>`);
  throw error;
});
