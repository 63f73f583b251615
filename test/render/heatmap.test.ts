// renderHeatmap on synthetic frames: size bounds, ink in every panel, colour limits, long clips scaled to fit.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors/OptionError.js';
import { bandPosition, formatNumber, timeTickStep, timeTicks } from '../../src/render/axes.js';
import type { Canvas } from '../../src/render/canvas.js';
import { colourLimit, renderHeatmap, renderHeatmapCanvas } from '../../src/render/heatmap.js';
import type { PanelBox } from '../../src/render/panels.js';
import { decodePng } from './decodePng.js';
import { CLASSES, syntheticFrames } from './synthetic.js';

const title = { file: 'dog-and-speech.wav', method: 'blur-ig' };

function pixel(canvas: { width: number; rgba: Uint8Array }, x: number, y: number): number[] {
  const o = (y * canvas.width + x) * 4;
  return [...canvas.rgba.subarray(o, o + 3)];
}

function nonWhite(canvas: Canvas, box: PanelBox): number {
  let n = 0;
  for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++) if (pixel(canvas, x, y).some((c) => c < 235)) n++;
  return n;
}

describe('renderHeatmap', () => {
  it('draws a readable PNG of a 3 s, 2-class clip (written to /tmp/heatmap-test.png to look at)', () => {
    const png = renderHeatmap({ frames: syntheticFrames(3), classes: CLASSES, title });
    writeFileSync('/tmp/heatmap-test.png', png);
    const { width, height, rgba } = decodePng(png);
    // 300 frames at 4 px each, plus margins; spectrogram + 2 × (attribution + score) panels.
    expect(width).toBeGreaterThanOrEqual(1200);
    expect(width).toBeLessThanOrEqual(1600);
    expect(height).toBeGreaterThan(600);
    expect(height).toBeLessThan(1200);
    expect(rgba.length).toBe(width * height * 4);
  });

  it("puts ink in every panel, the spectrogram's low bands at the bottom, missing frames in grey", () => {
    const frames = syntheticFrames(3);
    const { canvas, panels } = renderHeatmapCanvas({ frames, classes: CLASSES, title });
    expect(panels).toHaveLength(5); // spectrogram, then (attribution, score) per class
    for (const box of panels) expect(nonWhite(canvas, box)).toBeGreaterThan(box.width * 2);
    const [, speech, , dog] = panels;
    expect(speech.width).toBe(1200);
    // Speech's positive blob peaks at frame 100, band 20: red there (3 px per band, band 0 at the bottom).
    const [r, g, b] = pixel(canvas, speech.x + 100 * 4 + 1, speech.y + speech.height - 20 * 3 - 2);
    expect(r).toBeGreaterThan(b + 50);
    expect(g).toBeLessThan(120);
    // Dog was not explained before frame 100: neutral grey, equal channels.
    const [gr, gg, gb] = pixel(canvas, dog.x + 10, dog.y + 10);
    expect(gr).toBe(gg);
    expect(gg).toBe(gb);
  });

  it('fits a long clip into maxWidthPx by averaging frames into columns', () => {
    const frames = syntheticFrames(70);
    const { canvas, panels } = renderHeatmapCanvas({ frames, classes: CLASSES.slice(0, 1), title }, { maxWidthPx: 900 });
    expect(canvas.width).toBeLessThanOrEqual(900);
    expect(panels[0].width).toBeLessThan(frames.length);
    expect(nonWhite(canvas, panels[1])).toBeGreaterThan(0);
  });

  it('uses patchScores and a given completeness error when supplied', () => {
    const patchScores = CLASSES.map(() => [0, 1, 2, 3, 4].map((k) => ({ startSec: 0.48 * k, score: 1 })));
    const { canvas, panels } = renderHeatmapCanvas({ frames: syntheticFrames(3), classes: CLASSES, title: { ...title, relErrors: 0.02 }, patchScores });
    const score = panels[2];
    // Score 1 everywhere the patches cover: the line at the top row, the area under it shaded.
    expect(pixel(canvas, score.x + 5, score.y + 1)).not.toEqual([255, 255, 255]);
  });

  it('marks a detection under its class panel: the event in grey, its evidence in black, nothing under other classes', () => {
    const detections = [{ classIndex: 69, name: 'Dog', startSec: 1, endSec: 2.5, peakScore: 0.8, peakSec: 1.5, evidence: { startSec: 1.5, endSec: 2 } }];
    const { canvas, panels } = renderHeatmapCanvas({ frames: syntheticFrames(3), classes: CLASSES, detections, title });
    const [, speech, , dog] = panels; // spectrogram, then attribution and score panels per class
    const xOf = (t: number) => dog.x + Math.round((t / 3) * dog.width);
    const bar = dog.y + dog.height + 4;
    expect(pixel(canvas, xOf(1.25), bar)).toEqual([170, 170, 170]); // event, outside the evidence
    expect(pixel(canvas, xOf(1.75), bar)).toEqual([20, 20, 20]); // evidence
    expect(pixel(canvas, xOf(0.7), bar)).toEqual([255, 255, 255]); // before the event (clear of the 0.5 s ticks)
    expect(pixel(canvas, xOf(1.8), speech.y + speech.height + 4)).toEqual([255, 255, 255]); // Speech has no detection
  });

  it('rejects no frames and too narrow an image', () => {
    expect(() => renderHeatmap({ frames: [], classes: CLASSES, title })).toThrow(OptionError);
    expect(() => renderHeatmap({ frames: syntheticFrames(1), classes: CLASSES, title }, { maxWidthPx: 100 })).toThrow(OptionError);
  });
});

describe('axes and limits', () => {
  it('places 125 Hz and 7500 Hz half a band outside the 64 rows, 1000 Hz near band 19.5', () => {
    expect(bandPosition(125)).toBeCloseTo(-1, 10);
    expect(bandPosition(7500)).toBeCloseTo(64, 10);
    expect(bandPosition(1000)).toBeGreaterThan(19);
    expect(bandPosition(1000)).toBeLessThan(20);
  });

  it('chooses tick steps that keep labels apart', () => {
    expect(timeTickStep(3, 1200)).toBe(0.5);
    expect(timeTickStep(70, 700)).toBe(10);
    expect(timeTicks(0, 3, 0.5)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3]);
    expect(formatNumber(-0.0012)).toBe('\u22121.2e-3');
    expect(formatNumber(0.014)).toBe('0.014');
  });

  it('limits colour at the 99th percentile of |a|, but not below 1/10 of the largest', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => (i % 2 ? 1 : -1) * (i < 995 ? 0.5 : 100));
    expect(colourLimit(values)).toEqual({ limit: 10, rule: 'max |a| / 10' });
    const dense = Float32Array.from({ length: 1000 }, (_, i) => (i < 999 ? i / 1000 : 3));
    expect(colourLimit(dense).limit).toBeCloseTo(0.989, 6);
    expect(colourLimit(dense).rule).toBe('99th pct of |a|');
    expect(colourLimit(new Float32Array(4)).limit).toBe(1);
  });
});
