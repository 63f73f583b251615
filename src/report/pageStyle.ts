// The CSS of the report and the live page, inlined into each: system fonts only, so nothing is fetched.
export const PAGE_STYLE = `
:root { --ink: #1d1d1f; --muted: #6b6b70; --line: #d8d8dc; --accent: #0b63ce; --bg: #fff; --plot-left: 120px; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
header { padding: 10px 16px 4px; }
h1 { font-size: 16px; margin: 0; }
.meta { color: var(--muted); margin: 2px 0 0; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 6px 16px; border-bottom: 1px solid var(--line); position: sticky; top: 0; background: var(--bg); z-index: 3; }
.toolbar button, .detail button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 4px; background: #f6f6f8; cursor: pointer; }
.toolbar button:hover, .detail button:hover { background: #ececf0; }
.toolbar .sep { width: 1px; height: 18px; background: var(--line); }
.readout { font-variant-numeric: tabular-nums; color: var(--muted); min-width: 24em; }
.views { position: relative; padding: 4px 16px; user-select: none; }
.views canvas { display: block; width: 100%; }
.views canvas.plot { cursor: grab; }
.views canvas.plot.dragging { cursor: grabbing; }
.cursor, .hover { position: absolute; top: 0; bottom: 0; width: 0; pointer-events: none; }
.cursor { border-left: 2px solid #e0218a; }
.hover { border-left: 1px dashed rgba(0,0,0,.35); display: none; }
.panels { display: grid; grid-template-columns: minmax(320px, 1fr) minmax(320px, 1fr); gap: 16px; padding: 8px 16px 24px; }
.panels h2 { font-size: 14px; margin: 6px 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); }
tr.detection { cursor: pointer; }
tr.detection:hover { background: #f3f6fb; }
tr.detection.selected { background: #dde9fb; }
.detail .empty { color: var(--muted); }
.detail canvas { width: 100%; height: 180px; display: block; margin-top: 6px; }
.status { color: var(--muted); }
.live-stats { font-variant-numeric: tabular-nums; display: flex; gap: 16px; }
.live-stats .drops.some { color: #b00020; font-weight: 600; }
`;
