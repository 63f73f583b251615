// manifest.ndjson: one line per finished file (done or failed), appended as files finish; the last line of a folder is its state.
import { appendFileSync, readFileSync } from 'node:fs';
import { cannotWriteBatch } from './storeErrors.js';
import type { BatchFile, ManifestRecord } from './records.js';

export const MANIFEST_NAME = 'manifest.ndjson';

/** The last record of each folder in the manifest at `path` (none when it does not exist); a torn last line is skipped. */
export function readManifest(path: string): Map<string, ManifestRecord> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const latest = new Map<string, ManifestRecord>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as ManifestRecord;
      if (typeof record.folder === 'string') latest.set(record.folder, record);
    } catch {
      // a line cut short by a crash mid-append: that file simply counts as not finished
    }
  }
  return latest;
}

/**
 * Appends one record as one write of one line (O_APPEND), so a crash leaves at most a torn last line, which
 * {@link readManifest} skips.
 */
export function appendManifest(path: string, record: ManifestRecord): void {
  try {
    appendFileSync(path, JSON.stringify(record) + '\n');
  } catch (error) {
    throw cannotWriteBatch(path, error);
  }
}

/** True when `file` was explained with these settings and has not changed since (and its folder is still there). */
export function isDone(record: ManifestRecord | undefined, file: BatchFile, key: string, folderExists: (folder: string) => boolean): boolean {
  return record !== undefined && record.status === 'done' && record.hash === file.hash && record.settings.key === key && folderExists(file.folder);
}
