// Loads YAMNet for a command, telling the user on stderr when it has to be downloaded first.
import { createYamnet } from '../model/createYamnet.js';
import type { YamnetModel } from '../model/yamnet.js';
import { parseBackendName } from '../engine/backend.js';
import { createProgressBar } from './progressBar.js';

/** `createYamnet` with the CLI's `--model` and `--backend` values, a download notice and a progress bar. */
export async function openModel(values: { model?: string; backend?: string }): Promise<YamnetModel> {
  let bar: ReturnType<typeof createProgressBar> | undefined;
  let receivedBytes = 0;
  try {
    return await createYamnet({
      modelPath: values.model,
      backend: values.backend === undefined ? undefined : parseBackendName(values.backend, '--backend'),
      onDownloadStart: (url, destination) => {
        process.stderr.write(`YAMNet is not installed yet: downloading it once from ${url}\n  to ${destination}\n`);
        bar = createProgressBar('YAMNet');
      },
      onProgress: (received, total) => {
        receivedBytes = received;
        bar?.update(received, total);
      },
    });
  } finally {
    // A download that failed before its first byte leaves no bar behind, only the error line.
    if (receivedBytes > 0) bar?.finish();
  }
}
