// The report's data without a browser: μ-law audio, attribution quantised to bytes with "not explained" kept apart, JSON safe to inline.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeMulawWav, mulawSample } from '../../src/report/mulawWav.js';
import { buildReportData, NOT_EXPLAINED } from '../../src/report/reportData.js';
import { inlineJson } from '../../src/report/reportHtml.js';
import type { FrameAttribution } from '../../src/types.js';

const blobBytes = (html: string, id: string) => gunzipSync(Buffer.from(new RegExp(`id="${id}">([^<]*)<`).exec(html)![1], 'base64'));

describe('report data', () => {
  it('writes μ-law WAV within G.711 error: under 1/16 of the magnitude, one byte a sample', () => {
    const samples = Float32Array.from({ length: 1000 }, (_, i) => 0.9 * Math.sin(i / 7) * Math.exp(-i / 400));
    const wav = encodeMulawWav(samples, 16_000);
    expect(wav.length).toBe(44 + 1000);
    expect(Buffer.from(wav.subarray(20, 22)).readUInt16LE()).toBe(7);
    samples.forEach((x, i) => expect(Math.abs(mulawSample(wav[44 + i]) / 32_767 - x)).toBeLessThanOrEqual(Math.abs(x) / 16 + 3e-4));
  });

  it('quantises attribution against its largest magnitude and marks frames a class was not explained in', () => {
    const frames: FrameAttribution[] = [0, 1, 2].map((index) => ({
      index,
      timeSec: index / 100,
      logMel: new Float32Array(64).fill(index),
      classes: index === 1 ? [] : [{ classIndex: 7, attribution: new Float32Array(64).fill(index === 0 ? 0.5 : -1), patches: [0], scores: [0.9], relErrors: [0] }],
    }));
    const header = { engine: 'onnx', backend: 'wasm', model: 'm', method: 'blur-ig+idgi', output: 'score', classChoice: 'detected', detector: { onThreshold: 0.4, offThreshold: 0.2, minDurationSec: 0.96, maxGapSec: 0.48 } } as const;
    const { data, blobs } = buildReportData({ file: 'x.wav', header, patches: [], frames, detections: [], classes: [{ index: 7, name: 'Seven' }] });
    const html = blobs.html();
    const codes = new Int8Array(blobBytes(html, data.classes[0].attribution));
    expect([codes[0], codes[64], codes[128]]).toEqual([64, NOT_EXPLAINED, -127]);
    expect(data.classes[0].maxAbs).toBe(1);
    const mel = blobBytes(html, data.spectrogram.blob);
    expect([mel[0], mel[64], mel[128]]).toEqual([0, 128, 255]);
    expect(data.audio).toBeNull();
  });

  it('inlines JSON that cannot close its script element', () => {
    expect(inlineJson({ name: '</script><script>alert(1)</script>' })).not.toContain('<');
    expect(JSON.parse(inlineJson({ name: '</script>' }))).toEqual({ name: '</script>' });
  });
});
