// The detections as a table, and the selected one's details: span, evidence, completeness per patch, scale curves, and buttons to hear it.
import type { ReportData, ReportPatch } from '../reportTypes.js';
import { FONT } from './axes.js';
import { formatTime, signed } from './geometry.js';

export interface DetailActions {
  select(index: number): void;
  play(what: 'evidence' | 'rest', index: number): void;
}

export function renderDetectionList(container: HTMLElement, data: ReportData, actions: DetailActions): void {
  container.innerHTML = `<h2>Detections (${data.detections.length})</h2>`;
  const table = document.createElement('table');
  table.innerHTML = '<thead><tr><th>class</th><th>event</th><th>evidence</th><th>peak</th></tr></thead>';
  const body = table.createTBody();
  data.detections.forEach((d, i) => {
    const row = body.insertRow();
    row.className = 'detection';
    row.dataset.index = String(i);
    const evidence = d.evidence === null ? '–' : `${formatTime(d.evidence.startSec)}–${formatTime(d.evidence.endSec)}`;
    for (const text of [d.name, `${formatTime(d.startSec)}–${formatTime(d.endSec)}`, evidence, `${d.peakScore.toFixed(2)} at ${formatTime(d.peakSec)}`]) row.insertCell().textContent = text;
    row.addEventListener('click', () => actions.select(i));
  });
  if (data.detections.length === 0) container.insertAdjacentHTML('beforeend', '<p class="status">Nothing was detected.</p>');
  else container.append(table);
}

export function markSelected(container: HTMLElement, index: number | null): void {
  for (const row of container.querySelectorAll<HTMLElement>('tr.detection')) row.classList.toggle('selected', Number(row.dataset.index) === index);
}

/** Fills the detail panel for detection `index` (or a hint when none is selected). */
export function renderDetail(container: HTMLElement, data: ReportData, index: number | null, actions: DetailActions): void {
  if (index === null) {
    container.innerHTML = '<h2>Selected detection</h2><p class="empty">Click a detection in the list or on the time axis.</p>';
    return;
  }
  const d = data.detections[index];
  const patches = (data.classes.find((c) => c.index === d.classIndex)?.patches ?? []).filter((p) => p.startSec >= d.startSec - 1e-6 && p.startSec + data.patchSec <= d.endSec + 1e-6);
  const errors = patches.map((p) => p.relError).filter(Number.isFinite).sort((a, b) => a - b);
  const percent = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)}%`;
  const completeness = errors.length === 0 ? 'not explained' : `median ${percent(errors[Math.floor((errors.length - 1) / 2)])}, max ${percent(errors[errors.length - 1])} over ${errors.length} patches`;
  container.innerHTML = `<h2>${escape(d.name)} · ${formatTime(d.startSec)}–${formatTime(d.endSec)}</h2>
<p>peak score ${d.peakScore.toFixed(2)} at ${formatTime(d.peakSec)} · evidence ${d.evidence === null ? 'none' : `${formatTime(d.evidence.startSec)}–${formatTime(d.evidence.endSec)}`}<br>completeness error ${completeness}</p>`;
  const buttons = document.createElement('p');
  for (const what of ['evidence', 'rest'] as const) {
    const button = document.createElement('button');
    button.id = `play-${what}`;
    button.textContent = `▶ play the ${what}`;
    button.disabled = d.listen === null;
    button.title = d.listen === null ? 'no audio in this report, or the class was not explained' : `the event's span of the class's ${what === 'evidence' ? 'evidence (--listen)' : 'rest: everything the attribution did not claim'}`;
    button.addEventListener('click', () => actions.play(what, index));
    buttons.append(button, ' ');
  }
  container.append(buttons);
  const canvas = document.createElement('canvas');
  container.append(canvas);
  drawScaleCurves(canvas, patches);
  const table = document.createElement('table');
  table.innerHTML = '<thead><tr><th>patch</th><th>start</th><th>score</th><th>Σ attribution</th><th>completeness error</th></tr></thead>';
  const body = table.createTBody();
  for (const p of patches) {
    const row = body.insertRow();
    for (const text of [String(p.index), formatTime(p.startSec), p.score.toFixed(3), signed(p.attributionSum, 3), percent(p.relError)]) row.insertCell().textContent = text;
  }
  container.append(table);
}

/** Each patch's scale curve: its contribution at each blur step against σ along time (log axis). */
function drawScaleCurves(canvas: HTMLCanvasElement, patches: readonly ReportPatch[]): void {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 400;
  const h = 180;
  canvas.width = w * dpr;
  canvas.height = h * dpr;
  const context = canvas.getContext('2d')!;
  context.scale(dpr, dpr);
  const points = patches.flatMap((p) => p.scale.filter((s) => s.sigmaTime > 0));
  context.font = FONT;
  context.fillStyle = '#6b6b70';
  if (points.length === 0) {
    context.fillText('no scale curve (the method has no blur path)', 8, 20);
    return;
  }
  const [left, right, top, bottom] = [52, w - 8, 16, h - 24];
  const lo = Math.log(Math.min(...points.map((s) => s.sigmaTime)));
  const hi = Math.log(Math.max(...points.map((s) => s.sigmaTime)));
  const maxAbs = Math.max(1e-12, ...points.map((s) => Math.abs(s.contribution)));
  const x = (sigma: number) => left + ((Math.log(sigma) - lo) / Math.max(1e-9, hi - lo)) * (right - left);
  const y = (c: number) => top + (1 - (c / maxAbs + 1) / 2) * (bottom - top);
  context.strokeStyle = '#d8d8dc';
  context.strokeRect(left, top, right - left, bottom - top);
  context.beginPath();
  context.moveTo(left, y(0));
  context.lineTo(right, y(0));
  context.stroke();
  context.textAlign = 'left';
  context.fillText('contribution per blur step, one line per patch', left, 2 + 10);
  context.textAlign = 'right';
  context.fillText(signed(maxAbs), left - 4, top + 8);
  context.fillText(signed(-maxAbs), left - 4, bottom);
  context.textAlign = 'center';
  context.fillText(`σ along time, frames (log) ${Number(Math.exp(lo).toPrecision(2))} … ${Number(Math.exp(hi).toPrecision(2))}`, (left + right) / 2, h - 6);
  patches.forEach((p, k) => {
    context.strokeStyle = `hsl(${(k * 47) % 360} 65% 45%)`;
    context.beginPath();
    p.scale.filter((s) => s.sigmaTime > 0).forEach((s, i) => (i === 0 ? context.moveTo(x(s.sigmaTime), y(s.contribution)) : context.lineTo(x(s.sigmaTime), y(s.contribution))));
    context.stroke();
  });
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
