// The live page of `blurig serve`: follows /events and scrolls the spectrogram, each class's attribution, the detections and drops as frames arrive.
import type { LiveConfig } from '../reportTypes.js';
import { drawColourBar, drawHzAxis, drawLabel, drawTimeAxis } from './axes.js';
import { formatTime, plotSpan, type TimeRange, timeToX } from './geometry.js';
import { lookupTable } from './grid.js';
import { LiveState } from './liveState.js';

const config = JSON.parse(document.getElementById('live-config')!.textContent!) as LiveConfig;
const state = new LiveState(config.windowSec * 1.5);
const BANDS = config.bandCentresHz.length;
const seqLut = lookupTable(config.palettes.sequential, (b) => b);
const divLut = lookupTable(config.palettes.diverging, (b) => b);
const MISSING = (255 << 24) | (236 << 16) | (230 << 8) | 230; // frames not received (a dropped patch): light grey
const views = document.getElementById('views')!;
const canvases = new Map<string, HTMLCanvasElement>();
const scratch = document.createElement('canvas');
let dirty = true;

function canvasFor(key: string, heightCss: number): HTMLCanvasElement {
  let canvas = canvases.get(key);
  if (canvas === undefined) {
    canvas = document.createElement('canvas');
    canvas.style.height = `${heightCss}px`;
    canvas.dataset.view = key;
    views.append(canvas);
    canvases.set(key, canvas);
  }
  return canvas;
}

/** Paints one grid: `code(frame)` gives the 64 palette indices of a frame, or null where the frame is missing. */
function paintGrid(context: CanvasRenderingContext2D, range: TimeRange, rect: { x: number; y: number; width: number; height: number }, lut: Uint32Array, code: (index: number) => Uint8Array | null): void {
  const first = Math.floor(range.startSec * 100);
  const last = Math.min(Math.ceil(range.endSec * 100), Math.round(state.newestSec * 100));
  const columns = Math.max(1, last - first);
  scratch.width = columns;
  scratch.height = BANDS;
  const scratchContext = scratch.getContext('2d')!;
  const image = scratchContext.createImageData(columns, BANDS);
  const pixels = new Uint32Array(image.data.buffer);
  for (let c = 0; c < columns; c++) {
    const codes = code(first + c);
    for (let j = 0; j < BANDS; j++) pixels[(BANDS - 1 - j) * columns + c] = codes === null ? MISSING : lut[codes[j]];
  }
  scratchContext.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = false;
  const x0 = timeToX(range, rect.x, rect.width, first / 100);
  context.drawImage(scratch, x0, rect.y, timeToX(range, rect.x, rect.width, last / 100) - x0, rect.height);
}

function draw(): void {
  requestAnimationFrame(draw);
  if (!dirty) return;
  dirty = false;
  const endSec = Math.max(config.windowSec, state.newestSec);
  const range = { startSec: endSec - config.windowSec, endSec };
  const dpr = window.devicePixelRatio || 1;
  const prepare = (canvas: HTMLCanvasElement, heightCss: number) => {
    const w = canvas.clientWidth;
    [canvas.width, canvas.height] = [Math.round(w * dpr), Math.round(heightCss * dpr)];
    const context = canvas.getContext('2d')!;
    context.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { context, w, ...plotSpan(w) };
  };
  // The time axis, the drops (red) and the detections (grey spans, evidence in black).
  const lanes = [...new Set([...state.detections.values()].map((d) => d.name))];
  const timelineHeight = 18 + 10 + Math.max(1, lanes.length) * 16;
  const timeline = prepare(canvasFor('timeline', timelineHeight), timelineHeight);
  canvasFor('timeline', timelineHeight).style.height = `${timelineHeight}px`;
  drawTimeAxis(timeline.context, range, { x: timeline.left, y: 0, width: timeline.width, height: 18 });
  drawLabel(timeline.context, ['drops', 'detections'], 18);
  timeline.context.fillStyle = '#b00020';
  for (const drop of state.drops) {
    const a = timeToX(range, timeline.left, timeline.width, drop.startSec);
    const b = timeToX(range, timeline.left, timeline.width, drop.startSec + 0.96);
    if (b >= timeline.left && a <= timeline.left + timeline.width) timeline.context.fillRect(Math.max(a, timeline.left), 20, Math.min(b, timeline.left + timeline.width) - Math.max(a, timeline.left), 6);
  }
  for (const d of state.detections.values()) {
    const y = 28 + lanes.indexOf(d.name) * 16;
    const a = Math.max(timeline.left, timeToX(range, timeline.left, timeline.width, d.startSec));
    const b = Math.min(timeline.left + timeline.width, timeToX(range, timeline.left, timeline.width, d.open ? state.newestSec : d.endSec));
    if (b <= a) continue;
    timeline.context.fillStyle = d.open ? '#9fc2f0' : '#cfcfd6';
    timeline.context.fillRect(a, y, b - a, 12);
    timeline.context.fillStyle = '#1d1d1f';
    timeline.context.fillText(d.name, a + 3, y + 1, Math.max(0, b - a - 6));
  }
  // The spectrogram, on a fixed scale (silence −6.9 to a loud 4).
  const spectrogram = prepare(canvasFor('spectrogram', 150), 150);
  const rect = (p: { left: number; width: number }, h: number) => ({ x: p.left, y: 2, width: p.width, height: h - 4 });
  const melCodes = new Uint8Array(BANDS);
  paintGrid(spectrogram.context, range, rect(spectrogram, 150), seqLut, (index) => {
    const frame = state.frames.get(index);
    if (frame === undefined) return null;
    for (let j = 0; j < BANDS; j++) melCodes[j] = Math.max(0, Math.min(255, Math.round(((frame.logMel[j] + 6.9) / 10.9) * 255)));
    return melCodes;
  });
  drawLabel(spectrogram.context, ['log-mel', 'spectrogram'], 2);
  drawHzAxis(spectrogram.context, config.bandCentresHz, rect(spectrogram, 150));
  drawColourBar(spectrogram.context, spectrogram.w, rect(spectrogram, 150), seqLut, [0, 255], ['4.0', 'ln mel', '−6.9']);
  // Each class's attribution, scaled to the largest |value| in the window.
  for (const [classIndex, name] of state.classes) {
    const maxAbs = scaleLimit(classIndex);
    const view = prepare(canvasFor(`class-${classIndex}`, 96), 96);
    const codes = new Uint8Array(BANDS);
    const explained = new Uint8Array(BANDS).fill(128);
    paintGrid(view.context, range, rect(view, 96), divLut, (index) => {
      const frame = state.frames.get(index);
      if (frame === undefined) return null;
      const a = frame.classes.get(classIndex);
      if (a === undefined) return explained; // received, but this class was not explained here: white
      for (let j = 0; j < BANDS; j++) codes[j] = 128 + Math.max(-127, Math.min(127, Math.round((a[j] / maxAbs) * 127)));
      return codes;
    });
    drawLabel(view.context, [name.slice(0, 16), 'attribution'], 2);
    drawHzAxis(view.context, config.bandCentresHz, rect(view, 96));
    drawColourBar(view.context, view.w, rect(view, 96), divLut, [1, 255], [`+${maxAbs.toPrecision(2)}`, '0', `−${maxAbs.toPrecision(2)}`]);
  }
  renderPanels();
}

