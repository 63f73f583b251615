// The heatmap figure on synthetic frames: PNG size, panels only for the classes given, a shared colour limit, wrapping of long clips.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors/OptionError.js';
import { bandPosition, formatNumber, niceTicks, timeTickStep, timeTicks } from '../../src/render/axes.js';
import type { ImageItem, TextItem } from '../../src/render/figure/displayList.js';
import { colourLimit, heatmapFigure, renderHeatmap } from '../../src/render/heatmap.js';
import { decodePng } from './decodePng.js';
import { CLASSES, syntheticFrames } from './synthetic.js';

const title = { file: 'dog-and-speech.wav', method: 'blur-ig' };
const texts = (items: readonly { kind: string }[]) => items.filter((i): i is TextItem => i.kind === 'text').map((i) => i.text);
const bandImages = (items: readonly { kind: string }[]) => items.filter((i): i is ImageItem => i.kind === 'image' && (i as ImageItem).rows === 64);

describe('heatmapFigure', () => {
  it('draws a PNG of the figure at the DPI: 7 in wide at most, 150 px per inch (written to /tmp/heatmap-test.png)', () => {
    const png = renderHeatmap({ frames: syntheticFrames(3), classes: CLASSES, title });
    writeFileSync('/tmp/heatmap-test.png', png);
    const figure = heatmapFigure({ frames: syntheticFrames(3), classes: CLASSES, title });
    const { width, height } = decodePng(png);
    // ± 1 px: the backend rounds the size in pixels, and a .5 may round either way after float error.
    expect(Math.abs(width - (figure.widthPt * 150) / 72)).toBeLessThanOrEqual(1);
    expect(Math.abs(height - (figure.heightPt * 150) / 72)).toBeLessThanOrEqual(1);
    expect(figure.widthPt).toBeLessThanOrEqual(7 * 72);
  });

  it('has one spectrogram and one attribution image per class, each frame a column, and names every class', () => {
    const figure = heatmapFigure({ frames: syntheticFrames(3), classes: CLASSES, title });
    const images = bandImages(figure.items);
    expect(images).toHaveLength(3);
    expect(images.map((i) => i.columns)).toEqual([300, 300, 300]);
    expect(texts(figure.items)).toEqual(expect.arrayContaining(['Speech', 'Dog', 'dog-and-speech.wav', 'time (s)']));
    // Only the given classes: one panel.
    expect(bandImages(heatmapFigure({ frames: syntheticFrames(3), classes: CLASSES.slice(1), title }).items)).toHaveLength(2);
  });

  it('states one shared colour limit on one bar by default, one per class with per-class', () => {
    const limitLabels = (scale: 'shared' | 'per-class') => texts(heatmapFigure({ frames: syntheticFrames(3), classes: CLASSES, title }, { colourScale: scale }).items).filter((t) => t.startsWith('+'));
    // The synthetic attributions peak at 0.02 (Speech) and 0.05 (Dog): shared, one label set; per class, two.
    expect(new Set(limitLabels('shared')).size).toBe(2); // +limit and +limit/2 on the one tall bar
    expect(limitLabels('per-class').length).toBeGreaterThanOrEqual(2);
    expect(new Set(limitLabels('per-class').filter((t) => !limitLabels('shared').includes(t))).size).toBeGreaterThan(0);
  });

  it('wraps a 70 s clip into 3 rows of at most 30 s, and keeps a given figure size', () => {
    const figure = heatmapFigure({ frames: syntheticFrames(70), classes: CLASSES.slice(0, 1), title }, { figSizeIn: { widthIn: 6, heightIn: 8 } });
    expect(bandImages(figure.items)).toHaveLength(6); // (spectrogram + 1 class) × 3 rows
    expect(figure.widthPt).toBe(432);
    expect(figure.heightPt).toBeCloseTo(576, 6);
  });

  it('rejects no frames and options out of range', () => {
    expect(() => heatmapFigure({ frames: [], classes: CLASSES, title })).toThrow(OptionError);
    expect(() => heatmapFigure({ frames: syntheticFrames(1), classes: CLASSES, title }, { dpi: 10 })).toThrow(/dpi/);
    expect(() => heatmapFigure({ frames: syntheticFrames(1), classes: CLASSES, title }, { figSizeIn: { widthIn: 1.2 }, fontSizePt: 20 })).toThrow(/wide enough/);
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
    expect(timeTickStep(3, 1200)).toBe(0.2); // 0.2 s is 80 px apart here, ≥ the 60 px asked
    expect(timeTickStep(70, 700)).toBe(10);
    expect(timeTicks(0, 3, 0.5)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3]);
    expect(formatNumber(-0.0012)).toBe('\u22121.2e-3');
    expect(formatNumber(0.014)).toBe('0.014');
    expect(niceTicks(-13.2, 17.5, 4)).toEqual([-10, 0, 10]);
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
