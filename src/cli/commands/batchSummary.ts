// Writes a batch run's summary.json (and summary.html when --html) from the manifest lines of the run's files and their explain.json.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchFile, BatchSettings, ManifestRecord } from '../../batch/records.js';
import { summariseCorpus } from '../../batch/summary.js';
import { renderSummaryHtml } from '../../batch/summaryHtml.js';
import { folderStore } from '../../batch/outputStore.js';
import type { ExplainReport } from '../../render/explainJson.js';
import { writeOutput } from '../writeOutput.js';
import { FOLDER_FILES } from './explainIntoFolder.js';

/** Writes the summary of `files` (their last manifest lines in `records`); returns its path. */
export function writeSummary(out: string, files: readonly BatchFile[], records: ReadonlyMap<string, ManifestRecord>, settings: BatchSettings & { key: string }, run: { skipped: number; wallMs: number; onlyIfMissing: boolean }): string {
  const jsonPath = join(out, 'summary.json');
  const htmlPath = join(out, 'summary.html');
  if (run.onlyIfMissing && existsSync(jsonPath) && (!settings.outputs.html || existsSync(htmlPath))) return jsonPath;
  const store = folderStore(out);
  const mine = files.map((f) => records.get(f.folder)).filter((r): r is ManifestRecord => r !== undefined);
  const readReport = (folder: string) => JSON.parse(store.readText(folder, FOLDER_FILES.json)) as ExplainReport;
  const summary = summariseCorpus(mine, readReport, { settings, skipped: run.skipped, wallMs: run.wallMs });
  writeOutput(jsonPath, JSON.stringify(summary, null, 1) + '\n');
  if (settings.outputs.html) writeOutput(htmlPath, renderSummaryHtml(summary, mine, FOLDER_FILES.html));
  return jsonPath;
}
