// The one-time download notice and progress bar a command shows on stderr while YAMNet is fetched.
import { createProgressBar } from './progressBar.js';

/** Callbacks for `createYamnet` or `AttributionPool.create`, and `finish`, to call once loading is over either way. */
export function downloadNotice(): {
  onDownloadStart: (url: string, destination: string) => void;
  onProgress: (receivedBytes: number, totalBytes: number | undefined) => void;
  finish: () => void;
} {
  let bar: ReturnType<typeof createProgressBar> | undefined;
  let receivedBytes = 0;
  return {
    onDownloadStart: (url, destination) => {
      process.stderr.write(`YAMNet is not installed yet: downloading it once from ${url}\n  to ${destination}\n`);
      bar = createProgressBar('YAMNet');
    },
    onProgress: (received, total) => {
      receivedBytes = received;
      bar?.update(received, total);
    },
    // A download that failed before its first byte leaves no bar behind, only the error line.
    finish: () => {
      if (receivedBytes > 0) bar?.finish();
    },
  };
}
