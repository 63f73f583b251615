// Loads YAMNet for a command, telling the user on stderr when it has to be downloaded first.
import { activeBackend } from '../engine/backend.js';
import { createYamnet } from '../model/createYamnet.js';
import type { ClassifierModel, EngineName } from '../types.js';
import { downloadNotice } from './downloadNotice.js';
import type { ModelArgs } from './modelArgs.js';

/** `createYamnet` with the CLI's checked `--model`, `--engine` and `--backend` values, a download notice and a progress bar. */
export async function openModel(values: ModelArgs): Promise<ClassifierModel> {
  const notice = downloadNotice();
  try {
    return await createYamnet({
      modelPath: values.model,
      engine: values.engine,
      backend: values.backend,
      onDownloadStart: notice.onDownloadStart,
      onProgress: notice.onProgress,
      onBuiltinFallback: notice.onBuiltinFallback,
    });
  } finally {
    notice.finish();
  }
}

/** Which engine and tfjs backend ran, and the model's name: the first keys of every report. */
export function runHeader(model: ClassifierModel): { engine: EngineName; backend: string; model: string } {
  return { engine: model.engine, backend: activeBackend(), model: model.name };
}

/** The header's engine in words: `onnxruntime`, or `backend wasm` (tfjs). */
export function engineWords(header: { engine: EngineName; backend: string }): string {
  return header.engine === 'onnx' ? 'onnxruntime' : `backend ${header.backend}`;
}