/** The colour scale of a class: the 99.5th percentile of |attribution| in the window (one outlier cell must not wash the rest out). */
function scaleLimit(classIndex: number): number {
  let max = 1e-12;
  for (const frame of state.frames.values()) for (const v of frame.classes.get(classIndex) ?? []) max = Math.max(max, Math.abs(v));
  const histogram = new Uint32Array(1024);
  let total = 0;
  for (const frame of state.frames.values()) for (const v of frame.classes.get(classIndex) ?? []) (histogram[Math.min(1023, Math.floor((Math.abs(v) / max) * 1024))]++, total++);
  let seen = 0;
  for (let i = 0; i < 1024; i++) if ((seen += histogram[i]) >= 0.995 * total) return Math.max(1e-12, ((i + 1) / 1024) * max);
  return max;
}

function renderPanels(): void {
  const header = state.header;
  document.getElementById('meta')!.textContent =
    header === null ? 'connecting…' : `${String(header.model)} · ${String(header.method)} of the ${String(header.output)} · ${String(header.engine)} · newest frame ${formatTime(state.newestSec)}`;
  const status = state.ended === 'end' ? 'source ended' : state.ended === 'error' ? `error: ${state.errorMessage}` : source.readyState === EventSource.OPEN ? 'live' : 'reconnecting…';
  const stats = document.getElementById('stats')!;
  stats.innerHTML = `<span>${status}</span><span>frames received <b>${state.framesReceived}</b></span><span>lag <b>${state.lagSec.toFixed(2)} s</b></span><span class="drops${state.drops.length > 0 ? ' some' : ''}">drops <b>${state.drops.length}</b></span>`;
  document.body.dataset.frames = String(state.framesReceived);
  document.body.dataset.drops = String(state.drops.length);
  document.body.dataset.lag = String(state.lagSec);
  document.body.dataset.state = status;
  const rows = [...state.detections.values()]
    .slice(-50)
    .map((d) => `<tr><td>${escape(d.name)}</td><td>${formatTime(d.startSec)}–${d.open ? '…' : formatTime(d.endSec)}</td><td>${d.evidence === null ? (d.open ? 'open' : '–') : `${formatTime(d.evidence.startSec)}–${formatTime(d.evidence.endSec)}`}</td><td>${d.peakScore.toFixed(2)}</td></tr>`)
    .join('');
  document.getElementById('detections')!.innerHTML = `<h2>Detections (${state.detections.size})</h2><table><thead><tr><th>class</th><th>event</th><th>evidence</th><th>peak</th></tr></thead><tbody>${rows}</tbody></table>`;
  const drops = state.drops.slice(-20).reverse().map((d) => `<li>patch ${d.index} (${formatTime(d.startSec)}–${formatTime(d.startSec + 0.96)}) dropped: attribution was behind</li>`).join('');
  document.getElementById('drop-list')!.innerHTML = `<h2>Drops (${state.drops.length})</h2>${state.drops.length === 0 ? '<p class="status">None: attribution keeps up.</p>' : `<ul>${drops}</ul>`}`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const source = new EventSource('/events');
source.onmessage = (message) => {
  state.take(JSON.parse(message.data as string));
  dirty = true;
};
source.onerror = () => (dirty = true);
source.onopen = () => (dirty = true);
window.addEventListener('resize', () => (dirty = true));
requestAnimationFrame(draw);
