// The self-contained HTML report of `blurig explain --html`: the data as JSON, its blobs, the CSS and the bundled browser code, all inline.
import { PAGE_STYLE } from './pageStyle.js';
import { buildReportData, type ReportInput } from './reportData.js';

/** JSON safe inside a script element: `<` escaped, so no `</script>` or `<!--` can occur. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * One HTML file that opens from disk with no network: the spectrogram, each class's attribution and score, the
 * detections and the audio. `script` is the bundled browser code (`browserScript('report')`).
 */
export function renderReportHtml(input: ReportInput, script: string): string {
  const { data, blobs } = buildReportData(input);
  const title = `${input.file} · blurig explain`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; media-src blob:">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(input.file)}</h1><p class="meta" id="meta"></p></header>
<div class="toolbar" id="toolbar"></div>
<div class="views" id="views"></div>
<div class="panels"><section id="detections"></section><section class="detail" id="detail"></section></div>
<script type="application/json" id="report-data">${inlineJson(data)}</script>
${blobs.html()}
<script>${script}</script>
</body>
</html>
`;
}
