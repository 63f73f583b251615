// One corpus file explained into a folder with explain's own pipeline and writers, on an attributor opened once per process.
import { join } from 'node:path';
import { explainFile } from '../../../pipelines/explainFile.js';
import type { ExplainedFile, ExplainIntoFolder } from '../../batch/processFile.js';
import type { BatchFile, BatchSettings } from '../../batch/records.js';
import { frameCount, paddedSampleCount, patchCount } from '../../audio/framing.js';
import type { AttributionPool } from '../../engine/workerPool/attributionPool.js';
import type { ClassifierModel } from '../../types.js';
import { YAMNET_FRONT_END } from '../../types.js';
import { consumeUntilStopped } from '../consumeUntilStopped.js';
import { explanationCollector } from '../explanationCollector.js';
import type { ModelArgs } from '../modelArgs.js';
import { attributorHeader } from '../openAttributor.js';
import { InterruptedError } from '../stopRun.js';
import { writeResults } from './runExplain.js';

/** The names of the outputs in each file's folder, as `explain` would be given them. */
export const FOLDER_FILES = { json: 'explain.json', png: 'heatmap.png', svg: 'heatmap.svg', pdf: 'heatmap.pdf', npy: 'attribution.npy', listen: 'listen', html: 'report.html' } as const;

/**
 * The batch runners' per-file work: `blurig explain FILE --json DIR/explain.json [--png DIR/heatmap.png …]` on an
 * attributor that stays loaded between files. `reportScript` is the --html page's script, read once.
 */
export function explainIntoFolder(attributor: ClassifierModel | AttributionPool, workers: number, reportScript?: string): ExplainIntoFolder {
  return async (file: BatchFile, folder: string, settings: BatchSettings, onProgress): Promise<ExplainedFile> => {
    const samples: Float32Array[] = [];
    const wanted = settings.outputs;
    let total: number | undefined;
    let sampleCount = 0;
    const onDurationSec = (sec: number): void => {
      total = patchCount(frameCount(paddedSampleCount(Math.round(sec * YAMNET_FRONT_END.sampleRateHz))));
    };
    const keep = wanted.listen || wanted.html; // the waveform is kept only for them: 64 kB per second of audio
    const onSamples = (chunk: Float32Array) => {
      sampleCount += chunk.length;
      if (keep) samples.push(chunk);
    };
    const { patches, frames, detections, onEvent } = explanationCollector((count) => total !== undefined && onProgress(Math.min(1, count / total)));
    const stopped = await consumeUntilStopped(explainFile(file.path, attributor, settings.options, { onSamples, onDurationSec }), onEvent);
    if (stopped !== undefined) throw new InterruptedError(`interrupted while explaining ${file.input}`);
    const at = (name: string) => join(folder, name);
    const outputs = {
      json: at(FOLDER_FILES.json),
      png: wanted.png ? at(FOLDER_FILES.png) : undefined,
      svg: wanted.svg ? at(FOLDER_FILES.svg) : undefined,
      pdf: wanted.pdf ? at(FOLDER_FILES.pdf) : undefined,
      npy: wanted.npy ? at(FOLDER_FILES.npy) : undefined,
      listen: wanted.listen ? at(FOLDER_FILES.listen) : undefined,
      html: wanted.html ? at(FOLDER_FILES.html) : undefined,
    };
    const writeStart = performance.now();
    const model: ModelArgs & { workers: number } = { ...(settings.model as ModelArgs), workers };
    writeResults({ input: file.input, model, options: settings.options, outputs, figure: settings.figure, summary: false }, attributor, patches, frames, detections, samples, reportScript);
    const audioSec = sampleCount / YAMNET_FRONT_END.sampleRateHz;
    return { model: attributorHeader(attributor).model, patches: patches.length, audioSec, detections: detections.length, writeMs: performance.now() - writeStart };
  };
}
