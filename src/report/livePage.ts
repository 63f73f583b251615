// The page `blurig serve` hands each viewer: the live views' frame, the colour maps and band frequencies, and the bundled browser code.
import { hertzToMel, melToHertz } from '../audio/melFilterbank.js';
import { diverging, sequential } from '../render/colormaps.js';
import { YAMNET_FRONT_END } from '../types.js';
import { PAGE_STYLE } from './pageStyle.js';
import { escapeHtml, inlineJson } from './reportHtml.js';
import type { LiveConfig } from './reportTypes.js';

export function renderLivePage(script: string, source: string): string {
  const { melBands, melMinHz, melMaxHz } = YAMNET_FRONT_END;
  const lowMel = hertzToMel(melMinHz);
  const step = (hertzToMel(melMaxHz) - lowMel) / (melBands + 1);
  const config: LiveConfig = {
    source,
    windowSec: 20,
    bandCentresHz: Array.from({ length: melBands }, (_, j) => Math.round(melToHertz(lowMel + (j + 1) * step))),
    palettes: {
      sequential: Array.from({ length: 256 }, (_, i) => sequential(i / 255)).flat(),
      diverging: Array.from({ length: 256 }, (_, i) => diverging((i - 128) / 127)).flat(),
    },
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(source)} · blurig serve</title>
<style>${PAGE_STYLE}</style>
</head>
<body data-frames="0" data-drops="0">
<header><h1>${escapeHtml(source)} · live</h1><p class="meta" id="meta">connecting…</p></header>
<div class="toolbar live-stats" id="stats"></div>
<div class="views" id="views"></div>
<div class="panels"><section id="detections"></section><section id="drop-list"></section></div>
<script type="application/json" id="live-config">${inlineJson(config)}</script>
<script>${script}</script>
</body>
</html>
`;
}
