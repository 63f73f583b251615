// Measures the HTML report on a long input: its size, build time, and in Chromium its load time and redraw time while zooming and panning.
// Usage: npx tsx bench/report.ts [audio file, default /tmp/hour.wav] [out.html]. The audio and its log-mel are real (the file's);
// the attribution, scores and detections are synthetic (explaining an hour takes hours), built by the same renderReportHtml the CLI uses.
import { statSync, writeFileSync } from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import { decodeAudio } from '../src/operators/decodeAudio.js';
import { logMelFrames } from '../src/operators/logMelFrames.js';
import { browserScript } from '../src/report/browserBundle.js';
import { renderReportHtml } from '../src/report/reportHtml.js';
import type { Detection, FrameAttribution, PatchAttribution } from '../src/types.js';
import { launchChromium } from '../test/helpers/chromium.js';

const [input = '/tmp/hour.wav', out = '/tmp/blurig-report-bench.html'] = process.argv.slice(2);
const chunks = await lastValueFrom(decodeAudio(input).pipe(toArray()));
const waveform = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
chunks.reduce((at, c) => (waveform.set(c, at), at + c.length), 0);
const mel = await lastValueFrom(decodeAudio(input).pipe(logMelFrames(), toArray()));
// Two classes, each explained in alternating 5 s halves of every 10 s: a deterministic pattern shaped by the log-mel.
const classes = [{ index: 0, name: 'Speech' }, { index: 390, name: 'Siren' }];
const owner = (t: number) => (Math.floor(t / 5) % 2 === 0 ? 0 : 390);
const frames: FrameAttribution[] = mel.map((m, t) => {
  const classIndex = owner(m.timeSec);
  const attribution = Float32Array.from(m.logMel, (v, b) => (v + 4) * 1e-4 * Math.sin(t / 37 + b / 5));
  return { index: m.index, timeSec: m.timeSec, logMel: m.logMel, classes: [{ classIndex, attribution, patches: [], scores: [], relErrors: [] }] };
});
const patchCount = Math.max(0, Math.floor((frames.length - 96) / 48) + 1);
const patches: PatchAttribution[] = Array.from({ length: patchCount }, (_, k) => {
  const startSec = k * 0.48;
  const scores = new Float32Array(521);
  scores[0] = owner(startSec + 0.48) === 0 ? 0.9 : 0.05;
  scores[390] = 1 - scores[0];
  const classIndex = owner(startSec + 0.48);
  const scale = Array.from({ length: 32 }, (_, i) => ({ s: i / 31, sigmaTime: 96 * (i / 31) ** 2, sigmaFrequency: 64 * (i / 31) ** 2, contribution: Math.exp(-i / 6) * 0.05 }));
  const cls = { classIndex, score: scores[classIndex], logit: 2, value: scores[classIndex], baselineValue: 0.1, attributionSum: scores[classIndex] - 0.1, relError: 0, attribution: new Float32Array(0), scale };
  return { index: k, startSec, startFrame: 48 * k, frames: 96, bands: 64, logMel: new Float32Array(0), method: 'blur-ig', output: 'score', scores, evaluations: 32, classes: [cls] } as unknown as PatchAttribution;
});
const detections: Detection[] = [];
for (let start = 0; start + 5 <= frames.length / 100; start += 5) {
  const classIndex = owner(start + 0.1);
  detections.push({ classIndex, name: classIndex === 0 ? 'Speech' : 'Siren', startSec: start, endSec: start + 4.8, peakScore: 0.9, peakSec: start + 2, evidence: { startSec: start + 0.5, endSec: start + 4 } });
}
const header = { engine: 'onnx', backend: 'wasm', model: 'synthetic attribution (bench/report.ts)', method: 'blur-ig+idgi', output: 'score', classChoice: 'detected', detector: { onThreshold: 0.4, offThreshold: 0.2, minDurationSec: 0.96, maxGapSec: 0.48 } } as const;
const built = performance.now();
const html = renderReportHtml({ file: input, header, patches, frames, detections, classes, waveform }, await browserScript('report'));
writeFileSync(out, html);
console.log(`${input}: ${(waveform.length / 16000).toFixed(0)} s, ${frames.length} frames, ${detections.length} detections; report ${(statSync(out).size / 1e6).toFixed(1)} MB, built in ${((performance.now() - built) / 1000).toFixed(1)} s`);

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const opened = performance.now();
await page.goto(`file://${out}`);
await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 300_000 });
const readyMs = performance.now() - opened;
await page.waitForFunction(() => document.body.dataset.audio === 'ready', null, { timeout: 300_000 });
const audioMs = performance.now() - opened;
// Each step: a key press, then two animation frames (the redraw happened in between); the worst and median steps.
const steps = await page.evaluate(async () => {
  const keys = ['-', 'ArrowRight', '+', '+', '+', '+', '+', '+', '+', 'ArrowRight', 'ArrowRight', 'ArrowLeft', '-', '-', '-', '-', '-', '-', '-', '0'];
  const times: number[] = [];
  for (const key of keys) {
    const t0 = performance.now();
    window.dispatchEvent(new KeyboardEvent('keydown', { key }));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
});
console.log(`Chromium: drawn ${(readyMs / 1000).toFixed(1)} s after opening, audio ready at ${(audioMs / 1000).toFixed(1)} s; zoom/pan step (key → redrawn) median ${steps[10].toFixed(0)} ms, worst ${steps[steps.length - 1].toFixed(0)} ms`);
await browser.close();
