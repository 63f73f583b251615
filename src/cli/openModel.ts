// Loads YAMNet for a command, telling the user on stderr when it has to be downloaded first.
import { activeBackend, parseBackendName } from '../engine/backend.js';
import { createYamnet, parseEngineName } from '../model/createYamnet.js';
import type { ClassifierModel, EngineName } from '../types.js';
import { downloadNotice } from './downloadNotice.js';

/** `createYamnet` with the CLI's `--model`, `--engine` and `--backend` values, a download notice and a progress bar. */
export async function openModel(values: { model?: string; engine?: string; backend?: string }): Promise<ClassifierModel> {
  const notice = downloadNotice();
  try {
    return await createYamnet({
      modelPath: values.model,
      engine: values.engine === undefined ? undefined : parseEngineName(values.engine, '--engine'),
      backend: values.backend === undefined ? undefined : parseBackendName(values.backend, '--backend'),
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
