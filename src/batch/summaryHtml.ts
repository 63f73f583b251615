// summary.html: the corpus summary as one self-contained page in the style of explain's --html report, linking each file's page.
import { PAGE_STYLE } from '../report/pageStyle.js';
import type { ManifestRecord } from './records.js';
import type { CorpusSummary } from './summary.js';

/** The page; `reportName` is each folder's report file (linked where the run wrote one). */
export function renderSummaryHtml(summary: CorpusSummary, records: readonly ManifestRecord[], reportName: string | undefined): string {
  const { files, cost, settings } = summary;
  const method = settings.options.method ?? 'blur-ig+idgi';
  const meta = `${files.total} files (${files.done} done, ${files.failed} failed, ${files.skipped} from earlier runs) · ${summary.audioSec.toFixed(1)} s of audio · ${summary.patches} patches · ${summary.models.map(esc).join(', ') || 'no model loaded'} · ${esc(method)} of the ${esc(settings.options.output ?? 'score')}`;
  const costLine = `explaining took ${(cost.fileMs / 1000).toFixed(1)} s of worker time (${cost.msPerAudioSec === null ? '–' : cost.msPerAudioSec.toFixed(0)} ms per second of audio), ${(cost.wallMs / 1000).toFixed(1)} s of wall-clock time this run`;
  const classRows = summary.classes.map((c) => {
    const bands = c.bands.map((b) => `<span title="band ${b.band}: ${(100 * b.share).toFixed(1)} % of the positive attribution">${b.hz} Hz <small>${(100 * b.share).toFixed(0)}%</small></span>`).join(', ');
    const scale = c.scale === null ? '–' : `${c.scale.sigmaTime.toFixed(1)} × ${c.scale.sigmaFrequency.toFixed(1)}`;
    const completeness = c.completeness === null ? '–' : `${pct(c.completeness.median)} / ${pct(c.completeness.max)}`;
    return `<tr><td>${esc(c.name)}</td><td>${c.files}</td><td>${c.detections}</td><td>${c.detectedSec.toFixed(1)}</td><td>${c.maxPeakScore?.toFixed(2) ?? '–'}</td><td>${c.explainedPatches}</td><td>${bands || '–'}</td><td>${scale}</td><td>${completeness}</td><td>${(c.costMs / 1000).toFixed(1)}</td></tr>`;
  });
  const fileRows = records.map((r) => {
    const name = r.status === 'done' && reportName !== undefined ? `<a href="${encodeURI(`${r.folder}/${reportName}`)}">${esc(r.input)}</a>` : esc(r.input);
    const status = r.status === 'done' ? 'done' : `<b style="color:#b00020">failed</b>: ${esc(r.error ?? '')}`;
    return `<tr><td>${name}</td><td>${status}</td><td>${r.audioSec.toFixed(1)}</td><td>${r.detections}</td><td>${(r.timings.totalMs / 1000).toFixed(1)}</td><td>${esc(r.worker)}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>blurig corpus summary</title><style>${PAGE_STYLE}
main { padding: 8px 16px 24px; } h2 { font-size: 14px; margin: 14px 0 6px; } td small { color: var(--muted); }</style></head>
<body><header><h1>Corpus summary</h1><p class="meta">${meta}</p><p class="meta">${costLine}</p></header>
<main>
<h2>Classes</h2>
<table><thead><tr><th>class</th><th>files</th><th>detections</th><th>detected s</th><th>peak score</th><th>explained patches</th><th>bands carrying it (share of positive attribution)</th><th>σ where evidence falls fastest (frames × bands)</th><th>completeness error, median / max</th><th>cost s</th></tr></thead>
<tbody>${classRows.join('\n') || '<tr><td colspan="10">no class was detected or explained</td></tr>'}</tbody></table>
<h2>Files</h2>
<table><thead><tr><th>input</th><th>status</th><th>audio s</th><th>detections</th><th>time s</th><th>worker</th></tr></thead>
<tbody>${fileRows.join('\n')}</tbody></table>
</main></body></html>
`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
