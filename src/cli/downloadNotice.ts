// The one-time download notice and progress bar a command shows on stderr while YAMNet is fetched, and the line that says the built-in student runs instead.
import { createProgressBar } from './progressBar.js';

/** Callbacks for `createYamnet` or `AttributionPool.create`, and `finish`, to call once loading is over either way. */
export function downloadNotice(): {
  onDownloadStart: (url: string, destination: string) => void;
  onProgress: (receivedBytes: number, totalBytes: number | undefined) => void;
  onBuiltinFallback: (reason: string) => void;
  finish: () => void;
} {
  let bar: ReturnType<typeof createProgressBar> | undefined;
  let pending: { url: string; destination: string } | undefined;
  return {
    // Said once the first bytes arrive: offline, the only line is the one that says which model runs instead.
    onDownloadStart: (url, destination) => {
      pending = { url, destination };
    },
    onProgress: (received, total) => {
      if (pending !== undefined && bar === undefined) {
        process.stderr.write(`YAMNet is not installed yet: downloading it once from ${pending.url}\n  to ${pending.destination}\n`);
        bar = createProgressBar('YAMNet');
      }
      bar?.update(received, total);
    },
    onBuiltinFallback: (reason) => {
      bar?.finish();
      bar = undefined;
      const why = reason.split('\n')[0].split('. ')[0].replace(/\.$/, ''); // its first sentence: the how-to follows here
      process.stderr.write(`blurig: using the built-in student model (distilled from YAMNet; models/student/MODEL_CARD.md), since YAMNet could not be had: ${why}. Get YAMNet with \`blurig model pull\`.\n`);
    },
    finish: () => {
      bar?.finish();
      bar = undefined;
    },
  };
}
